import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planeOf } from '../../src/server/modules/places/plane.js';
import { findNearestPlaces, nearestPlacesQuery } from '../../src/server/modules/places/queries.js';
import { openPostgres } from '../../src/server/db/connect.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';

// The whole of China as the service area, so the published conversion pairs (at 45°N 123°E) are accepted.
const CHINA = { south: 18, west: 73, north: 54, east: 135 };

let t: TestApp;
let worker: SessionHeaders;
let station: SessionHeaders;
let coordinator: SessionHeaders;
let haibinCode: string;
let otherStreetCode: string;

interface PlaceJson {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
  location: { lat: number; lng: number; datum: string };
  sourceDatum: string;
  amenities: { code: string }[];
  hours: { weekday: number; opens: string; closes: string }[];
  isDemo: boolean;
}
interface NearJson {
  place: PlaceJson;
  openNow: boolean;
  distanceM: number;
  minutes: { walk: number; ebike: number; car: number };
}

/** A place body with everyday defaults; the test overrides what it is about. */
function buildPlace(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `测试驿站${Math.random().toString(36).slice(2, 8)}`,
    kind: 'warm_station',
    regionCode: haibinCode,
    address: '泉州市鲤城区测试路1号',
    location: { lat: 24.95, lng: 118.65 },
    amenities: ['rest_seats'],
    hours: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '08:00', closes: '20:00' })),
    ...overrides,
  };
}

async function create(session: SessionHeaders, body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/places', headers: session, payload: body });
}

async function nearest(session: SessionHeaders, query: string) {
  return t.app.inject({ method: 'GET', url: `/api/places/nearest?${query}`, headers: session });
}

beforeAll(async () => {
  t = await createTestApp({ demo: true, config: { serviceArea: CHINA } });
  worker = await signInAs(t.app, '13800000001');
  station = await signInAs(t.app, '13800000005');
  coordinator = await signInAs(t.app, '13800000008');
  const streets = (await t.app.inject({ method: 'GET', url: '/api/regions?parent=350502' })).json() as {
    items: { code: string; name: string }[];
  };
  haibinCode = streets.items.find((s) => s.name === '海滨街道')?.code ?? '';
  otherStreetCode = streets.items.find((s) => s.name !== '海滨街道' && s.name.endsWith('街道'))?.code ?? '';
});
afterAll(async () => t.close());

describe('finding the nearest open place', () => {
  // A Wednesday, 14:00 in Beijing.
  const at = encodeURIComponent('2026-11-25T14:00:00+08:00');
  const origin = { lat: 24.97, lng: 118.66 };

  it('gives the nearest place with charging that is open at 14:00, passing over a nearer one closed for lunch', async () => {
    const lunchBreak = [0, 1, 2, 3, 4, 5, 6].flatMap((weekday) => [
      { weekday, opens: '08:30', closes: '12:00' },
      { weekday, opens: '14:30', closes: '21:00' },
    ]);
    const closed = await create(
      station,
      buildPlace({ name: '午休驿站', location: { lat: 24.971, lng: 118.66 }, amenities: ['phone_charging'], hours: lunchBreak }),
    );
    expect(closed.statusCode).toBe(201);
    const noCharging = await create(
      station,
      buildPlace({ name: '无充电驿站', location: { lat: 24.972, lng: 118.66 }, amenities: ['drinking_water'] }),
    );
    expect(noCharging.statusCode).toBe(201);
    const open = await create(
      station,
      buildPlace({ name: '充电驿站', location: { lat: 24.974, lng: 118.66 }, amenities: ['phone_charging', 'toilet'] }),
    );
    expect(open.statusCode).toBe(201);

    const res = await nearest(worker, `lat=${origin.lat}&lng=${origin.lng}&amenity=phone_charging&openAt=${at}&limit=3`);
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: NearJson[] }).items;
    expect(items[0]?.place.name).toBe('充电驿站');
    expect(items[0]?.openNow).toBe(true);
    expect(items[0]?.distanceM).toBeGreaterThan(400);
    expect(items[0]?.distanceM).toBeLessThan(500);
    const first = items[0];
    if (!first) throw new Error('no result');
    // 445 m × 1.3 at 5 km/h is 7 minutes on foot; by e-bike and car it is quicker.
    expect(first.minutes.walk).toBe(7);
    expect(first.minutes.ebike).toBeLessThan(first.minutes.walk);
    expect(items.map((i) => i.place.name)).not.toContain('午休驿站');

    const all = (
      await nearest(worker, `lat=${origin.lat}&lng=${origin.lng}&amenity=phone_charging&openAt=${at}&openOnly=false&limit=2`)
    ).json() as { items: NearJson[] };
    expect(all.items[0]?.place.name).toBe('午休驿站');
    expect(all.items[0]?.openNow).toBe(false);
  });

  it('a dated closure overrides the weekly hours, and a 24-hour place is open at night', async () => {
    const here = { lat: 25.3, lng: 118.9 };
    const shut = await create(
      station,
      buildPlace({
        name: '临时闭站',
        location: { lat: 25.301, lng: 118.9 },
        exceptions: [{ date: '2026-11-25', opens: null, closes: null, note: '设备检修' }],
      }),
    );
    expect(shut.statusCode).toBe(201);
    const allDay = await create(
      station,
      buildPlace({ name: '全天驿站', location: { lat: 25.305, lng: 118.9 }, alwaysOpen: true, hours: [] }),
    );
    expect(allDay.statusCode).toBe(201);
    const noon = (await nearest(worker, `lat=${here.lat}&lng=${here.lng}&openAt=${at}&limit=1`)).json() as { items: NearJson[] };
    expect(noon.items[0]?.place.name).toBe('全天驿站');
    const nextDay = encodeURIComponent('2026-11-26T14:00:00+08:00');
    const tomorrow = (await nearest(worker, `lat=${here.lat}&lng=${here.lng}&openAt=${nextDay}&limit=1`)).json() as { items: NearJson[] };
    expect(tomorrow.items[0]?.place.name).toBe('临时闭站');
    const night = encodeURIComponent('2026-11-26T03:00:00+08:00');
    const late = (await nearest(worker, `lat=${here.lat}&lng=${here.lng}&openAt=${night}&limit=1`)).json() as { items: NearJson[] };
    expect(late.items[0]?.place.name).toBe('全天驿站');
  });

  it('the demo district has 43 warm stations, nearest first', async () => {
    const res = await nearest(worker, 'lat=24.92&lng=118.585&kind=warm_station&openOnly=false&limit=50');
    const items = (res.json() as { items: NearJson[] }).items.filter((i) => i.place.isDemo);
    expect(items).toHaveLength(43);
    const distances = items.map((i) => i.distanceM);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
  });

  it('the nearest search has one plane index, scaled for the configured service area', async () => {
    const { rows } = await sql<{ name: string; definition: string }>`
      select indexname as name, indexdef as definition from pg_indexes where tablename = 'places' and indexname like 'places_plane_%'`.execute(t.ctx.db);
    const { scale } = planeOf(t.ctx.config.serviceArea);
    // This file's service area is all of China (middle latitude ~36°), not the template's Quanzhou.
    expect(scale).toBeCloseTo(Math.cos((36 * Math.PI) / 180), 1);
    expect(rows.map((r) => r.name)).toEqual([`places_plane_${Math.round(scale * 10_000)}`]);
    expect(rows[0]?.definition).toContain(String(scale));
  });

  it.runIf(process.env.DATABASE_URL)('on PostgreSQL the nearest search runs as a named statement, prepared once per connection', async () => {
    const url = t.ctx.config.databaseUrl ?? '';
    const { db } = openPostgres(url, 1);
    try {
      const filter = {
        plane: planeOf(t.ctx.config.serviceArea),
        lat: 24.92,
        lng: 118.585,
        kinds: [],
        amenities: [],
        clock: { weekday: 3, minute: 840, date: '2026-11-25', at: new Date('2026-11-25T14:00:00+08:00') },
        openOnly: true,
        limit: 5,
      };
      const first = await findNearestPlaces(db, filter);
      const again = await findNearestPlaces(db, filter);
      expect(again.map((p) => p.id)).toEqual(first.map((p) => p.id));
      expect(first.length).toBe(5);
      // One connection in the pool: this is the session that ran the search.
      const { rows } = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(db);
      expect(rows.map((r) => r.name)).toEqual([expect.stringMatching(/^nx_places_nearest_\d+$/)]);
    } finally {
      await db.destroy();
    }
  });

  it('the nearest-place query walks the GiST index in distance order instead of sorting every row', async () => {
    const query = nearestPlacesQuery(t.ctx.db, {
      plane: planeOf(t.ctx.config.serviceArea),
      lat: 24.92,
      lng: 118.585,
      kinds: ['warm_station'],
      amenities: ['phone_charging'],
      clock: { weekday: 3, minute: 840, date: '2026-11-25', at: new Date('2026-11-25T14:00:00+08:00') },
      openOnly: true,
      limit: 10,
    }).compile();
    const plan = await t.ctx.db.transaction().execute(async (trx) => {
      // With a few dozen rows the planner would rightly pick a scan; the test checks the index can serve the order.
      await sql`set local enable_seqscan = off`.execute(trx);
      const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...query, sql: `explain ${query.sql}` });
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    // Between the Limit and the index scan there is no Sort: the index hands rows over nearest first.
    // (Sorts further down belong to the per-row hours aggregates, over a handful of rows each.)
    const outer = plan.slice(0, plan.indexOf('Index Scan using places_plane_'));
    expect(plan).toMatch(/Index Scan using places_plane_\d+ on places p[\s\S]*?Order By: \(point\(\(lng \* '?0\.\d+'?(::double precision)?\), lat\) <->/);
    expect(outer).toMatch(/^Limit/);
    expect(outer).not.toMatch(/Sort\b/);
  });

  it('a rider without an account finds the nearest open places too', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/places/nearest?lat=24.92&lng=118.58&limit=3' });
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: NearJson[] }).items;
    expect(items).toHaveLength(3);
    for (const item of items) expect(item.openNow).toBe(true);
  });
});

describe('map view and search', () => {
  it('finds places in a view box and by a part of the name or address', async () => {
    const box = await t.app.inject({
      method: 'GET',
      url: '/api/places?bbox=24.89,118.555,24.93,118.6&kind=warm_station&limit=500',
      headers: worker,
    });
    expect(box.statusCode).toBe(200);
    const inBox = (box.json() as { items: PlaceJson[] }).items;
    expect(inBox.length).toBe(43);
    for (const p of inBox) expect(p.location.lat).toBeGreaterThanOrEqual(24.89);
    const search = await t.app.inject({ method: 'GET', url: `/api/places?q=${encodeURIComponent('中山路')}`, headers: worker });
    const found = (search.json() as { items: PlaceJson[] }).items;
    expect(found.length).toBeGreaterThan(0);
    for (const p of found) expect(p.name.includes('中山路') || JSON.stringify(p).includes('中山路')).toBe(true);
  });
});

describe('bad input is refused', () => {
  it('latitude 91 is refused', async () => {
    expect((await nearest(worker, 'lat=91&lng=118.58')).statusCode).toBe(400);
    expect((await create(station, buildPlace({ location: { lat: 91, lng: 118.58 } }))).statusCode).toBe(400);
  });

  it('a location outside the service area is refused', async () => {
    const res = await create(station, buildPlace({ location: { lat: 60, lng: 100 } }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('outside_service_area');
  });

  it('hours that close before they open, or overlap on one day, are refused', async () => {
    const backwards = await create(station, buildPlace({ hours: [{ weekday: 1, opens: '18:00', closes: '09:00' }] }));
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('hours_invalid');
    const overlap = await create(
      station,
      buildPlace({
        hours: [
          { weekday: 2, opens: '08:00', closes: '12:00' },
          { weekday: 2, opens: '11:00', closes: '18:00' },
        ],
      }),
    );
    expect(overlap.statusCode).toBe(400);
    expect(overlap.json().error.code).toBe('hours_invalid');
    const sameOtherDays = await create(
      station,
      buildPlace({
        hours: [
          { weekday: 2, opens: '08:00', closes: '12:00' },
          { weekday: 3, opens: '11:00', closes: '18:00' },
        ],
      }),
    );
    expect(sameOtherDays.statusCode).toBe(201);
  });

  it('an unknown amenity is refused', async () => {
    expect((await create(station, buildPlace({ amenities: ['jacuzzi'] }))).statusCode).toBe(400);
    expect((await nearest(worker, 'lat=24.92&lng=118.58&amenity=jacuzzi')).statusCode).toBe(400);
  });
});

describe('datums: stored as WGS-84, converted at the edges (pairs from gcoord’s own tests)', () => {
  it('a GCJ-02 point is stored as its WGS-84 equivalent and given back in GCJ-02 on request', async () => {
    const res = await create(station, buildPlace({ location: { lat: 45, lng: 123, datum: 'gcj02' } }));
    expect(res.statusCode).toBe(201);
    const place = res.json() as PlaceJson;
    expect(place.sourceDatum).toBe('gcj02');
    expect(place.location.lat).toBeCloseTo(44.99804071, 5);
    expect(place.location.lng).toBeCloseTo(122.99395597, 5);
    const back = (await t.app.inject({ method: 'GET', url: `/api/places/${place.id}?datum=gcj02`, headers: worker })).json() as PlaceJson;
    expect(back.location.lat).toBeCloseTo(45, 5);
    expect(back.location.lng).toBeCloseTo(123, 5);
  });

  it('a WGS-84 point answers in GCJ-02 as the published pair, and BD-09 input converts too', async () => {
    const res = await create(station, buildPlace({ location: { lat: 45, lng: 123 } }));
    const place = res.json() as PlaceJson;
    const gcj = (await t.app.inject({ method: 'GET', url: `/api/places/${place.id}?datum=gcj02`, headers: worker })).json() as PlaceJson;
    expect(gcj.location.lat).toBeCloseTo(45.00197815, 5);
    expect(gcj.location.lng).toBeCloseTo(123.00607541, 5);
    const bd = (await t.app.inject({ method: 'GET', url: `/api/places/${place.id}?datum=bd09`, headers: worker })).json() as PlaceJson;
    expect(bd.location.lat).toBeCloseTo(45.0083293, 5);
    expect(bd.location.lng).toBeCloseTo(123.0124491, 5);
    const fromBaidu = (
      await create(station, buildPlace({ location: { lat: 45.00636899, lng: 123.00636499, datum: 'bd09' } }))
    ).json() as PlaceJson;
    expect(fromBaidu.location.lat).toBeCloseTo(44.99804071, 5);
    expect(fromBaidu.location.lng).toBeCloseTo(122.99395597, 5);
  });

  it('a GCJ-02 point labelled as WGS-84 lands hundreds of metres away in Quanzhou', async () => {
    const gcj = { lat: 24.917006, lng: 118.584455 };
    const asGcj = (await create(station, buildPlace({ location: { ...gcj, datum: 'gcj02' } }))).json() as PlaceJson;
    const mislabelled = (await create(station, buildPlace({ location: { ...gcj, datum: 'wgs84' } }))).json() as PlaceJson;
    expect(asGcj.location.lat).toBeCloseTo(24.92, 4);
    expect(asGcj.location.lng).toBeCloseTo(118.58, 4);
    const dLat = (mislabelled.location.lat - asGcj.location.lat) * 111_000;
    const dLng = (mislabelled.location.lng - asGcj.location.lng) * 111_000 * Math.cos((24.92 * Math.PI) / 180);
    expect(Math.hypot(dLat, dLng)).toBeGreaterThan(400);
    expect(Math.hypot(dLat, dLng)).toBeLessThan(700);
  });
});

describe('who may create and edit places', () => {
  it('a worker cannot create a place', async () => {
    expect((await create(worker, buildPlace())).statusCode).toBe(403);
  });

  it('station staff edit places in their own street but not in another street', async () => {
    const own = (await create(station, buildPlace())).json() as PlaceJson;
    const renamed = await t.app.inject({
      method: 'PUT',
      url: `/api/places/${own.id}`,
      headers: station,
      payload: buildPlace({ name: '改名驿站' }),
    });
    expect(renamed.statusCode).toBe(200);
    expect((renamed.json() as PlaceJson).name).toBe('改名驿站');

    const elsewhere = await create(coordinator, buildPlace({ regionCode: otherStreetCode }));
    expect(elsewhere.statusCode).toBe(201);
    const id = (elsewhere.json() as PlaceJson).id;
    const edit = await t.app.inject({
      method: 'PUT',
      url: `/api/places/${id}`,
      headers: station,
      payload: buildPlace({ name: '越权修改' }),
    });
    expect(edit.statusCode).toBe(403);
    expect((await create(station, buildPlace({ regionCode: otherStreetCode }))).statusCode).toBe(403);
  });

  it('creating and editing a place are audited', async () => {
    const created = (await create(coordinator, buildPlace({ name: '审计驿站' }))).json() as PlaceJson;
    await t.app.inject({
      method: 'PUT',
      url: `/api/places/${created.id}`,
      headers: coordinator,
      payload: buildPlace({ name: '审计驿站二' }),
    });
    const rows = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', created.id).orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['place.create', 'place.update']);
  });
});
