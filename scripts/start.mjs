// `npm start`: builds the web apps and the server when they are missing or older than their
// sources, then runs the server (plain Node on dist/server) with signals passed through.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, SERVER_NODE_FLAGS, serverBuildIsCurrent } from './build-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist/web/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function webBuildIsCurrent() {
  return existsSync(built) && statSync(built).mtimeMs >= newestMtime(path.join(root, 'src/web'));
}

if (!webBuildIsCurrent()) {
  console.log('Building the web apps (first start, or their sources changed)…');
  const result = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('Building the web apps failed; see the messages above.');
    process.exit(1);
  }
}

if (!serverBuildIsCurrent()) await buildServer();

const server = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(root, 'dist/server/main.js')], { cwd: process.cwd(), stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
