// Coverage benchmark: the fifteen-minute circle of a whole district at 200 m through the API
// (grid, open places, check-in weights, 5 greedy suggestions), against the 2 s target.
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import type { AppContext } from '../src/server/context.js';
import { createAccount } from '../src/server/modules/identity/service.js';
import { shapeOf } from '../src/server/modules/regions/locate.js';
import { fmt, type Row } from './lib.js';

const PHONE = '13800009998';
const PASSWORD = 'Bench#2026pass';
const CHECK_INS = 5000;
const TARGET_MS = 2000;
/** A Wednesday at 14:00 in Beijing. */
const AT = '2026-11-25T14:00:00+08:00';

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Check-ins at points inside the district (from the demo accounts, an hour apart each, within
 * the last 90 days), clustered around a few hot spots the way riders gather.
 */
async function generateCheckIns(ctx: AppContext, regionCode: string, total: number): Promise<void> {
  const shape = shapeOf(regionCode);
  if (!shape) throw new Error(`no outline for ${regionCode}`);
  const place = await ctx.db.selectFrom('places').select('id').limit(1).executeTakeFirst();
  const users = await ctx.db.selectFrom('users').select('id').orderBy('id').limit(50).execute();
  if (!place || users.length === 0) throw new Error('the bench needs demo places and accounts');
  const next = random(42);
  const spots: [number, number][] = [];
  while (spots.length < 12) {
    const lat = shape.minLat + next() * (shape.maxLat - shape.minLat);
    const lng = shape.minLng + next() * (shape.maxLng - shape.minLng);
    if (shape.contains(lat, lng)) spots.push([lat, lng]);
  }
  const lats: number[] = [];
  const lngs: number[] = [];
  while (lats.length < total) {
    // Two in three near a hot spot (within ~2 km), the rest anywhere.
    const spot = next() < 2 / 3 ? spots[Math.floor(next() * spots.length)] : null;
    const lat = spot ? spot[0] + (next() - 0.5) * 0.036 : shape.minLat + next() * (shape.maxLat - shape.minLat);
    const lng = spot ? spot[1] + (next() - 0.5) * 0.04 : shape.minLng + next() * (shape.maxLng - shape.minLng);
    if (!shape.contains(lat, lng)) continue;
    lats.push(lat);
    lngs.push(lng);
  }
  const accounts = lats.map((_, k) => users[k % users.length]!.id);
  const hours = lats.map((_, k) => 1 + Math.floor(k / users.length));
  await sql`insert into place_check_ins (place_id, account_id, checked_in_at, lat, lng)
    select ${place.id}::uuid, a, now() - make_interval(hours => h), la, ln
    from unnest(${accounts}::uuid[], ${hours}::int[], ${lats}::float8[], ${lngs}::float8[]) as x(a, h, la, ln)`.execute(ctx.db);
  await sql`analyze place_check_ins`.execute(ctx.db);
}

/** Median and slowest time of GET /api/places/coverage for each district, as a city coordinator. */
export async function coverageLatency(ctx: AppContext, label: string, runs: number): Promise<Row[]> {
  await createAccount(ctx, ctx.db, {
    phone: PHONE,
    displayName: '市级规划员（基准测试）',
    password: PASSWORD,
    grants: [{ role: 'coordinator', regionCode: '350500' }],
  }).catch(() => undefined);
  await generateCheckIns(ctx, '350582', CHECK_INS);
  const app = await buildApp(ctx, { logger: false, web: false });
  await app.ready();
  const signIn = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone: PHONE, password: PASSWORD } });
  const cookies = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const rows: Row[] = [];
  for (const [code, name] of [
    ['350582', '晋江市'],
    ['350583', '南安市'],
  ] as const) {
    const url = `/api/places/coverage?regionCode=${code}&mode=ebike&minutes=15&resolution=200&suggest=5&at=${encodeURIComponent(AT)}`;
    const times: number[] = [];
    let cells = 0;
    for (let i = 0; i <= runs; i++) {
      const started = performance.now();
      const res = await app.inject({ method: 'GET', url, headers: { cookie: cookies } });
      const ms = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`coverage ${code}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      cells = (res.json() as { cells: { total: number } }).cells.total;
      if (i > 0) times.push(ms); // the first call warms up
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)] ?? 0;
    const slowest = times[times.length - 1] ?? 0;
    rows.push({
      benchmark: `coverage ${name} 200 m, ${cells.toLocaleString('en')} cells, 5 suggestions (${label})`,
      measured: `${fmt.ms(median)} median, ${fmt.ms(slowest)} max`,
      baseline: '–',
      ratio: '–',
      target: `≤ ${fmt.s(TARGET_MS / 1000)}`,
      ok: slowest <= TARGET_MS,
    });
  }
  await app.close();
  return rows;
}
