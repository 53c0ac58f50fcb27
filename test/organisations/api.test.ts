import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
let districtCoordinator: SessionHeaders;
let streetCoordinator: SessionHeaders;
let zoneCoordinator: SessionHeaders;
let worker: SessionHeaders;
let haibinCode: string;
let otherStreetCode: string;

interface OrgJson {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
  regionName: string;
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  districtCoordinator = await signInAs(t.app, '13800000008');
  streetCoordinator = await signInAs(t.app, '13800000014');
  zoneCoordinator = await signInAs(t.app, '13800000013');
  worker = await signInAs(t.app, '13800000001');
  const streets = (await t.app.inject({ method: 'GET', url: '/api/regions?parent=350502' })).json() as {
    items: { code: string; name: string }[];
  };
  haibinCode = streets.items.find((s) => s.name === '海滨街道')?.code ?? '';
  otherStreetCode = streets.items.find((s) => s.name !== '海滨街道')?.code ?? '';
});
afterAll(async () => t.close());

async function list(session: SessionHeaders, query = ''): Promise<{ status: number; items: OrgJson[]; total: number }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/organisations${query}`, headers: session });
  const body = res.json() as { items: OrgJson[]; total: number };
  return { status: res.statusCode, items: body.items ?? [], total: body.total ?? 0 };
}

describe('organisations are listed within the staff member’s scope', () => {
  it('a district coordinator sees the district’s organisations and every street office', async () => {
    const all = await list(districtCoordinator, '?region=350502&limit=200');
    expect(all.status).toBe(200);
    expect(all.items.map((o) => o.name)).toEqual(expect.arrayContaining(['鲤城区人力资源和社会保障局', '海滨街道办事处']));
    expect(all.total).toBe(all.items.length);
  });

  it('a street coordinator sees only their street, even when asking for the district', async () => {
    const mine = await list(streetCoordinator, '?region=350502&limit=200');
    expect(mine.items.length).toBeGreaterThan(0);
    for (const o of mine.items) expect(o.regionCode.startsWith(haibinCode)).toBe(true);
    const other = await list(streetCoordinator, `?region=${otherStreetCode}`);
    expect(other.items).toEqual([]);
    expect(other.total).toBe(0);
  });

  it('a zone coordinator sees the zone’s organisations but none of 鲤城区', async () => {
    const zone = await list(zoneCoordinator, '?limit=200');
    expect(zone.items.map((o) => o.name)).toContain('泉州台商投资区党工委党建办');
    expect(zone.items.some((o) => o.regionCode.startsWith('350502'))).toBe(false);
  });

  it('filters by kind and by text, and pages', async () => {
    const offices = await list(districtCoordinator, '?region=350502&kind=street_office&limit=200');
    expect(offices.items.length).toBeGreaterThanOrEqual(7);
    expect(offices.items.every((o) => o.kind === 'street_office')).toBe(true);
    const found = await list(districtCoordinator, `?q=${encodeURIComponent('人力资源')}`);
    expect(found.items.map((o) => o.name)).toEqual(['鲤城区人力资源和社会保障局']);
    const page1 = await list(districtCoordinator, '?region=350502&limit=3&offset=0');
    const page2 = await list(districtCoordinator, '?region=350502&limit=3&offset=3');
    expect(page1.items).toHaveLength(3);
    expect(page2.items.map((o) => o.id)).not.toContain(page1.items[0]?.id);
    expect(page1.total).toBe(page2.total);
  });

  it('a worker holds no staff role and sees no organisations; a signed-out caller gets 401', async () => {
    expect((await list(worker)).items).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/organisations' })).statusCode).toBe(401);
  });

  it('one organisation outside the scope is reported as not found', async () => {
    const district = await list(districtCoordinator, `?region=${otherStreetCode}&kind=street_office`);
    const id = district.items[0]?.id;
    expect((await t.app.inject({ method: 'GET', url: `/api/organisations/${id}`, headers: districtCoordinator })).statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: `/api/organisations/${id}`, headers: streetCoordinator });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'organisation_not_found' } });
  });
});

describe('creating organisations', () => {
  it('a street coordinator creates one in their street', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: streetCoordinator,
      payload: { name: '海滨街道新就业群体工会小组', kind: 'trade_union', regionCode: haibinCode },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '海滨街道新就业群体工会小组', kind: 'trade_union', regionCode: haibinCode });
  });

  it('but not in another street, nor above their own scope', async () => {
    for (const regionCode of [otherStreetCode, '350502']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/organisations',
        headers: streetCoordinator,
        payload: { name: '越权组织', kind: 'enterprise', regionCode },
      });
      expect(res.statusCode).toBe(403);
    }
    expect((await list(districtCoordinator, `?q=${encodeURIComponent('越权')}`)).items).toEqual([]);
  });

  it('a worker may not create organisations', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: worker,
      payload: { name: 'x', kind: 'enterprise', regionCode: haibinCode },
    });
    expect(res.statusCode).toBe(403);
  });

  it('a duplicate name in the same region is a 409; an unknown kind or region is refused', async () => {
    const dup = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: districtCoordinator,
      payload: { name: '鲤城区总工会', kind: 'trade_union', regionCode: '350502' },
    });
    expect(dup.statusCode).toBe(409);
    const badKind = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: districtCoordinator,
      payload: { name: 'x', kind: 'club', regionCode: '350502' },
    });
    expect(badKind.statusCode).toBe(400);
    const badRegion = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: districtCoordinator,
      payload: { name: 'x', kind: 'enterprise', regionCode: '999999' },
    });
    expect(badRegion.statusCode).toBe(404);
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: districtCoordinator,
      payload: { name: '名'.repeat(101), kind: 'enterprise', regionCode: '350502' },
    });
    expect(huge.statusCode).toBe(400);
  });
});
