// `npm test`: the whole suite (API tests on PGlite, or on PostgreSQL when DATABASE_URL is set,
// then browser tests when Chromium is installed). Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.NX_CHROMIUM || '/usr/bin/chromium';
const hasBrowser = existsSync(chromium);
const args = ['vitest', 'run', ...process.argv.slice(2)];
if (!hasBrowser && !process.argv.slice(2).some((a) => a.startsWith('--project'))) args.push('--project', 'api');

const result = spawnSync('npx', args, { stdio: 'inherit', env: process.env });
if (!hasBrowser) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n  BROWSER TESTS SKIPPED: Chromium is not installed at ${chromium}.\n  Run \`npm run setup:browser\` (Debian: chromium + fonts-noto-cjk) and test again.\n${line}\n`,
  );
}
process.exit(result.status ?? 1);
