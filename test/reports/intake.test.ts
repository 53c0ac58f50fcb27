// Report intake and its bad inputs: a photo that is not an image, ten photos, a location in
// another city, a double submit (one after the other and at once), a category with no route;
// the QR poster's place; categories and routes in the console; the public map.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInWithTwoFactor, type SessionHeaders } from '../helpers/app.js';
import { ok, step, type MatterJson } from '../matters/helpers.js';
import { LICHENG, orgId, PHONES, reportApp, signInAs, submit, upload } from './helpers.js';

let t: Awaited<ReturnType<typeof reportApp>>;
let worker: SessionHeaders;
let coordinator: SessionHeaders;

beforeAll(async () => {
  t = await reportApp();
  worker = await signInAs(t.app, PHONES.worker);
  coordinator = await signInAs(t.app, PHONES.coordinator);
});
afterAll(async () => t?.done());

const code = (res: { json(): unknown }) => (res.json() as { error: { code: string } }).error.code;

describe('bad input at intake', () => {
  it('refuses a photo that is not an image, judged by its content', async () => {
    const doc = await upload(t.app, worker, 'pdf');
    const res = await submit(t.app, worker, { photos: [doc] });
    expect(res.statusCode).toBe(400);
    expect(code(res)).toBe('photos_invalid');
    // Nothing was written, and the upload is still free to use.
    expect(await t.ctx.db.selectFrom('files').select('subject_id').where('id', '=', doc).executeTakeFirst()).toEqual({ subject_id: null });
  });

  it('refuses ten photos and takes nine', async () => {
    const photos = [];
    for (let i = 0; i < 10; i++) photos.push(await upload(t.app, worker));
    const ten = await submit(t.app, worker, { photos });
    expect(ten.statusCode).toBe(400);
    expect(code(ten)).toBe('photos_invalid');
    const nine = await submit(t.app, worker, { photos: photos.slice(0, 9) });
    expect(nine.statusCode, nine.body).toBe(201);
    expect((nine.json() as { photos: unknown[] }).photos).toHaveLength(9);
  });

  it('refuses a location in another city or outside the service area', async () => {
    for (const location of [
      { lat: 24.4798, lng: 118.0894 }, // 厦门
      { lat: 26.0745, lng: 119.2965 }, // 福州
      { lat: 118.5869, lng: 24.9079 }, // swapped
    ]) {
      const res = await submit(t.app, worker, { location });
      expect(res.statusCode, JSON.stringify(location)).toBe(400);
    }
    const res = await submit(t.app, worker, { location: { lat: 24.4798, lng: 118.0894 } });
    expect(code(res)).toBe('outside_service_area');
    const none = await submit(t.app, worker, { location: undefined });
    expect(code(none)).toBe('location_required');
  });

  it('accepts the GCJ-02 datum of Chinese phone maps and stores WGS-84', async () => {
    const res = await submit(t.app, worker, { location: { lat: 24.905, lng: 118.592, datum: 'gcj02' } });
    expect(res.statusCode, res.body).toBe(201);
    const payload = (res.json() as { payload: { lat: number; lng: number } }).payload;
    expect(Math.abs(payload.lat - 24.905)).toBeGreaterThan(0.001);
  });

  it('refuses an unknown category, a long text and a time in the future', async () => {
    expect(code(await submit(t.app, worker, { category: 'potholes' }))).toBe('category_unknown');
    expect((await submit(t.app, worker, { text: '长'.repeat(501) })).statusCode).toBe(400);
    expect(code(await submit(t.app, worker, { occurredAt: new Date(Date.now() + 3600_000).toISOString() }))).toBe('occurred_at_invalid');
  });

  it('is for workers and grid members, signed in', async () => {
    expect((await submit(t.app, {} as SessionHeaders, {})).statusCode).toBe(401);
    const staff = await signInAs(t.app, PHONES.handler);
    expect((await submit(t.app, staff, {})).statusCode).toBe(403);
    expect((await submit(t.app, await signInAs(t.app, PHONES.grid), {})).statusCode).toBe(201);
  });

  it('makes one report of a double submit, one after the other or at once', async () => {
    const photo = await upload(t.app, worker);
    const first = await submit(t.app, worker, { photos: [photo], text: '重复提交' }, 'offline-0001');
    expect(first.statusCode, first.body).toBe(201);
    const second = await submit(t.app, worker, { photos: [photo], text: '重复提交' }, 'offline-0001');
    expect(second.statusCode).toBe(200);
    expect((second.json() as { id: string }).id).toBe((first.json() as { id: string }).id);

    const photo2 = await upload(t.app, worker);
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => submit(t.app, worker, { photos: [photo2], text: '同时提交' }, 'offline-0002')),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 201]);
    expect(new Set(burst.map((r) => (r.json() as { id: string }).id)).size).toBe(1);
    const rows = await t.ctx.db.selectFrom('reports').select('matter_id').where('idempotency_key', '=', 'offline-0002').execute();
    expect(rows).toHaveLength(1);
    // The key is the worker's own: another worker's same key is another report.
    expect(code(await submit(t.app, worker, {}, 'bad key with spaces'))).toBe('idempotency_key_invalid');
  });

  it('fills region and location from a QR poster’s place', async () => {
    const place = await t.ctx.db
      .selectFrom('places')
      .select(['id', 'region_code', 'lat', 'lng'])
      .where('is_active', '=', true)
      .where('region_code', '!=', '350502')
      .limit(1)
      .executeTakeFirstOrThrow();
    const res = await submit(t.app, worker, { location: undefined, placeId: place.id, category: 'station_facilities' });
    expect(res.statusCode, res.body).toBe(201);
    const report = res.json() as { regionCode: string; payload: { lat: number; placeId: string } };
    expect(report.regionCode).toBe(place.region_code);
    expect(report.payload).toMatchObject({ lat: place.lat, placeId: place.id });
    const missing = await submit(t.app, worker, { placeId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
  });
});

describe('routing', () => {
  it('refuses to adopt a report whose category has no route in its region, unless a department is chosen', async () => {
    const sent = await submit(t.app, worker, { category: 'uncivil', text: '乱停车堵住消防通道' });
    const report = sent.json() as MatterJson;
    const res = await step(t.app, coordinator, report, 'adopt', { input: { level: 'ordinary' } });
    expect(res.statusCode).toBe(409);
    expect(code(res)).toBe('no_route');
    // Refused whole: still awaiting review, no points paid.
    const row = await t.ctx.db.selectFrom('matters').select(['status', 'version']).where('id', '=', report.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'submitted', version: report.version });
    expect(await t.ctx.db.selectFrom('point_transfers').select('id').where('source_id', '=', report.id).execute()).toHaveLength(0);
    const org = await orgId(t.app, coordinator, '鲤城区人力资源和社会保障局');
    const adopted = await ok(t.app, coordinator, report, 'adopt', { input: { level: 'ordinary', ownerOrgId: org } });
    expect(adopted).toMatchObject({ status: 'dispatched', ownerOrgId: org });
  });

  it('sends a report to the most specific route: the street’s over the district’s', async () => {
    const district = await orgId(t.app, coordinator, '鲤城区人力资源和社会保障局');
    const streetCoordinator = await signInAs(t.app, PHONES.streetCoordinator);
    const street = await orgId(t.app, streetCoordinator, '海滨街道办事处');
    const streetCode = (await t.ctx.db.selectFrom('organisations').select('region_code').where('id', '=', street).executeTakeFirstOrThrow())
      .region_code;
    const put = (session: SessionHeaders, regionCode: string, organisationId: string) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/report-routes',
        headers: session,
        payload: { category: 'sanitation', regionCode, organisationId },
      });
    expect((await put(coordinator, '350502', district)).statusCode).toBe(200);
    const set = await put(streetCoordinator, streetCode, street);
    expect(set.statusCode, set.body).toBe(200);
    // A street's coordinator cannot set the district's route.
    expect((await put(streetCoordinator, '350502', street)).statusCode).toBe(403);

    const place = await t.ctx.db.selectFrom('places').select('id').where('region_code', '=', streetCode).limit(1).executeTakeFirst();
    const inStreet = place ? ((await submit(t.app, worker, { placeId: place.id, category: 'sanitation' })).json() as MatterJson) : null;
    const inDistrict = (await submit(t.app, worker, { category: 'sanitation' })).json() as MatterJson;
    // Without a level (the console's generic step), the report counts as ordinary.
    const adopted = await ok(t.app, coordinator, inDistrict, 'adopt', { input: {} });
    expect(adopted.ownerOrgId).toBe(district);
    expect(adopted.events.at(-1)?.data).toMatchObject({ level: 'ordinary' });
    if (inStreet) expect((await ok(t.app, coordinator, inStreet, 'adopt', { input: { level: 'ordinary' } })).ownerOrgId).toBe(street);

    // The table lists both for the district's coordinator, only its own for the street's; changes are audited.
    const list = async (s: SessionHeaders) =>
      (
        (await t.app.inject({ method: 'GET', url: '/api/report-routes?category=sanitation', headers: s })).json() as {
          items: { id: string; regionCode: string }[];
        }
      ).items;
    expect((await list(coordinator)).map((r) => r.regionCode)).toEqual(expect.arrayContaining(['350502', streetCode]));
    const own = await list(streetCoordinator);
    expect(own.map((r) => r.regionCode)).toEqual([streetCode]);
    const districtRoute = (await list(coordinator)).find((r) => r.regionCode === '350502');
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/report-routes/${districtRoute?.id}`, headers: streetCoordinator })).statusCode,
    ).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/report-routes/${own[0]?.id}`, headers: streetCoordinator })).statusCode).toBe(
      204,
    );
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', 'like', 'report_route.%').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['report_route.set', 'report_route.delete']));
    // Workers keep out of the table.
    expect((await t.app.inject({ method: 'GET', url: '/api/report-routes', headers: worker })).statusCode).toBe(403);
  });
});

describe('categories', () => {
  it('are edited by the city administrator only, and an inactive one is refused at intake', async () => {
    const { session: admin } = await signInWithTwoFactor(t.app, PHONES.admin);
    const put = (s: SessionHeaders, active: boolean) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/report-categories/street_lights',
        headers: s,
        payload: { labelZh: '路灯不亮', labelEn: 'Street lights out', handleDays: 3, active },
      });
    expect((await put(coordinator, true)).statusCode).toBe(403);
    const created = await put(admin, true);
    expect(created.statusCode, created.body).toBe(200);
    const list = await t.app.inject({ method: 'GET', url: '/api/report-categories', headers: worker });
    expect((list.json() as { items: { code: string; label: { zh: string } }[] }).items).toContainEqual(
      expect.objectContaining({ code: 'street_lights', label: { zh: '路灯不亮', en: 'Street lights out' } }),
    );
    expect((await submit(t.app, worker, { category: 'street_lights' })).statusCode).toBe(201);
    await put(admin, false);
    expect(code(await submit(t.app, worker, { category: 'street_lights' }))).toBe('category_unknown');
  });
});

describe('the public map', () => {
  it('shows recent reports signed out, without reporter, text or photos, rounded to about 100 m', async () => {
    const bbox = `${LICHENG.lat - 0.05},${LICHENG.lng - 0.05},${LICHENG.lat + 0.05},${LICHENG.lng + 0.05}`;
    const res = await t.app.inject({ method: 'GET', url: `/api/public/reports?bbox=${bbox}`, remoteAddress: '10.9.9.1' });
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: Record<string, unknown>[] }).items;
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(Object.keys(item).sort()).toEqual(['category', 'closedOn', 'lat', 'lng', 'reportedOn', 'status']);
      expect(Math.round((item.lat as number) * 1000) / 1000).toBe(item.lat);
    }
    expect(res.body).not.toContain('乱停车');
    expect(items.map((i) => i.status)).not.toContain('rejected');
  });

  it('is limited per address', async () => {
    const bbox = '24.8,118.5,25.0,118.7';
    let last = 0;
    for (let i = 0; i < 61; i++)
      last = (await t.app.inject({ method: 'GET', url: `/api/public/reports?bbox=${bbox}`, remoteAddress: '10.9.9.2' })).statusCode;
    expect(last).toBe(429);
    const wide = await t.app.inject({ method: 'GET', url: '/api/public/reports?bbox=20,110,30,120', remoteAddress: '10.9.9.3' });
    expect(wide.statusCode).toBe(400);
  });
});
