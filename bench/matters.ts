// Matter engine benchmarks: transitions through the API against a bare route doing the same two
// writes; the ledger on a million matters; the memory of a 100,000-row Excel export.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import type { AppContext } from '../src/server/context.js';
import { createAccount } from '../src/server/modules/identity/service.js';
import { alternate, fmt, type Row } from './lib.js';
import { listen } from './platform.js';

const execFileAsync = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const HAIBIN = '350502001000';

async function signIn(base: string, phone: string, password = 'Nuanxin@2026'): Promise<Record<string, string>> {
  const res = await fetch(`${base}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone, password }),
  });
  if (!res.ok) throw new Error(`sign-in ${phone}: ${res.status} ${await res.text()}`);
  const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
  const csrf = cookies.find((c) => c.startsWith('nx_csrf='))?.slice('nx_csrf='.length) ?? '';
  return { cookie: cookies.join('; '), 'x-csrf-token': csrf };
}

/** What a new matter's row holds before anyone acts on it: no contact, owner, clock or outcome. */
export const NEW_MATTER_DEFAULTS = {
  contact_name: null,
  contact_phone_cipher: null,
  contact_phone_index: null,
  contact_phone_masked: null,
  owner_org_id: null,
  owner_user_id: null,
  priority: 2,
  due_at: null,
  paused_since: null,
  clock_remaining_minutes: null,
  supervision_level: 0,
  reopen_count: 0,
  outcome: null,
  satisfaction: null,
  money_recovered: 0,
  merged_into: null,
  first_assigned_at: null,
  assigned_at: null,
  replied_at: null,
  closed_at: null,
} as const;

/** The yardstick: the same two writes (a matter and its event, then an event and the update), no rules. */
function bareMatterApp(ctx: AppContext) {
  const bare = Fastify({ logger: false });
  bare.post('/bare/matters', async () =>
    ctx.db.transaction().execute(async (trx) => {
      const now = new Date();
      const row = await trx
        .insertInto('matters')
        .values({
          kind: 'appeal',
          status: 'registered',
          version: 1,
          region_code: HAIBIN,
          region_path: '350500.350502.350502001000',
          district_code: '350502',
          street_code: HAIBIN,
          category: 'unpaid_fees',
          title: '配送费被拖欠',
          body: '站点拖欠配送费',
          payload: '{}',
          channel: 'desk',
          raised_by: null,
          ...NEW_MATTER_DEFAULTS,
          created_at: now,
          updated_at: now,
        })
        .returning(['id', 'version'])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('matter_events')
        .values({ matter_id: row.id, seq: 1, type: 'register', actor_id: null, actor_role: null, actor_org_id: null, from_status: null, to_status: 'registered', note: null, data: '{}', files: '[]', at: now })
        .execute();
      return row;
    }),
  );
  bare.post<{ Params: { id: string }; Body: { version: number; input: { ownerOrgId: string } } }>('/bare/matters/:id/assign', async (request) =>
    ctx.db.transaction().execute(async (trx) => {
      const now = new Date();
      const { version, input } = request.body;
      const updated = await trx
        .updateTable('matters')
        .set({ status: 'assigned', version: version + 1, owner_org_id: input.ownerOrgId, assigned_at: now, updated_at: now })
        .where('id', '=', request.params.id)
        .where('version', '=', version)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new Error('stale');
      await trx
        .insertInto('matter_events')
        .values({ matter_id: request.params.id, seq: version + 1, type: 'assign', actor_id: null, actor_role: null, actor_org_id: null, from_status: 'registered', to_status: 'assigned', note: null, data: JSON.stringify({ ownerOrgId: input.ownerOrgId }), files: '[]', at: now })
        .execute();
      return { ok: true };
    }),
  );
  return bare;
}

async function loopLoad(plan: Record<string, unknown>): Promise<{ chainsPerSecond: number; failures: number; p99: number }> {
  const { stdout } = await execFileAsync(process.execPath, [path.join(import.meta.dirname, 'loop-client.mjs'), JSON.stringify(plan)], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
}

export async function transitionThroughput(ctx: AppContext, label: string, seconds: number, connections = 32): Promise<Row> {
  const bare = bareMatterApp(ctx);
  const ours = await buildApp(ctx, { logger: false, web: false });
  const bareUrl = await listen(bare);
  const oursUrl = await listen(ours);
  const headers = await signIn(oursUrl, '13800000005');
  const team = await ctx.db.selectFrom('organisations').select('id').where('name', '=', '鲤城区新就业群体快调队伍').executeTakeFirstOrThrow();
  const common = { connections, seconds, assignInput: { ownerOrgId: team.id } };
  const basePlan = { ...common, registerUrl: `${bareUrl}/bare/matters`, assignUrl: `${bareUrl}/bare/matters/:id/assign`, headers: {}, registerBody: {} };
  const oursPlan = {
    ...common,
    registerUrl: `${oursUrl}/api/matters`,
    assignUrl: `${oursUrl}/api/matters/:id/transitions/assign`,
    headers,
    registerBody: {
      kind: 'appeal',
      regionCode: HAIBIN,
      category: 'unpaid_fees',
      title: '配送费被拖欠',
      body: '站点拖欠配送费三个月',
      channel: 'walk_in',
      contact: { name: '刘师傅', phone: '13912345678' },
    },
  };
  const { base, mine, ratio, rounds } = await alternate(
    { base: (seconds) => loopLoad({ ...basePlan, seconds }), mine: (seconds) => loopLoad({ ...oursPlan, seconds }) },
    (r) => r.chainsPerSecond,
    seconds,
  );
  await bare.close();
  await ours.close();
  const failures = rounds.reduce((sum, r) => sum + r.mine.failures, 0);
  return {
    benchmark: `register + assign through the API (${label})`,
    measured: `${mine.chainsPerSecond.toFixed(0)} pairs/s, p99 ${fmt.ms(mine.p99)}`,
    baseline: `${base.chainsPerSecond.toFixed(0)} pairs/s bare writes`,
    ratio: fmt.pct(ratio),
    target: '≥ 70%',
    ok: ratio >= 0.7 && failures === 0,
  };
}

/**
 * Fills the database with `count` appeals spread over every street of the city and two years,
 * in one INSERT … SELECT (the ledger reads only the matters table).
 */
export async function generateMatters(ctx: AppContext, count: number): Promise<void> {
  await sql`create temp table bench_places as
    select row_number() over (order by code) as n, code, path, district_code, code as street_code
    from regions where kind = 'admin' and level = 'street'`.execute(ctx.db);
  const places = Number((await sql<{ n: number }>`select count(*)::int as n from bench_places`.execute(ctx.db)).rows[0]?.n ?? 1);
  await sql`
    insert into matters (kind, status, version, region_code, region_path, district_code, street_code, category, title, body, payload,
      channel, priority, due_at, supervision_level, reopen_count, money_recovered, created_at, updated_at, closed_at, contact_name, contact_phone_masked)
    select 'appeal', s.status, 3, p.code, p.path, p.district_code, p.street_code,
      (array['unpaid_fees','settlement','contract','penalty','work_injury','social_insurance','ecommerce','consultation','other'])[1 + g % 9],
      (array['配送费被拖欠','结算规则不透明','未签劳动合同','超时罚款不合理','送餐途中受伤','社保缴费问题','平台纠纷','政策咨询','其他诉求'])[1 + g % 9] || ' ' || g,
      '批量生成的诉求', '{}', (array['app','desk','phone','walk_in'])[1 + g % 4], 2,
      case when s.status in ('assigned','handling') then c.created + interval '14 days' end,
      case when s.status in ('assigned','handling') and g % 7 = 0 then 2 else 0 end, (g % 11 = 0)::int, (g % 5) * 100,
      c.created, c.created + interval '1 day', case when s.status in ('closed','withdrawn','rejected','merged') then c.created + interval '10 days' end,
      '张师傅', '139****' || lpad((g % 10000)::text, 4, '0')
    from generate_series(1, ${count}) as g
    join bench_places p on p.n = 1 + (g::bigint * 7919) % ${places}
    cross join lateral (select (array['registered','assigned','handling','replied','closed','closed','closed','closed','withdrawn','rejected'])[1 + (g * 31) % 10] as status) s
    cross join lateral (select now() - (g::float8 / ${count}) * interval '730 days' as created) c`.execute(ctx.db);
  await sql`drop table bench_places`.execute(ctx.db);
  await sql`analyze matters`.execute(ctx.db);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** Pages of the ledger as a street-level and a district-level user, one after another. */
export async function ledgerLatency(ctx: AppContext, count: number, rounds: number): Promise<Row[]> {
  const ours = await buildApp(ctx, { logger: false, web: false });
  const base = await listen(ours);
  const users = [
    { label: 'street-level user', phone: '13800000014' },
    { label: 'district-level user', phone: '13800000008' },
  ];
  const queries = [
    'view=ledger&limit=20',
    'view=ledger&limit=20&status=handling',
    'view=ledger&limit=20&category=unpaid_fees&sort=due_asc',
    'view=ledger&limit=20&overdue=true',
    'view=ledger&limit=20&supervised=true&sort=updated_desc',
    'view=ledger&limit=20&q=%E9%85%8D%E9%80%81',
    'view=ledger&limit=20&from=2026-01-01&to=2026-06-30',
  ];
  const rows: Row[] = [];
  for (const user of users) {
    const headers = await signIn(base, user.phone);
    const times: number[] = [];
    const countTimes: number[] = [];
    for (let round = 0; round < rounds + 1; round++) {
      for (const query of queries) {
        for (const page of [0, 1]) {
          let url = `${base}/api/matters?${query}`;
          if (page === 1) {
            const first = (await (await fetch(url, { headers })).json()) as { nextCursor: string | null };
            if (!first.nextCursor) continue;
            url += `&cursor=${first.nextCursor}`;
          }
          const started = performance.now();
          const res = await fetch(url, { headers });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`${url}: ${res.status}`);
          if (round > 0) times.push(performance.now() - started);
          if (page === 0) {
            // The pager's total comes in its own request, beside the first page.
            const countStarted = performance.now();
            await (await fetch(`${base}/api/matters?${query}&limit=1&withTotal=true`, { headers })).arrayBuffer();
            if (round > 0) countTimes.push(performance.now() - countStarted);
          }
          if (round > 0 && process.env.BENCH_DEBUG) console.log(`${(performance.now() - started).toFixed(1)} ms ${user.label} ${query} page ${page}`);
        }
      }
    }
    const p99 = percentile(times, 0.99);
    rows.push({
      benchmark: `ledger page, ${count.toLocaleString('en')} matters, ${user.label} (PostgreSQL)`,
      measured: `p99 ${fmt.ms(p99)}, p50 ${fmt.ms(percentile(times, 0.5))} (${times.length} pages)`,
      baseline: '–',
      ratio: '–',
      target: count >= 1_000_000 ? 'p99 ≤ 50 ms' : 'p99 ≤ 50 ms (1,000,000 in the full run)',
      ok: p99 <= 50,
    });
    rows.push({
      benchmark: `ledger total (count up to 10,000), ${user.label} (PostgreSQL)`,
      measured: `p99 ${fmt.ms(percentile(countTimes, 0.99))}, p50 ${fmt.ms(percentile(countTimes, 0.5))}`,
      baseline: '–',
      ratio: '–',
      target: '– (shown beside the page)',
      ok: null,
    });
  }
  await ours.close();
  return rows;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Exports ~`wanted` ledger rows from a server in its own process and reads that process's peak memory. */
export async function exportMemory(ctx: AppContext, databaseUrl: string, total: number, wanted: number): Promise<Row> {
  await createAccount(ctx, ctx.db, {
    phone: '13800009999',
    displayName: '市级协调员（基准测试）',
    password: 'Bench#2026pass',
    grants: [{ role: 'coordinator', regionCode: '350500' }],
  }).catch(() => undefined);
  const port = 3900 + (process.pid % 90);
  // The server as production runs it: plain Node on the transpiled server.
  spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-server.mjs')], { cwd: ROOT, stdio: 'ignore' });
  // The same flags as scripts/start.mjs (SERVER_NODE_FLAGS in scripts/build-server.mjs).
  const child = spawn(process.execPath, ['--max-semi-space-size=4', path.join(ROOT, 'dist/server/main.js')], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      JOBS: 'false',
      LOG_LEVEL: 'warn',
      // The same keys as the bench's own context, so phone look-ups agree.
      FIELD_ENCRYPTION_KEYS: ctx.config.fieldKeys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(','),
      BLIND_INDEX_KEY: ctx.config.blindIndexKey.toString('base64'),
    },
    stdio: process.env.BENCH_DEBUG ? 'inherit' : 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
      if (i > 1200) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const headers = await signIn(base, '13800009999', 'Bench#2026pass');
    const idleMb = peakRssMb(child.pid ?? 0);
    // Generated matters are spread evenly over 730 days: a window of that share holds ~`wanted` rows.
    const days = Math.ceil((730 * wanted) / total);
    const day = (offset: number) => new Date(Date.now() + 8 * 3600_000 - offset * 86_400_000).toISOString().slice(0, 10);
    const url = `${base}/api/matters/export.xlsx?view=ledger&from=${day(days)}&to=${day(0)}`;
    const started = performance.now();
    const res = await fetch(url, { headers });
    if (!res.ok || !res.body) throw new Error(`export: ${res.status}`);
    let bytes = 0;
    for await (const chunk of res.body) bytes += (chunk as Uint8Array).length;
    const secondsTaken = (performance.now() - started) / 1000;
    const peak = peakRssMb(child.pid ?? 0);
    const rows = Number(
      (
        await sql<{ n: number }>`select count(*)::int as n from matters where created_at >= ${new Date(`${day(days)}T00:00:00+08:00`)}`.execute(ctx.db)
      ).rows[0]?.n ?? 0,
    );
    return {
      benchmark: `Excel export of ${rows.toLocaleString('en')} ledger rows (PostgreSQL)`,
      measured: `peak ${peak.toFixed(0)} MB (idle ${idleMb.toFixed(0)} MB), ${fmt.s(secondsTaken)}, ${(bytes / 1048576).toFixed(1)} MB file`,
      baseline: '–',
      ratio: '–',
      target: 'peak ≤ 250 MB',
      ok: peak <= 250 && rows >= wanted * 0.9,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}
