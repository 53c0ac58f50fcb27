// Places benchmark: the nearest 10 open places with an amenity, through the whole stack at one
// connection, against a bare Fastify route running the same KNN query, over 100,000 generated places.
import Fastify from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/server/app.js';
import type { AppContext } from '../src/server/context.js';
import { planeOf } from '../src/server/modules/places/plane.js';
import { findNearestPlaces } from '../src/server/modules/places/queries.js';
import { clockAt } from '../src/server/modules/places/service.js';
import { fmt, type Row } from './lib.js';
import { compare, listen } from './platform.js';

export const BENCH_PLACES = 100_000;
const HERE = { lat: 24.92, lng: 118.585 };
/** A Wednesday at 14:00 in Beijing: some places are closed for lunch. */
const OPEN_AT = '2026-11-25T14:00:00+08:00';

/**
 * Generated places across the Quanzhou area (not demo: flagged off, named "BENCH …"): half with
 * phone charging, one in ten open all day, the rest open 08:00–20:00 or from 15:00 every day.
 */
export async function generatePlaces(ctx: AppContext, total: number): Promise<void> {
  const have = await ctx.db
    .selectFrom('places')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('name', 'like', 'BENCH %')
    .executeTakeFirstOrThrow();
  if (have.n >= total) return;
  const region = await ctx.db
    .selectFrom('regions')
    .select(['code', 'path', 'district_code'])
    .where('code', '=', '350502')
    .executeTakeFirstOrThrow();
  await ctx.db.transaction().execute(async (trx) => {
    await sql`insert into places (name, kind, region_code, region_path, district_code, lat, lng, amenities, always_open)
      select 'BENCH ' || g, 'warm_station', ${region.code}, ${region.path}::ltree, ${region.district_code},
        24.3 + random() * 1.5, 117.6 + random() * 1.4,
        case when random() < 0.5 then array['rest_seats', 'phone_charging'] else array['rest_seats'] end, random() < 0.1
      from generate_series(${have.n + 1}::int, ${total}::int) g`.execute(trx);
    await sql`insert into place_hours (place_id, weekday, opens, closes)
      select p.id, d, case when (hashtext(p.name) & 3) = 0 then 900 else 480 end, 1200
      from places p, generate_series(0, 6) d
      where p.name like 'BENCH %' and not p.always_open and p.week_hours = '{}'`.execute(trx);
    await sql`update places p set week_hours = (select range_agg(int4range(h.weekday * 1440 + h.opens, h.weekday * 1440 + h.closes))
        from place_hours h where h.place_id = p.id)
      where p.name like 'BENCH %' and not p.always_open and p.week_hours = '{}'`.execute(trx);
  });
  await sql`analyze places`.execute(ctx.db);
  await sql`analyze place_hours`.execute(ctx.db);
}

/** GET /api/places/nearest (10 open with phone charging) vs a bare route running the same KNN SQL. */
export async function nearestThroughput(ctx: AppContext, label: string, seconds: number): Promise<Row> {
  await generatePlaces(ctx, BENCH_PLACES);
  const bare = Fastify({ logger: false });
  const filter = {
    plane: planeOf(ctx.config.serviceArea),
    ...HERE,
    kinds: [],
    amenities: ['phone_charging' as const],
    clock: clockAt(new Date(OPEN_AT)),
    openOnly: true,
    limit: 10,
  };
  // The same query the way the route runs it (a named statement on PostgreSQL), minus the route.
  bare.get('/bare/places/nearest', async () => findNearestPlaces(ctx.db, filter));
  const ours = await buildApp(ctx, { logger: false, web: false });
  const bareUrl = await listen(bare);
  const oursUrl = await listen(ours);
  const query = `lat=${HERE.lat}&lng=${HERE.lng}&amenity=phone_charging&openAt=${encodeURIComponent(OPEN_AT)}&limit=10`;
  const { base, mine, ratio, failed } = await compare(`${bareUrl}/bare/places/nearest`, `${oursUrl}/api/places/nearest?${query}`, {
    // Signed out, as a rider without an account asks (the route is public).
    connections: 1,
    seconds,
  });
  await bare.close();
  await ours.close();
  return {
    benchmark: `GET /api/places/nearest, 10 open with charging of ${BENCH_PLACES.toLocaleString('en')} (${label}, 1 connection)`,
    measured: `${fmt.rps(mine.rps)}, p99 ${fmt.ms(mine.p99)}`,
    // The bare route's p99 too: what this machine gives with no stack at all.
    baseline: `${fmt.rps(base.rps)}, p99 ${fmt.ms(base.p99)} bare route`,
    ratio: fmt.pct(ratio),
    target: 'p99 ≤ 5 ms, ≥ 60%',
    ok: ratio >= 0.6 && mine.p99 <= 5 && failed === 0,
  };
}

/** `npx tsx bench/places.ts [seconds]`: this row alone, on PGlite and (with DATABASE_URL) PostgreSQL. */
async function main(): Promise<void> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { openPGlite, openPostgres } = await import('../src/server/db/connect.js');
  const { makeContext, prepareDatabase } = await import('../src/server/start.js');
  const { testConfig } = await import('../test/helpers/config.js');
  const { printTable } = await import('./lib.js');
  const seconds = Number(process.argv[2] ?? 3);
  const { default: pg } = await import('pg');
  const rows: Row[] = [];
  const base = process.env.DATABASE_URL ?? null;
  // A scratch database on the server of DATABASE_URL, dropped afterwards.
  const name = `nx_bench_places_${process.pid}`;
  const admin = base ? new pg.Client({ connectionString: base }) : null;
  let url: string | null = null;
  if (admin && base) {
    await admin.connect();
    await admin.query(`create database ${name}`);
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  try {
    for (const databaseUrl of url ? (process.env.NX_BENCH_SKIP_PGLITE ? [url] : [url, null]) : [null]) {
      const config = testConfig({ databaseUrl, demoData: true, filesDir: mkdtempSync(path.join(tmpdir(), 'nx-bench-files-')) });
      const ctx = makeContext(config, databaseUrl ? openPostgres(databaseUrl, 4) : await openPGlite(null));
      await prepareDatabase(ctx);
      rows.push(await nearestThroughput(ctx, databaseUrl ? 'PostgreSQL' : 'PGlite', seconds));
      await ctx.db.destroy();
    }
  } finally {
    if (admin) {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }
  printTable(rows);
}

if (process.argv[1]?.endsWith('places.ts')) await main();
