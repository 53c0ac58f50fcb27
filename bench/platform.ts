// Platform benchmarks: GET /api/regions/:code through the whole stack against a bare Fastify
// route doing one indexed single-row query on the same database; start-up times; bundle sizes.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { buildApp } from '../src/server/app.js';
import type { AppContext } from '../src/server/context.js';
import { alternate, fmt, load, type LoadResult, type Paired, type Row } from './lib.js';

const ROOT = path.resolve(import.meta.dirname, '..');

export async function listen(app: { listen: (o: { port: number; host: string }) => Promise<string> }): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' });
}

/** A bare route: no plugins, no hooks, one indexed single-row query. The yardstick for ours. */
export async function bareApp(ctx: AppContext) {
  const bare = Fastify({ logger: false });
  bare.get<{ Params: { code: string } }>('/bare/regions/:code', async (request) =>
    ctx.db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', request.params.code).executeTakeFirst(),
  );
  return bare;
}

/** The baseline and ours under the same load, round by round (lib.ts alternate). */
export async function compare(
  baseUrl: string,
  oursUrl: string,
  options: { connections: number; seconds: number; headers?: Record<string, string> },
): Promise<Paired<LoadResult> & { failed: number }> {
  const paired = await alternate(
    { base: (seconds) => load(baseUrl, { ...options, seconds }), mine: (seconds) => load(oursUrl, { ...options, seconds }) },
    (r) => r.rps,
    options.seconds,
  );
  return { ...paired, failed: paired.rounds.reduce((sum, r) => sum + r.mine.errors + r.mine.non2xx, 0) };
}

export async function regionThroughput(ctx: AppContext, label: string, seconds: number): Promise<Row> {
  const bare = await bareApp(ctx);
  const ours = await buildApp(ctx, { logger: false, web: false });
  const bareUrl = await listen(bare);
  const oursUrl = await listen(ours);
  const { base, mine, ratio, failed } = await compare(`${bareUrl}/bare/regions/350502`, `${oursUrl}/api/regions/350502`, {
    connections: 32,
    seconds,
  });
  await bare.close();
  await ours.close();
  return {
    benchmark: `GET /api/regions/:code (${label})`,
    measured: `${fmt.rps(mine.rps)}, p99 ${fmt.ms(mine.p99)}`,
    baseline: `${fmt.rps(base.rps)} bare route`,
    ratio: fmt.pct(ratio),
    target: '≥ 70%',
    ok: ratio >= 0.7 && failed === 0,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Seconds from `npm start` (its script) to a healthy /api/health. */
async function timeStart(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.mjs')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return (performance.now() - started) / 1000;
      } catch {
        // not yet listening
      }
      if (performance.now() - started > 120_000) throw new Error('npm start did not become healthy in 120 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

export async function startupTimes(): Promise<Row[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'nx-bench-start-'));
  try {
    const empty = await timeStart(dataDir);
    const existing = await timeStart(dataDir);
    return [
      {
        benchmark: 'npm start, empty data folder + demo data',
        measured: fmt.s(empty),
        baseline: '–',
        ratio: '–',
        target: '≤ 20 s',
        ok: empty <= 20,
      },
      {
        benchmark: 'npm start, existing data folder',
        measured: fmt.s(existing),
        baseline: '–',
        ratio: '–',
        target: '≤ 5 s',
        ok: existing <= 5,
      },
    ];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Gzipped size of the JS a page loads before it is interactive: its entry and preloads. */
function firstPageJs(htmlFile: string): number {
  const html = readFileSync(htmlFile, 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => m[1] ?? '');
  const unique = [...new Set(refs)];
  return unique.reduce((sum, ref) => sum + gzipSync(readFileSync(path.join(ROOT, 'dist/web', ref.replace(/^\//, '')))).length, 0);
}

export function bundleSizes(): Row[] {
  const worker = firstPageJs(path.join(ROOT, 'dist/web/index.html'));
  const console_ = firstPageJs(path.join(ROOT, 'dist/web/console/index.html'));
  return [
    {
      benchmark: 'worker app first page JS (gzip)',
      measured: fmt.kb(worker),
      baseline: '–',
      ratio: '–',
      target: '≤ 200 KB',
      ok: worker <= 200 * 1024,
    },
    {
      benchmark: 'console first page JS (gzip)',
      measured: fmt.kb(console_),
      baseline: '–',
      ratio: '–',
      target: '≤ 600 KB',
      ok: console_ <= 600 * 1024,
    },
  ];
}
