// Places, second part, through the API: the public catalogue and reads, mobile-service stops,
// amenities out of service, check-ins and visits, regions derived from the location, demo data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { districtCodeAt, regionCodeAt } from '../../src/server/modules/regions/locate.js';

let t: TestApp;
let worker: SessionHeaders;
let grid: SessionHeaders;
let station: SessionHeaders;
let coordinator: SessionHeaders;
let haibinCode: string;
let otherStreetCode: string;

interface PlaceJson {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
  active: boolean;
  openNow: boolean;
  starRating: number | null;
  amenities: { code: string; label: { zh: string; en: string }; outOfService: boolean; note: string | null }[];
  mobile: { startsAt: string; endsAt: string } | null;
  photos: unknown[];
  visitsToday?: number;
}
interface NearJson {
  place: PlaceJson;
  openNow: boolean;
}

const HOUR = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();
let seq = 0;

function placeBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  return {
    name: `功能测试驿站${seq}`,
    kind: 'warm_station',
    regionCode: haibinCode,
    address: '泉州市鲤城区测试路9号',
    location: { lat: 25.5 + seq * 0.001, lng: 118.9 },
    amenities: ['rest_seats', 'phone_charging', 'toilet'],
    alwaysOpen: true,
    ...overrides,
  };
}

async function createPlace(overrides: Record<string, unknown> = {}, as = station): Promise<PlaceJson> {
  const res = await t.app.inject({ method: 'POST', url: '/api/places', headers: as, payload: placeBody(overrides) });
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return res.json() as PlaceJson;
}

function stopBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq += 1;
  // One clock reading for both ends: two could straddle a millisecond and stretch the window.
  const now = Date.now();
  return {
    name: `流动服务测试${seq}`,
    regionCode: haibinCode,
    address: '泉州市鲤城区测试广场',
    location: { lat: 25.7, lng: 118.2 + seq * 0.001 },
    startsAt: iso(now - HOUR),
    endsAt: iso(now + 2 * HOUR),
    amenities: ['drinking_water', 'phone_charging'],
    ...overrides,
  };
}

const get = (url: string, headers?: SessionHeaders) => t.app.inject({ method: 'GET', url, ...(headers ? { headers } : {}) });

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  worker = await signInAs(t.app, '13800000001');
  grid = await signInAs(t.app, '13800000002');
  station = await signInAs(t.app, '13800000005');
  coordinator = await signInAs(t.app, '13800000008');
  const streets = (await get('/api/regions?parent=350502')).json() as { items: { code: string; name: string }[] };
  haibinCode = streets.items.find((s) => s.name === '海滨街道')?.code ?? '';
  otherStreetCode = streets.items.find((s) => s.name !== '海滨街道' && s.name.endsWith('街道'))?.code ?? '';
});
afterAll(async () => t.close());

describe('the catalogue of kinds and amenities', () => {
  it('is public and gives every kind and amenity a bilingual label and an icon', async () => {
    const res = await get('/api/places/catalogue');
    expect(res.statusCode).toBe(200);
    const body = res.json() as { kinds: { code: string; label: { zh: string; en: string }; icon: string }[]; amenities: typeof body.kinds };
    expect(body.kinds.map((k) => k.code)).toContain('mobile_service');
    expect(body.kinds.find((k) => k.code === 'mobile_service')?.label).toEqual({ zh: '流动服务', en: 'Mobile service' });
    expect(body.kinds.find((k) => k.code === 'neighbourhood_centre')?.label.zh).toBe('党建+邻里中心');
    expect(body.amenities).toHaveLength(12);
    for (const item of [...body.kinds, ...body.amenities]) {
      expect(item.icon).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(item.label.zh.length).toBeGreaterThan(0);
      expect(item.label.en.length).toBeGreaterThan(0);
    }
  });
});

describe('public reads', () => {
  it('a rider without an account finds places in a map box, by text and by id', async () => {
    const box = await get('/api/places?bbox=24.89,118.55,24.95,118.62&kind=warm_station&limit=500');
    expect(box.statusCode).toBe(200);
    const items = (box.json() as { items: PlaceJson[] }).items;
    expect(items.length).toBe(43);
    const one = await get(`/api/places/${items[0]?.id}`);
    expect(one.statusCode).toBe(200);
    expect((one.json() as PlaceJson).visitsToday).toBeUndefined();
    const text = await get(`/api/places?q=${encodeURIComponent('爱心取水点')}&limit=500`);
    expect((text.json() as { items: PlaceJson[] }).items.length).toBe(65);
  });

  it('lists the places of a region, a zone included', async () => {
    const zone = (await get('/api/places?regionCode=Z350500TS&limit=500')).json() as { items: PlaceJson[] };
    expect(zone.items.filter((p) => p.kind === 'neighbourhood_centre')).toHaveLength(32);
    const street = (await get(`/api/places?regionCode=${haibinCode}&kind=warm_station&limit=500`)).json() as { items: PlaceJson[] };
    expect(street.items.length).toBeGreaterThan(0);
    for (const p of street.items) expect(p.regionCode.startsWith(haibinCode)).toBe(true);
    expect((await get('/api/places?regionCode=999999')).statusCode).toBe(404);
    expect((await get('/api/places?regionCode=a%20b')).statusCode).toBe(400);
  });

  it('an inactive place is found only by the editors of its region', async () => {
    const hidden = await createPlace({ active: false, name: '停用驿站甲' });
    expect((await get(`/api/places/${hidden.id}`)).statusCode).toBe(404);
    expect((await get(`/api/places/${hidden.id}`, worker)).statusCode).toBe(404);
    // A grid member of the same street keeps no register of places.
    expect((await get(`/api/places/${hidden.id}`, grid)).statusCode).toBe(404);
    const seen = await get(`/api/places/${hidden.id}`, station);
    expect(seen.statusCode).toBe(200);
    expect((seen.json() as PlaceJson).active).toBe(false);
    expect((await get(`/api/places/${hidden.id}/poster.png`)).statusCode).toBe(404);

    const q = `/api/places?q=${encodeURIComponent('停用驿站甲')}&includeInactive=true`;
    expect((await get(q)).json()).toEqual({ items: [] });
    expect((await get(q, worker)).json()).toEqual({ items: [] });
    expect((await get(q, grid)).json()).toEqual({ items: [] });
    expect(((await get(q, station)).json() as { items: PlaceJson[] }).items.map((p) => p.id)).toEqual([hidden.id]);
    expect((await get(`/api/places?q=${encodeURIComponent('停用驿站甲')}`, station)).json()).toEqual({ items: [] });
    const nearest = (await get('/api/places/nearest?lat=25.5&lng=118.9&openOnly=false&limit=50')).json() as { items: NearJson[] };
    expect(nearest.items.map((i) => i.place.id)).not.toContain(hidden.id);
  });
});

describe('the region is derived from the location when none is given', () => {
  it('takes the region found at the point', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/places',
      headers: coordinator,
      payload: placeBody({ regionCode: undefined, location: { lat: 24.905, lng: 118.585 } }),
    });
    expect(res.statusCode).toBe(201);
    expect((res.json() as PlaceJson).regionCode.startsWith('350502')).toBe(true);
  });

  it('refuses a point where no region is known with region_required, in both languages', async () => {
    // Inside the service area (24.2–26.0, 117.5–119.2) but outside Quanzhou's regions.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/places',
      headers: coordinator,
      payload: placeBody({ regionCode: undefined, location: { lat: 24.3, lng: 117.55 } }),
    });
    expect(res.statusCode).toBe(400);
    const body = (res.json() as { error: { code: string; message: { zh: string; en: string } } }).error;
    expect(body.code).toBe('region_required');
    expect(body.message.zh).toMatch(/区域/);
    expect(body.message.en).toMatch(/region/);
  });

  it('a derived region outside the editor’s reach is refused', async () => {
    // Station staff of 海滨街道; the point lies in another district (晋江市).
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/places',
      headers: station,
      payload: placeBody({ regionCode: undefined, location: { lat: 24.78, lng: 118.58 } }),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('mobile-service stops', () => {
  it('is on the map as an open place during its window only', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/places/mobile-stops', headers: station, payload: stopBody() });
    expect(res.statusCode).toBe(201);
    const stop = res.json() as PlaceJson;
    expect(stop.kind).toBe('mobile_service');
    expect(stop.openNow).toBe(true);
    expect(stop.mobile).not.toBeNull();
    const at = (ms: number) => encodeURIComponent(iso(ms));
    const lat = 25.7;
    const lng = 118.2;
    const near = async (ms: number, openOnly = true) =>
      (
        (
          await get(`/api/places/nearest?lat=${lat}&lng=${lng}&kind=mobile_service&openAt=${at(ms)}&openOnly=${openOnly}&limit=50`)
        ).json() as {
          items: NearJson[];
        }
      ).items.map((i) => i.place.id);
    expect(await near(Date.now())).toContain(stop.id);
    expect(await near(Date.now() + 3 * HOUR, false)).not.toContain(stop.id);
    expect(await near(Date.now() - 2 * HOUR, false)).not.toContain(stop.id);
    const box = (s: number) => `/api/places?bbox=25.6,118.1,25.8,118.4&kind=mobile_service&at=${at(s)}`;
    expect(((await get(box(Date.now()))).json() as { items: PlaceJson[] }).items.map((p) => p.id)).toContain(stop.id);
    expect(((await get(box(Date.now() + 3 * HOUR))).json() as { items: PlaceJson[] }).items.map((p) => p.id)).not.toContain(stop.id);
    // Its own page still answers after the window, closed.
    const later = (await get(`/api/places/${stop.id}`)).json() as PlaceJson;
    expect(later.mobile).toEqual(stop.mobile);
    expect(Date.parse(later.mobile?.endsAt ?? '') - Date.parse(later.mobile?.startsAt ?? '')).toBe(3 * HOUR);
  });

  it('refuses windows that end before they start, have ended, or last more than a day', async () => {
    const now = Date.now();
    for (const [startsAt, endsAt] of [
      [now + 2 * HOUR, now + HOUR],
      [now - 3 * HOUR, now - HOUR],
      [now, now + 25 * HOUR],
    ] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/places/mobile-stops',
        headers: station,
        payload: stopBody({ startsAt: iso(startsAt), endsAt: iso(endsAt) }),
      });
      expect(res.statusCode).toBe(400);
      expect((res.json() as { error: { code: string } }).error.code).toBe('mobile_window_invalid');
    }
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/places/mobile-stops',
      headers: station,
      payload: stopBody({ endsAt: 'tomorrow' }),
    });
    expect(bad.statusCode).toBe(400);
    const stop = (
      await t.app.inject({ method: 'POST', url: '/api/places/mobile-stops', headers: station, payload: stopBody() })
    ).json() as PlaceJson;
    const edited = await t.app.inject({
      method: 'PUT',
      url: `/api/places/${stop.id}`,
      headers: station,
      payload: placeBody({ kind: 'mobile_service', name: '改名流动服务' }),
    });
    expect(edited.statusCode).toBe(200);
    expect((edited.json() as PlaceJson).mobile).toEqual(stop.mobile);
    const turned = await t.app.inject({ method: 'PUT', url: `/api/places/${stop.id}`, headers: station, payload: placeBody() });
    expect(turned.statusCode).toBe(400);
    const asPlace = await t.app.inject({
      method: 'POST',
      url: '/api/places',
      headers: station,
      payload: placeBody({ kind: 'mobile_service' }),
    });
    expect(asPlace.statusCode).toBe(400);
    expect((asPlace.json() as { error: { code: string } }).error.code).toBe('kind_not_allowed');
  });

  it('is listed for the editors of its region, and cancelled it leaves the map', async () => {
    const stop = (
      await t.app.inject({ method: 'POST', url: '/api/places/mobile-stops', headers: station, payload: stopBody() })
    ).json() as PlaceJson;
    const list = await get(`/api/places/mobile-stops?regionCode=${haibinCode}`, station);
    expect(list.statusCode).toBe(200);
    expect((list.json() as { items: PlaceJson[] }).items.map((p) => p.id)).toContain(stop.id);
    expect((await get(`/api/places/mobile-stops?regionCode=${haibinCode}`, worker)).statusCode).toBe(403);
    expect((await get(`/api/places/mobile-stops?regionCode=${otherStreetCode}`, station)).statusCode).toBe(403);
    expect((await get(`/api/places/mobile-stops?regionCode=${haibinCode}`)).statusCode).toBe(401);
    const inverted = await get(
      `/api/places/mobile-stops?regionCode=${haibinCode}&from=${encodeURIComponent(iso(Date.now()))}&to=${encodeURIComponent(iso(Date.now() - HOUR))}`,
      station,
    );
    expect(inverted.statusCode).toBe(400);

    expect((await t.app.inject({ method: 'DELETE', url: `/api/places/mobile-stops/${stop.id}`, headers: worker })).statusCode).toBe(403);
    const ordinary = await createPlace();
    expect((await t.app.inject({ method: 'DELETE', url: `/api/places/mobile-stops/${ordinary.id}`, headers: station })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ method: 'DELETE', url: `/api/places/mobile-stops/${stop.id}`, headers: station })).statusCode).toBe(204);
    expect((await get(`/api/places/${stop.id}`)).statusCode).toBe(404);
    const after = (await get(`/api/places/mobile-stops?regionCode=${haibinCode}`, station)).json() as { items: PlaceJson[] };
    expect(after.items.find((p) => p.id === stop.id)?.active).toBe(false);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', stop.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['place.mobile_stop.create', 'place.mobile_stop.cancel']);
  });
});

describe('amenities out of service', () => {
  it('leaves a place out of the amenity filter while its amenity is out of service', async () => {
    const place = await createPlace({ location: { lat: 25.9, lng: 117.7 } });
    const near = async (amenity: string) =>
      ((await get(`/api/places/nearest?lat=25.9&lng=117.7&amenity=${amenity}&limit=5`)).json() as { items: NearJson[] }).items.map(
        (i) => i.place.id,
      );
    expect(await near('phone_charging')).toContain(place.id);
    const put = (body: Record<string, unknown>, as = station, code = 'phone_charging') =>
      t.app.inject({ method: 'PUT', url: `/api/places/${place.id}/amenities/${code}`, headers: as, payload: body });
    const res = await put({ outOfService: true, note: '充电柜维修中' });
    expect(res.statusCode).toBe(200);
    expect((res.json() as PlaceJson).amenities.find((a) => a.code === 'phone_charging')).toMatchObject({
      outOfService: true,
      note: '充电柜维修中',
      label: { zh: '手机充电', en: 'Phone charging' },
    });
    expect(await near('phone_charging')).not.toContain(place.id);
    expect(await near('toilet')).toContain(place.id);

    // A replace that keeps the amenity keeps the mark; one that drops it drops the mark.
    const kept = await t.app.inject({
      method: 'PUT',
      url: `/api/places/${place.id}`,
      headers: station,
      payload: placeBody({ location: { lat: 25.9, lng: 117.7 } }),
    });
    expect((kept.json() as PlaceJson).amenities.find((a) => a.code === 'phone_charging')?.outOfService).toBe(true);

    expect((await put({ outOfService: false })).statusCode).toBe(200);
    expect(await near('phone_charging')).toContain(place.id);

    expect((await put({ outOfService: true }, station, 'microwave')).json()).toMatchObject({ error: { code: 'amenity_not_at_place' } });
    expect((await put({ outOfService: true }, station, 'jacuzzi')).statusCode).toBe(400);
    expect((await put({ outOfService: 'yes' })).statusCode).toBe(400);
    expect((await put({ outOfService: true }, worker)).statusCode).toBe(403);
    expect((await put({ outOfService: true }, grid)).statusCode).toBe(403);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', place.id)
      .where('action', '=', 'place.amenity.update')
      .execute();
    expect(audit).toHaveLength(2);
  });
});

describe('check-ins', () => {
  it('takes one check-in per worker, place and clock hour, with the time of the next', async () => {
    const place = await createPlace();
    const post = (as?: SessionHeaders, id = place.id) =>
      t.app.inject({ method: 'POST', url: `/api/places/${id}/check-ins`, ...(as ? { headers: as } : {}) });
    const first = await post(worker);
    expect(first.statusCode).toBe(201);
    const done = first.json() as { checkedInAt: string; nextAllowedAt: string };
    const next = new Date(done.nextAllowedAt);
    expect(next.getTime() % HOUR).toBe(0);
    expect(next.getTime() - Date.parse(done.checkedInAt)).toBeLessThanOrEqual(HOUR);
    const second = await post(worker);
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'already_checked_in', details: { nextAllowedAt: done.nextAllowedAt } } });

    const row = await t.ctx.db.selectFrom('place_check_ins').selectAll().where('place_id', '=', place.id).executeTakeFirstOrThrow();
    const stored = await t.ctx.db.selectFrom('places').select(['lat', 'lng']).where('id', '=', place.id).executeTakeFirstOrThrow();
    expect([row.lat, row.lng]).toEqual([stored.lat, stored.lng]);

    expect((await post()).statusCode).toBe(401);
    expect((await post(station)).statusCode).toBe(403);
    const hidden = await createPlace({ active: false });
    expect((await post(worker, hidden.id)).statusCode).toBe(404);
    expect((await post(worker, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await post(worker, 'not-a-uuid')).statusCode).toBe(400);
  });

  it('two check-ins sent at once make one', async () => {
    const place = await createPlace();
    const results = await Promise.all(
      [1, 2, 3].map(() => t.app.inject({ method: 'POST', url: `/api/places/${place.id}/check-ins`, headers: worker })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409]);
    const rows = await t.ctx.db.selectFrom('place_check_ins').select('id').where('place_id', '=', place.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('a check-in of an earlier hour does not block, and a mobile stop takes check-ins only while on', async () => {
    const place = await createPlace();
    const me = await t.ctx.db.selectFrom('place_check_ins').select('account_id').limit(1).executeTakeFirstOrThrow();
    await t.ctx.db
      .insertInto('place_check_ins')
      .values({ place_id: place.id, account_id: me.account_id, checked_in_at: new Date(Date.now() - 2 * HOUR), lat: 1, lng: 1 })
      .execute();
    expect((await t.app.inject({ method: 'POST', url: `/api/places/${place.id}/check-ins`, headers: worker })).statusCode).toBe(201);

    const later = (
      await t.app.inject({
        method: 'POST',
        url: '/api/places/mobile-stops',
        headers: station,
        payload: stopBody({ startsAt: iso(Date.now() + 5 * HOUR), endsAt: iso(Date.now() + 7 * HOUR) }),
      })
    ).json() as PlaceJson;
    const early = await t.app.inject({ method: 'POST', url: `/api/places/${later.id}/check-ins`, headers: worker });
    expect(early.statusCode).toBe(409);
    expect((early.json() as { error: { code: string } }).error.code).toBe('place_not_open');
  });

  it('station staff see the visits of a day by hour, and today’s count on the place', async () => {
    const place = await createPlace();
    const users = await t.ctx.db.selectFrom('users').select('id').limit(3).execute();
    // 2026-11-20 10:15 and 10:40 (two workers) and 15:05 Beijing time.
    const rows = [
      ['2026-11-20T10:15:00+08:00', users[0]?.id],
      ['2026-11-20T10:40:00+08:00', users[1]?.id],
      ['2026-11-20T15:05:00+08:00', users[0]?.id],
      ['2026-11-20T23:59:00+08:00', users[2]?.id],
      ['2026-11-21T00:01:00+08:00', users[2]?.id],
    ] as const;
    await t.ctx.db
      .insertInto('place_check_ins')
      .values(rows.map(([at, id]) => ({ place_id: place.id, account_id: id ?? '', checked_in_at: new Date(at), lat: 25, lng: 118 })))
      .execute();
    const res = await get(`/api/places/${place.id}/visits?date=2026-11-20`, station);
    expect(res.statusCode).toBe(200);
    const visits = res.json() as {
      date: string;
      checkIns: number;
      workers: number;
      byHour: { hour: number; checkIns: number; workers: number }[];
    };
    expect(visits).toMatchObject({ date: '2026-11-20', checkIns: 4, workers: 3 });
    expect(visits.byHour).toHaveLength(24);
    expect(visits.byHour[10]).toEqual({ hour: 10, checkIns: 2, workers: 2 });
    expect(visits.byHour[15]).toEqual({ hour: 15, checkIns: 1, workers: 1 });
    expect(visits.byHour[23]).toEqual({ hour: 23, checkIns: 1, workers: 1 });

    expect((await get(`/api/places/${place.id}/visits?date=2026-02-30`, station)).statusCode).toBe(400);
    expect((await get(`/api/places/${place.id}/visits?date=yesterday`, station)).statusCode).toBe(400);
    expect((await get(`/api/places/${place.id}/visits`, worker)).statusCode).toBe(403);
    expect((await get(`/api/places/${place.id}/visits`, grid)).statusCode).toBe(403);
    expect((await get(`/api/places/${place.id}/visits`)).statusCode).toBe(401);

    expect((await t.app.inject({ method: 'POST', url: `/api/places/${place.id}/check-ins`, headers: worker })).statusCode).toBe(201);
    expect(((await get(`/api/places/${place.id}`, station)).json() as PlaceJson).visitsToday).toBe(1);
    expect(((await get(`/api/places/${place.id}`, worker)).json() as PlaceJson).visitsToday).toBeUndefined();
    const today = (await get(`/api/places/${place.id}/visits`, station)).json() as { checkIns: number };
    expect(today.checkIns).toBe(1);
  });
});

describe('demo data', () => {
  it('holds the seeds’ counts in their districts, flagged as demo, inside each district', async () => {
    const rows = await t.ctx.db
      .selectFrom('places')
      .select(['kind', 'region_path', 'lat', 'lng', 'star_rating', 'available_from', 'available_until', 'is_demo', 'name'])
      .where('is_demo', '=', true)
      .execute();
    const under = (path: string) => (r: { region_path: string }) => r.region_path.split('.').includes(path);
    const of = (kind: string) => rows.filter((r) => r.kind === kind);
    expect(of('warm_station').filter(under('350502'))).toHaveLength(43);
    expect(of('water_point').filter(under('350502'))).toHaveLength(65);
    const zoneTowns = ['350521104000', '350521105000', '350521106000', '350521200000'];
    const zone = of('neighbourhood_centre').filter((r) => zoneTowns.some((c) => under(c)(r)));
    expect(zone).toHaveLength(32);
    expect(of('neighbourhood_centre').filter(under('350582'))).toHaveLength(35);
    expect(of('rights_contact_point').filter(under('350505'))).toHaveLength(23);
    expect(of('mobile_service').length).toBeGreaterThanOrEqual(3);
    for (const c of of('neighbourhood_centre')) expect(c.star_rating).toBeGreaterThanOrEqual(1);
    for (const c of of('neighbourhood_centre')) expect(c.star_rating).toBeLessThanOrEqual(5);
    expect(new Set(of('neighbourhood_centre').map((c) => c.star_rating)).size).toBeGreaterThanOrEqual(3);
    // Every demo place lies inside the outline of its own district (the region of a place is
    // also what its location says).
    const astray = rows.filter((r) => {
      const codes = r.region_path.split('.');
      const district = codes.find((c) => c.length === 6 && c !== '350500');
      const located = regionCodeAt(r.lat, r.lng);
      return districtCodeAt(r.lat, r.lng) !== district || (located !== district && !codes.includes(located ?? ''));
    });
    expect(astray.map((r) => `${r.name} ${r.lat},${r.lng} ${r.region_path}`)).toEqual([]);
    // Stops lie around the day of loading: one before it, one on it, some after.
    const now = Date.now();
    const stops = of('mobile_service');
    expect(stops.some((r) => (r.available_until?.getTime() ?? 0) < now)).toBe(true);
    expect(stops.some((r) => (r.available_from?.getTime() ?? 0) > now)).toBe(true);
  });
});
