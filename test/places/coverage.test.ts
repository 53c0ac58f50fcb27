// The fifteen-minute circle through the API on a real database: coverage share, open hours,
// greedy suggestions, who may plan where, and the refusals.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, signInWithTwoFactor, type SessionHeaders, type TestApp } from '../helpers/app.js';

interface Coverage {
  region: { code: string; name: string; nameEn: string | null };
  resolutionM: number;
  mode: string;
  minutes: number;
  cells: { total: number; covered: number };
  weight: { total: number; covered: number };
  share: number;
  cellShare: number;
  uncovered: { lat: number; lng: number; weight: number }[];
  uncoveredTotal: number;
  suggestions: { lat: number; lng: number; adds: number; addsCells: number; shareAfter: number }[];
  places: number;
  at: string;
  datum: string;
  bounds: { south: number; west: number; north: number; east: number };
  outline: [number, number][][] | null;
}

let t: TestApp;
let districtCoordinator: SessionHeaders;
let streetCoordinator: SessionHeaders;
let zoneCoordinator: SessionHeaders;
let stationStaff: SessionHeaders;
let worker: SessionHeaders;

// A Wednesday: 14:00 and 03:00 in Beijing.
const AFTERNOON = '2026-11-25T14:00:00+08:00';
const NIGHT = '2026-11-25T03:00:00+08:00';
// A kind the demo data does not seed, so the test's own places decide the figures.
const KIND = 'gig_market';

async function coverage(session: SessionHeaders | null, query: string) {
  return t.app.inject({ method: 'GET', url: `/api/places/coverage?${query}`, headers: session ?? {} });
}

async function covered(query: string): Promise<Coverage> {
  const res = await coverage(districtCoordinator, query);
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  return res.json() as Coverage;
}

/** A gig market open 08:00–20:00 every day at the point, created by the district coordinator. */
async function addPlace(lat: number, lng: number): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/places',
    headers: districtCoordinator,
    payload: {
      name: `零工市场${Math.random().toString(36).slice(2, 7)}`,
      kind: KIND,
      regionCode: '350502',
      address: '泉州市鲤城区测试路2号',
      location: { lat, lng },
      hours: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opens: '08:00', closes: '20:00' })),
    },
  });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
  return (res.json() as { id: string }).id;
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  districtCoordinator = await signInAs(t.app, '13800000008');
  streetCoordinator = await signInAs(t.app, '13800000014');
  zoneCoordinator = await signInAs(t.app, '13800000013');
  stationStaff = await signInAs(t.app, '13800000005');
  worker = await signInAs(t.app, '13800000001');
});
afterAll(async () => t.close());

const at = (iso: string) => encodeURIComponent(iso);
const base = `regionCode=350502&kind=${KIND}&mode=walk&minutes=15&resolution=200`;

describe('coverage of a district', () => {
  it('answers for 鲤城区 on a 200 m grid, with the defaults filled in', async () => {
    const c = await covered(`regionCode=350502&at=${at(AFTERNOON)}`);
    expect(c.region).toEqual({ code: '350502', name: '鲤城区', nameEn: 'Licheng' });
    expect(c).toMatchObject({ resolutionM: 200, mode: 'ebike', minutes: 15 });
    // 鲤城区 is about 53 km²: some 1,300–1,500 cells of 0.04 km².
    expect(c.cells.total).toBeGreaterThan(1200);
    expect(c.cells.total).toBeLessThan(1600);
    expect(c.share).toBeGreaterThanOrEqual(0);
    expect(c.share).toBeLessThanOrEqual(1);
    expect(c.at).toBe(new Date(AFTERNOON).toISOString());
    // Every uncovered centre lies in the district's box, and the list is heaviest first.
    const { south, west, north, east } = c.bounds;
    expect(south).toBeGreaterThan(24.8);
    expect(north).toBeLessThan(25.0);
    for (const u of c.uncovered) {
      expect(u.lat).toBeGreaterThanOrEqual(south);
      expect(u.lat).toBeLessThanOrEqual(north);
      expect(u.lng).toBeGreaterThanOrEqual(west);
      expect(u.lng).toBeLessThanOrEqual(east);
    }
    // The outline to draw: closed rings of [lat, lng] within the box.
    expect(c.outline?.length).toBeGreaterThan(0);
    for (const ring of c.outline ?? []) {
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      for (const [lat, lng] of ring) {
        expect(lat).toBeGreaterThanOrEqual(south);
        expect(lng).toBeLessThanOrEqual(east);
      }
    }
    const weights = c.uncovered.map((u) => u.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
  });

  it('rises when a place is added in an uncovered area, and the suggestion said by how much', async () => {
    const before = await covered(`${base}&at=${at(AFTERNOON)}&suggest=3`);
    const [first] = before.suggestions;
    expect(first).toBeDefined();
    if (!first) return;
    expect(before.uncovered.some((u) => Math.abs(u.lat - first.lat) < 1e-6 && Math.abs(u.lng - first.lng) < 1e-6)).toBe(true);

    await addPlace(first.lat, first.lng);
    const after = await covered(`${base}&at=${at(AFTERNOON)}&suggest=3`);
    expect(after.places).toBe(before.places + 1);
    expect(after.share).toBeGreaterThan(before.share);
    expect(after.cells.covered).toBe(before.cells.covered + first.addsCells);
    expect(after.weight.covered).toBeCloseTo(before.weight.covered + first.adds, 3);
    expect(after.share).toBeCloseTo(first.shareAfter, 6);
    // Its own cell is covered now.
    expect(after.uncovered.some((u) => Math.abs(u.lat - first.lat) < 1e-6 && Math.abs(u.lng - first.lng) < 1e-6)).toBe(false);
  });

  it('does not count a place at a time it is closed', async () => {
    const day = await covered(`${base}&at=${at(AFTERNOON)}&suggest=0`);
    const night = await covered(`${base}&at=${at(NIGHT)}&suggest=0`);
    expect(day.places).toBeGreaterThan(0);
    expect(night.places).toBe(0);
    expect(night.cells.covered).toBe(0);
    expect(night.share).toBe(0);
    expect(day.share).toBeGreaterThan(night.share);
  });

  it('ranks suggestions greedily: the first pick adds the most, and each adds to the share', async () => {
    const c = await covered(`regionCode=350502&kind=${KIND}&mode=walk&at=${at(NIGHT)}&suggest=5`);
    expect(c.suggestions).toHaveLength(5);
    const adds = c.suggestions.map((s) => s.adds);
    expect(adds).toEqual([...adds].sort((a, b) => b - a));
    expect(adds[0]).toBe(Math.max(...adds));
    let share = c.share;
    for (const s of c.suggestions) {
      expect(s.adds).toBeGreaterThan(0);
      expect(s.addsCells).toBeGreaterThan(0);
      expect(s.shareAfter).toBeGreaterThan(share);
      share = s.shareAfter;
    }
    // Nothing is open at night: a walk of 15 minutes reaches ~960 m, some 70 cells of 200 m.
    expect(c.suggestions[0]?.addsCells).toBeGreaterThan(50);
    expect(c.suggestions[0]?.addsCells).toBeLessThan(90);
  });

  it('reaches further by e-bike than on foot, and further in 30 minutes than in 15', async () => {
    const walk = await covered(`${base}&at=${at(AFTERNOON)}&suggest=0`);
    const ebike = await covered(`regionCode=350502&kind=${KIND}&mode=ebike&at=${at(AFTERNOON)}&suggest=0`);
    const walk30 = await covered(`regionCode=350502&kind=${KIND}&mode=walk&minutes=30&at=${at(AFTERNOON)}&suggest=0`);
    expect(ebike.cells.covered).toBeGreaterThan(walk.cells.covered);
    expect(walk30.cells.covered).toBeGreaterThan(walk.cells.covered);
  });

  it('weighs cells by recent check-ins, so a place where workers gather counts for more', async () => {
    const c0 = await covered(`regionCode=350502&kind=${KIND}&mode=walk&at=${at(NIGHT)}&suggest=1`);
    const target = c0.uncovered[c0.uncovered.length - 1];
    expect(target).toBeDefined();
    if (!target) return;
    const place = await addPlace(target.lat, target.lng);
    // 400 check-ins of one worker, an hour apart, over the last 17 days; and some from last year.
    const { rows } = await sql<{ id: string }>`select id from users order by created_at limit 1`.execute(t.ctx.db);
    const accountId = rows[0]?.id;
    await sql`insert into place_check_ins (place_id, account_id, checked_in_at, lat, lng)
      select ${place}, ${accountId}, now() - make_interval(hours => g), ${target.lat}, ${target.lng}
      from generate_series(1, 400) g`.execute(t.ctx.db);
    await sql`insert into place_check_ins (place_id, account_id, checked_in_at, lat, lng)
      select ${place}, ${accountId}, now() - make_interval(days => 200, hours => g), ${target.lat}, ${target.lng}
      from generate_series(1, 300) g`.execute(t.ctx.db);
    const c1 = await covered(`regionCode=350502&kind=${KIND}&mode=walk&at=${at(NIGHT)}&suggest=1`);
    // Only the last 90 days count.
    expect(c1.weight.total).toBeCloseTo(c0.weight.total + 400, 6);
    expect(c1.uncovered[0]?.weight).toBe(401);
    // The best new site now lies within reach (~960 m) of where the workers check in.
    const s = c1.suggestions[0];
    expect(s).toBeDefined();
    if (!s) return;
    const dy = (s.lat - target.lat) * 111_195;
    const dx = (s.lng - target.lng) * 111_195 * Math.cos((target.lat * Math.PI) / 180);
    expect(Math.hypot(dx, dy)).toBeLessThan(1000);
  });
});

describe('worker presence from photo reports', () => {
  it('weighs a cell by the reports workers sent from it', async () => {
    const c0 = await covered(`regionCode=350502&kind=${KIND}&mode=walk&at=${at(NIGHT)}&suggest=0`);
    const target = c0.uncovered.find((c) => c.weight === 1);
    expect(target).toBeDefined();
    if (!target) return;
    for (let i = 0; i < 3; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/reports',
        headers: worker,
        payload: { category: 'guardrails', text: `护栏松动${i}`, location: { lat: target.lat, lng: target.lng, datum: 'wgs84' } },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const c1 = await covered(`regionCode=350502&kind=${KIND}&mode=walk&at=${at(NIGHT)}&suggest=0`);
    expect(c1.weight.total).toBeCloseTo(c0.weight.total + 3, 6);
    const cell = c1.uncovered.find((c) => Math.abs(c.lat - target.lat) < 1e-9 && Math.abs(c.lng - target.lng) < 1e-9);
    expect(cell?.weight).toBe(4);
  });
});

describe('answering in the datum the map draws in', () => {
  it('gives the same cells in GCJ-02, shifted by the usual ~500 m, when asked', async () => {
    const query = `regionCode=350502&kind=${KIND}&mode=walk&at=${at(NIGHT)}&suggest=1`;
    const wgs = await covered(query);
    const gcj = await covered(`${query}&datum=gcj02`);
    expect(wgs.datum).toBe('wgs84');
    expect(gcj.datum).toBe('gcj02');
    expect(gcj.cells).toEqual(wgs.cells);
    const [a, b] = [wgs.suggestions[0], gcj.suggestions[0]];
    if (!a || !b) throw new Error('no suggestion');
    // Around 泉州, GCJ-02 lies ~0.005° east and ~0.0025° south of WGS-84.
    expect(b.lng - a.lng).toBeGreaterThan(0.003);
    expect(b.lng - a.lng).toBeLessThan(0.007);
    expect(a.lat - b.lat).toBeGreaterThan(0.001);
    expect(a.lat - b.lat).toBeLessThan(0.004);
    expect(b.adds).toBe(a.adds);
    expect(gcj.bounds.east - wgs.bounds.east).toBeGreaterThan(0.003);
    expect((gcj.outline?.[0]?.[0]?.[1] ?? 0) - (wgs.outline?.[0]?.[0]?.[1] ?? 0)).toBeGreaterThan(0.003);
  });
});

describe('coverage of a zone', () => {
  it('grids 泉州台商投资区 from its four towns for its coordinator', async () => {
    const res = await coverage(zoneCoordinator, `regionCode=Z350500TS&at=${at(AFTERNOON)}&suggest=0`);
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const c = res.json() as Coverage;
    expect(c.region.name).toBe('泉州台商投资区');
    // Officially ~228 km²; the approximate town split gives ~260 km²: 5,000–7,500 cells.
    expect(c.cells.total).toBeGreaterThan(5000);
    expect(c.cells.total).toBeLessThan(7500);
    // Its shape is a split of 惠安县 by town seats: no outline to draw, only the box.
    expect(c.outline).toBeNull();
    expect(c.bounds.south).toBeLessThan(c.bounds.north);
  });
});

describe('who may plan', () => {
  it('refuses signed-out callers, workers and station staff', async () => {
    expect((await coverage(null, 'regionCode=350502')).statusCode).toBe(401);
    for (const session of [worker, stationStaff]) {
      const res = await coverage(session, 'regionCode=350502');
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
  });

  it('keeps a street’s coordinator to their street: not the district, another district or another street', async () => {
    for (const code of ['350502', '350503', '350521104000', 'Z350500TS']) {
      const res = await coverage(streetCoordinator, `regionCode=${code}`);
      expect(res.statusCode, code).toBe(403);
    }
  });

  it('keeps the zone’s coordinator out of 鲤城区, and the district’s out of the zone', async () => {
    expect((await coverage(zoneCoordinator, 'regionCode=350502')).statusCode).toBe(403);
    expect((await coverage(districtCoordinator, 'regionCode=Z350500TS')).statusCode).toBe(403);
  });
});

describe('bad input', () => {
  it('404 for an unknown region', async () => {
    const res = await coverage(districtCoordinator, 'regionCode=350599');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'region_not_found' } });
  });

  it('400 region_without_geometry for a street whose outline we do not have', async () => {
    const streets = (await t.app.inject({ method: 'GET', url: '/api/regions?parent=350502', headers: districtCoordinator })).json() as {
      items: { code: string; name: string }[];
    };
    const haibin = streets.items.find((s) => s.name === '海滨街道')?.code;
    expect(haibin).toBeDefined();
    for (const session of [districtCoordinator, streetCoordinator]) {
      const res = await coverage(session, `regionCode=${haibin}`);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'region_without_geometry' } });
    }
  });

  it.each([
    ['resolution below 50 m', 'resolution=49'],
    ['resolution above 2000 m', 'resolution=2001'],
    ['resolution not a number', 'resolution=fine'],
    ['minutes 0', 'minutes=0'],
    ['minutes above 60', 'minutes=61'],
    ['an unknown mode', 'mode=plane'],
    ['an unknown kind', 'kind=castle'],
    ['a time that is not one', 'at=yesterday'],
    ['too many suggestions', 'suggest=21'],
    ['an unknown datum', 'datum=itrf'],
    ['a region code with odd characters', 'regionCode=35%3B05'],
  ])('400 for %s', async (_what, query) => {
    const res = await coverage(districtCoordinator, query.startsWith('regionCode') ? query : `regionCode=350502&${query}`);
    expect(res.statusCode, res.body.slice(0, 200)).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('answers for all of 泉州市 to a city administrator, and refuses a grid too fine for it', async () => {
    const { session: admin } = await signInWithTwoFactor(t.app, '13800000009');
    const coarse = await coverage(admin, `regionCode=350500&resolution=2000&at=${at(AFTERNOON)}&suggest=2`);
    expect(coarse.statusCode, coarse.body.slice(0, 200)).toBe(200);
    // 泉州市 is ~11,000 km² (金门县, which the platform does not serve, left out): ~2,800 cells of 4 km².
    const city = coarse.json() as Coverage;
    expect(city.cells.total).toBeGreaterThan(2400);
    expect(city.cells.total).toBeLessThan(3200);
    expect(city.places).toBeGreaterThan(0);
    const fine = await coverage(admin, 'regionCode=350500&resolution=50');
    expect(fine.statusCode).toBe(400);
    expect(fine.json()).toMatchObject({ error: { code: 'invalid_request', details: { resolution: 'too fine for a region this large' } } });
  });

  it('400 without a region', async () => {
    expect((await coverage(districtCoordinator, 'mode=walk')).statusCode).toBe(400);
  });
});
