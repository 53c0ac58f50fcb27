// What every browser test launches: Debian's Chromium (or NX_CHROMIUM) with quiet flags, and
// where screenshots go when NX_SCREENSHOTS=1 (docs/screenshots, null otherwise).
import path from 'node:path';

export const executablePath = process.env.NX_CHROMIUM || '/usr/bin/chromium';
export const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const shots = process.env.NX_SCREENSHOTS === '1' ? path.resolve(import.meta.dirname, '../../docs/screenshots') : null;
