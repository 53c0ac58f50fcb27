// `npm run setup:browser`: installs Debian's Chromium and the Noto CJK fonts (without them every
// Chinese character renders as a box) when they are missing. Needs root or sudo and apt-get.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.NX_CHROMIUM || '/usr/bin/chromium';
const FONTS = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

if (existsSync(CHROMIUM) && existsSync(FONTS)) {
  console.log(`Chromium (${CHROMIUM}) and CJK fonts are already installed.`);
  process.exit(0);
}
const sudo = process.getuid && process.getuid() !== 0 ? 'sudo ' : '';
try {
  execSync(`${sudo}apt-get update -qq`, { stdio: 'inherit' });
  execSync(`${sudo}env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk`, {
    stdio: 'inherit',
  });
} catch {
  console.error(
    'Could not install Chromium with apt-get. Install the Debian packages "chromium" and "fonts-noto-cjk" by hand, or set NX_CHROMIUM to a Chromium binary.',
  );
  process.exit(1);
}
console.log('Chromium and CJK fonts installed.');
