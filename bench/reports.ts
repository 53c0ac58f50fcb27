// Report intake benchmark: POST /api/reports (JSON, no photo) through the whole stack at 32
// connections, against a bare Fastify route writing the same three rows (the matter, its register
// event and the report's own row) in one transaction. Zero photos is a path the API accepts
// (Open311 and JSON clients); the worker app asks for one, uploaded beforehand through /api/files.
// Standalone: `npx tsx bench/reports.ts [--quick]` (PGlite, plus PostgreSQL when DATABASE_URL is set).
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/server/app.js';
import type { AppContext } from '../src/server/context.js';
import { openPGlite, openPostgres } from '../src/server/db/connect.js';
import { makeContext, prepareDatabase } from '../src/server/start.js';
import { testConfig } from '../test/helpers/config.js';
import { alternate, fmt, printTable, type Row } from './lib.js';
import { listen } from './platform.js';
import { NEW_MATTER_DEFAULTS } from './matters.js';

const execFileAsync = promisify(execFile);
const AUTOCANNON = path.join(path.dirname(createRequire(import.meta.url).resolve('autocannon/package.json')), 'autocannon.js');
const POINT = { lat: 24.9079, lng: 118.5869 };
const TEXT = '中山路口护栏被撞断，很危险';

interface Load {
  rps: number;
  p99: number;
  errors: number;
  non2xx: number;
}

async function postLoad(url: string, body: unknown, headers: Record<string, string>, connections: number, seconds: number): Promise<Load> {
  const args = [AUTOCANNON, '--json', '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-b', JSON.stringify(body)];
  for (const [name, value] of Object.entries({ ...headers, 'content-type': 'application/json' })) args.push('-H', `${name}=${value}`);
  args.push(url);
  const { stdout } = await execFileAsync(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
  const r = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

async function signIn(base: string, phone: string): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password: 'Nuanxin@2026' }),
  });
  if (!res.ok) throw new Error(`sign-in ${phone}: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const csrf = cookies.find((c) => c.startsWith('nx_csrf='))?.slice('nx_csrf='.length) ?? '';
  return { cookie: cookies.join('; '), 'x-csrf-token': csrf };
}

/** The yardstick: the same three rows in one transaction, no session, no rules. */
async function bareReportApp(ctx: AppContext) {
  const region = await ctx.db
    .selectFrom('regions')
    .select(['code', 'path', 'district_code'])
    .where('code', '=', '350502')
    .executeTakeFirstOrThrow();
  const worker = await ctx.db.selectFrom('users').select('id').where('phone_masked', 'like', '138****0001').executeTakeFirst();
  const bare = Fastify({ logger: false });
  bare.post('/bare/reports', async () =>
    ctx.db.transaction().execute(async (trx) => {
      const now = new Date();
      const payload = JSON.stringify({ ...POINT, occurredAt: now.toISOString(), source: 'app' });
      const row = await trx
        .insertInto('matters')
        .values({
          kind: 'report',
          status: 'submitted',
          version: 1,
          region_code: region.code,
          region_path: region.path,
          district_code: region.district_code,
          street_code: null,
          category: 'guardrails',
          title: `护栏损坏：${TEXT}`,
          body: TEXT,
          payload,
          channel: 'app',
          raised_by: worker?.id ?? null,
          ...NEW_MATTER_DEFAULTS,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'number', 'version'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('matter_events')
        .values({
          matter_id: row.id,
          seq: 1,
          type: 'register',
          actor_id: worker?.id ?? null,
          actor_role: 'worker',
          actor_org_id: null,
          from_status: null,
          to_status: 'submitted',
          note: null,
          data: payload,
          files: '[]',
          at: now,
        })
        .execute();
      await trx
        .insertInto('reports')
        .values({
          matter_id: row.id,
          raised_by: worker?.id ?? null,
          category: 'guardrails',
          ...POINT,
          source_datum: 'wgs84',
          place_id: null,
          occurred_at: now,
          photos: '[]',
          source: 'app',
          idempotency_key: null,
          open311_key_id: null,
          open311_token: null,
          submitter_cipher: null,
          level: null,
          points: null,
          created_at: now,
        })
        .execute();
      return row;
    }),
  );
  return bare;
}

export async function reportIntakeThroughput(ctx: AppContext, label: string, seconds: number, connections = 32): Promise<Row> {
  const bare = await bareReportApp(ctx);
  const ours = await buildApp(ctx, { logger: false, web: false });
  const bareUrl = await listen(bare);
  const oursUrl = await listen(ours);
  const headers = await signIn(oursUrl, '13800000001');
  const body = { category: 'guardrails', text: TEXT, location: POINT };
  const check = await fetch(`${oursUrl}/api/reports`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (check.status !== 201) throw new Error(`POST /api/reports: ${check.status} ${await check.text()}`);
  const { base, mine, ratio, rounds } = await alternate(
    {
      base: (seconds) => postLoad(`${bareUrl}/bare/reports`, {}, {}, connections, seconds),
      mine: (seconds) => postLoad(`${oursUrl}/api/reports`, body, headers, connections, seconds),
    },
    (r) => r.rps,
    seconds,
  );
  await bare.close();
  await ours.close();
  const failed = rounds.reduce((sum, r) => sum + r.mine.errors + r.mine.non2xx, 0);
  const postgres = label === 'PostgreSQL';
  return {
    benchmark: `POST /api/reports, JSON without photo (${label}, ${connections} connections)`,
    measured: `${fmt.rps(mine.rps)}, p99 ${fmt.ms(mine.p99)}`,
    // The bare route's p99 too: what this machine gives at this concurrency with no stack at all.
    baseline: `${fmt.rps(base.rps)}, p99 ${fmt.ms(base.p99)} bare route, same 3 rows`,
    ratio: fmt.pct(ratio),
    target: postgres ? '≥ 60%, p99 ≤ 50 ms' : 'PostgreSQL only',
    ok: postgres ? ratio >= 0.6 && mine.p99 <= 50 && failed === 0 : null,
  };
}

async function standalone(): Promise<void> {
  const seconds = process.argv.includes('--quick') ? 3 : 10;
  const rows: Row[] = [];
  const context = async (url: string | null) => {
    const config = testConfig({ databaseUrl: url, demoData: true, filesDir: mkdtempSync(path.join(tmpdir(), 'nx-bench-files-')) });
    const ctx = makeContext(config, url ? openPostgres(url, 16) : await openPGlite(null));
    await prepareDatabase(ctx);
    return ctx;
  };
  const lite = await context(null);
  rows.push(await reportIntakeThroughput(lite, 'PGlite', seconds));
  await lite.db.destroy();
  const base = process.env.DATABASE_URL;
  if (base) {
    const name = `nx_bench_reports_${process.pid}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(base);
      url.pathname = `/${name}`;
      const ctx = await context(url.toString());
      rows.push(await reportIntakeThroughput(ctx, 'PostgreSQL', seconds));
      await ctx.db.destroy();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
  printTable(rows);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  standalone().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
