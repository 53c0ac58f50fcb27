// Redemption under load: 64 connections race for 1,000 items of one reward. Every redemption
// takes a worker's account lock, writes a transfer with its two entries and a redemption, and
// takes one item off the stock. Afterwards exactly 1,000 must have succeeded and the ledger must
// balance. Run alone: `npx tsx bench/points.ts` (PGlite, and PostgreSQL when DATABASE_URL is set).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import type { AppContext } from '../src/server/context.js';
import { hashPassword } from '../src/server/modules/identity/passwords.js';
import { awardPoints } from '../src/server/modules/points/awards.js';
import { checkLedger } from '../src/server/modules/points/ledger.js';
import { insertReward } from '../src/server/modules/rewards/queries.js';
import { fmt, load, type Row } from './lib.js';
import { listen } from './platform.js';

const execFileAsync = promisify(execFile);
const STOCK = 1000;
const RACES = 3;
const CONNECTIONS = Number(process.env.NX_BENCH_CONNECTIONS ?? 64);
/** Sign-in allows 60 attempts per address in a quarter hour: two connections share a worker. */
const WORKERS = 32;

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

/** Workers with plenty of points (a bench-only district rule makes one shift worth 5,000). */
async function prepareWorkers(ctx: AppContext, run: string): Promise<string[]> {
  const district = await ctx.db.selectFrom('regions').select('code').where('name', '=', '鲤城区').executeTakeFirstOrThrow();
  await sql`
    insert into point_rules (region_code, report_ordinary, report_useful, report_important, per_volunteer_hour, per_grid_shift, monthly_cap, expiry_months, code_ttl_minutes)
    values (${district.code}, 5, 10, 20, 10, 5000, 1000000, 12, 30)
    on conflict (region_code) do update set per_grid_shift = 5000, monthly_cap = 1000000`.execute(ctx.db);
  const hash = await hashPassword('Nuanxin@2026');
  const phones: string[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const phone = `1370${run}${String(i).padStart(3, '0')}`;
    const user = await ctx.db
      .insertInto('users')
      .values({
        display_name: `压测骑手${i}`,
        phone_cipher: ctx.crypto.encrypt(phone),
        phone_index: ctx.crypto.blindIndex('phone', phone),
        phone_masked: `${phone.slice(0, 3)}****${phone.slice(-4)}`,
        password_hash: hash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ctx.db.insertInto('role_grants').values({ user_id: user.id, role: 'worker', region_code: district.code }).execute();
    await ctx.db.transaction().execute((trx) =>
      awardPoints(trx, ctx, { accountId: user.id, source: 'grid_duty', sourceId: `bench-${run}-${i}`, regionCode: district.code, actorId: null }),
    );
    phones.push(phone);
  }
  return phones;
}

async function newReward(ctx: AppContext, stock: number): Promise<string> {
  const shop = await ctx.db.selectFrom('organisations').select(['id', 'region_path']).where('name', '=', '老街茶铺（爱心商户）').executeTakeFirstOrThrow();
  return insertReward(ctx.db, {
    organisation_id: shop.id,
    region_path: shop.region_path,
    title: '压测奖品',
    description: '',
    points_price: 1,
    stock,
    valid_from: null,
    valid_until: null,
    is_active: true,
  });
}

interface ClientResult {
  succeeded: number;
  soldOut: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p99: number;
}

export async function redemptionThroughput(ctx: AppContext, label: string): Promise<Row> {
  const app = await buildApp(ctx, { logger: false, web: false });
  const base = await listen(app);
  const run = String(Math.floor(Math.random() * 9000) + 1000);
  const phones = await prepareWorkers(ctx, run);
  const sessions: Record<string, string>[] = [];
  for (const phone of phones) sessions.push(await signIn(base, phone));
  // A short warm-up on a reward of its own, then the measured race for 1,000 items.
  const client = async (rewardId: string): Promise<ClientResult> => {
    const plan = { url: `${base}/api/rewards/${rewardId}/redemptions`, sessions, connections: CONNECTIONS, run: `bench-${rewardId}` };
    const { stdout, stderr } = await execFileAsync(process.execPath, [path.join(import.meta.dirname, 'redeem-client.mjs'), JSON.stringify(plan)], { maxBuffer: 1 << 20 });
    if (stderr.trim()) console.error(`redemption client: ${stderr.trim()}`);
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ClientResult;
  };
  await client(await newReward(ctx, 200));
  // What the machine gives a signed-in read at the same concurrency, for scale on a shared box.
  const read = await load(`${base}/api/me/points`, { connections: CONNECTIONS, seconds: 3, headers: sessions[0] });
  // Three races, each for a fresh 1,000: one race lasts about a second, about as long as this
  // machine's speed holds still, so the middle race is the figure and every race must be exact.
  const races: (ClientResult & { sold: number; stockLeft: number })[] = [];
  for (let i = 0; i < RACES; i++) {
    const rewardId = await newReward(ctx, STOCK);
    const result = await client(rewardId);
    const sold = await ctx.db
      .selectFrom('redemptions')
      .select(sql<number>`count(*)::int8`.as('n'))
      .where('reward_id', '=', rewardId)
      .executeTakeFirstOrThrow();
    const left = await ctx.db
      .selectFrom('reward_stock')
      .select(sql<number>`coalesce(sum(stock), 0)::int8`.as('stock'))
      .where('reward_id', '=', rewardId)
      .executeTakeFirstOrThrow();
    races.push({ ...result, sold: Number(sold.n), stockLeft: Number(left.stock) });
  }
  races.sort((a, b) => a.perSecond - b.perSecond);
  const result = races[Math.floor(races.length / 2)] as (typeof races)[number];
  const ledger = await checkLedger(ctx.db);
  await app.close();
  const exact = races.every((r) => r.sold === STOCK && r.succeeded === STOCK && r.stockLeft === 0);
  const balanced = ledger.total === 0 && ledger.unbalancedTransfers === 0 && ledger.cacheMismatches.length === 0;
  const onPostgres = label === 'PostgreSQL';
  console.log(`redemption (${label}): ${JSON.stringify({ races, ledger: { ...ledger, cacheMismatches: ledger.cacheMismatches.length } })}`);
  return {
    benchmark: `Redemption, ${CONNECTIONS} conn, ${STOCK.toLocaleString('en')} in stock (${label})`,
    measured: `${Math.round(result.perSecond).toLocaleString('en')} /s (middle of ${RACES} races), ${result.succeeded} sold, p99 ${fmt.ms(result.p99)}`,
    baseline: `${fmt.rps(read.rps)} (GET /api/me/points)`,
    ratio: fmt.pct(result.perSecond / read.rps),
    target: onPostgres ? '≥ 1,000/s, exactly 1,000, ledger 0' : 'exactly 1,000, ledger 0',
    ok: exact && balanced && (!onPostgres || result.perSecond >= 1000) && races.every((r) => r.failures === 0),
  };
}

// Run on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const pg = (await import('pg')).default;
  const { openPGlite, openPostgres } = await import('../src/server/db/connect.js');
  const { makeContext, prepareDatabase } = await import('../src/server/start.js');
  const { testConfig } = await import('../test/helpers/config.js');
  const { printTable } = await import('./lib.js');
  const context = async (url: string | null) => {
    const config = testConfig({ databaseUrl: url, demoData: true, filesDir: mkdtempSync(path.join(tmpdir(), 'nx-bench-files-')) });
    const ctx = makeContext(config, url ? openPostgres(url, 16) : await openPGlite(null));
    await prepareDatabase(ctx);
    return ctx;
  };
  const rows: Row[] = [];
  if (!process.env.NX_BENCH_SKIP_PGLITE) {
    const lite = await context(null);
    rows.push(await redemptionThroughput(lite, 'PGlite'));
    await lite.db.destroy();
  }
  if (process.env.DATABASE_URL) {
    const name = `nx_bench_points_${process.pid}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    try {
      const url = new URL(process.env.DATABASE_URL);
      url.pathname = `/${name}`;
      const ctx = await context(url.toString());
      rows.push(await redemptionThroughput(ctx, 'PostgreSQL'));
      await ctx.db.destroy();
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
  printTable(rows);
  process.exit(0);
}
