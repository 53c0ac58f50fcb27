// `npm run bench [-- --quick]`: runs every benchmark and prints one table. Each throughput row is
// measured against its baseline in the same run; the ratio is what the targets speak of.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { AppContext } from '../src/server/context.js';
import { openPGlite, openPostgres } from '../src/server/db/connect.js';
import { makeContext, prepareDatabase } from '../src/server/start.js';
import { testConfig } from '../test/helpers/config.js';
import { printTable, type Row } from './lib.js';
import { argon2Cost, meThroughput } from './identity.js';
import { exportMemory, generateMatters, ledgerLatency, transitionThroughput } from './matters.js';
import { coverageLatency } from './coverage.js';
import { nearestThroughput } from './places.js';
import { redemptionThroughput } from './points.js';
import { reportIntakeThroughput } from './reports.js';
import { bundleSizes, regionThroughput, startupTimes } from './platform.js';

const quick = process.argv.includes('--quick');
const seconds = quick ? 3 : 10;
const ROOT = path.resolve(import.meta.dirname, '..');

async function benchContext(databaseUrl: string | null): Promise<AppContext> {
  // Demo data writes its template documents: into a scratch folder, not the test default.
  const config = testConfig({ databaseUrl, demoData: true, filesDir: mkdtempSync(path.join(tmpdir(), 'nx-bench-files-')) });
  const ctx = makeContext(config, databaseUrl ? openPostgres(databaseUrl, 16) : await openPGlite(null));
  await prepareDatabase(ctx);
  return ctx;
}

/** A fresh database on the server of DATABASE_URL, dropped afterwards. */
async function withPostgres<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const base = process.env.DATABASE_URL ?? '';
  const name = `nx_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(base);
    url.pathname = `/${name}`;
    return await fn(url.toString());
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, 'dist/web/index.html'))) {
    spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: ROOT, stdio: 'inherit' });
  }
  const rows: Row[] = [];

  const lite = await benchContext(null);
  rows.push(await regionThroughput(lite, 'PGlite', seconds));
  rows.push(await meThroughput(lite, 'PGlite', seconds));
  rows.push(await transitionThroughput(lite, 'PGlite', seconds));
  // 100,000 generated places take a while to write into the embedded database: full run only.
  // Before the 100,000 generated places, which would cover every district.
  rows.push(...(await coverageLatency(lite, 'PGlite', quick ? 3 : 10)));
  if (!quick) rows.push(await nearestThroughput(lite, 'PGlite', seconds));
  rows.push(await redemptionThroughput(lite, 'PGlite'));
  rows.push(await reportIntakeThroughput(lite, 'PGlite', seconds));
  await lite.db.destroy();

  if (process.env.DATABASE_URL) {
    await withPostgres(async (url) => {
      const ctx = await benchContext(url);
      rows.push(await regionThroughput(ctx, 'PostgreSQL', seconds));
      rows.push(await meThroughput(ctx, 'PostgreSQL', seconds));
      rows.push(await transitionThroughput(ctx, 'PostgreSQL', seconds));
      rows.push(...(await coverageLatency(ctx, 'PostgreSQL', quick ? 3 : 10)));
      rows.push(await nearestThroughput(ctx, 'PostgreSQL', seconds));
      rows.push(await redemptionThroughput(ctx, 'PostgreSQL'));
      rows.push(await reportIntakeThroughput(ctx, 'PostgreSQL', seconds));
      // A city's worth of matters for the ledger and the export (fewer in the quick run).
      const total = quick ? 200_000 : 1_000_000;
      const started = performance.now();
      await generateMatters(ctx, total);
      console.log(`generated ${total.toLocaleString('en')} matters in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      rows.push(...(await ledgerLatency(ctx, total, quick ? 3 : 10)));
      rows.push(await exportMemory(ctx, url, total, quick ? 20_000 : 100_000));
      await ctx.db.destroy();
    });
  } else {
    console.log('DATABASE_URL is not set: PostgreSQL rows skipped.');
  }

  rows.push(await argon2Cost());
  rows.push(...(await startupTimes()));
  rows.push(...bundleSizes());

  console.log(`\nNuanxin benchmarks (${quick ? 'quick' : 'full'} run, ${seconds} s per load, 32 connections, loopback)\n`);
  printTable(rows);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
