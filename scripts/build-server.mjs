// Transpiles the server from TypeScript to JavaScript in dist/server (esbuild, file by file, no
// bundling: the layout mirrors src/server so relative paths hold). Production runs plain Node on
// the result: it starts faster and uses ~60 MB less memory than running TypeScript through tsx.
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const source = path.join(root, 'src/server');
const target = path.join(root, 'dist/server');
const stamp = path.join(target, '.built');

function files(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files(full, out);
    else out.push(full);
  }
  return out;
}

/**
 * Node flags the server runs with. A young generation of 4 MB semi-spaces (default 16) keeps
 * memory flat under bulk work such as a 100,000-row Excel export (peak ≈ 190 MB instead of
 * ≈ 260 MB), at little cost in throughput.
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=4'];

export function serverBuildIsCurrent() {
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return files(source).every((f) => statSync(f).mtimeMs <= built);
}

export async function buildServer() {
  rmSync(target, { recursive: true, force: true });
  const all = files(source);
  await build({
    entryPoints: all.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')),
    outdir: target,
    outbase: source,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Node 20.10+ reads import attributes (`with { type: 'json' }`); keep them as written.
    supported: { 'import-attributes': true },
    bundle: false,
    logLevel: 'warning',
  });
  for (const f of all.filter((f) => f.endsWith('.json'))) {
    const to = path.join(target, path.relative(source, f));
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(f, to);
  }
  writeFileSync(stamp, new Date().toISOString());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildServer();
  console.log(`server built into dist/server in ${Date.now() - started} ms`);
}
