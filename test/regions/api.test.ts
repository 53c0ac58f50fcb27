import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

interface RegionJson {
  code: string;
  name: string;
  level: string;
  kind: string;
  parentCode: string | null;
  districtCode: string | null;
  childCount: number;
}

async function get<T>(url: string): Promise<{ status: number; body: T }> {
  const res = await t.app.inject({ method: 'GET', url });
  return { status: res.statusCode, body: res.json() as T };
}

describe('the region tree of 泉州市', () => {
  it('starts at 泉州市 (350500)', async () => {
    const { body } = await get<{ items: RegionJson[] }>('/api/regions');
    expect(body.items.map((r) => [r.code, r.name])).toEqual([['350500', '泉州市']]);
  });

  it('lists all county-level units of Quanzhou and the investment zone', async () => {
    const { body } = await get<{ items: RegionJson[] }>('/api/regions?parent=350500');
    const names = body.items.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '鲤城区',
        '丰泽区',
        '洛江区',
        '泉港区',
        '惠安县',
        '安溪县',
        '永春县',
        '德化县',
        '石狮市',
        '晋江市',
        '南安市',
        '泉州台商投资区',
      ]),
    );
    const zone = body.items.find((r) => r.name === '泉州台商投资区');
    expect(zone?.kind).toBe('zone');
    expect(body.items.every((r) => r.level === 'district')).toBe(true);
  });

  it('lists the streets of 鲤城区 with their district code', async () => {
    const { body } = await get<{ items: RegionJson[] }>('/api/regions?parent=350502');
    expect(body.items.length).toBeGreaterThanOrEqual(7);
    expect(body.items.map((r) => r.name)).toContain('海滨街道');
    for (const street of body.items) {
      expect(street.level).toBe('street');
      expect(street.districtCode).toBe('350502');
      expect(street.code.startsWith('350502')).toBe(true);
    }
  });

  it('gives one region with its ancestors from the root down', async () => {
    const { body: streets } = await get<{ items: RegionJson[] }>('/api/regions?parent=350502');
    const haibin = streets.items.find((r) => r.name === '海滨街道');
    const { status, body } = await get<RegionJson & { ancestors: { code: string }[] }>(`/api/regions/${haibin?.code}`);
    expect(status).toBe(200);
    expect(body.ancestors.map((a) => a.code)).toEqual(['350500', '350502']);
    expect(body.childCount).toBeGreaterThan(0);
  });

  it('a zone spans towns that stay under their own county', async () => {
    const { body: districts } = await get<{ items: RegionJson[] }>('/api/regions?parent=350500');
    const zone = districts.items.find((r) => r.kind === 'zone');
    const { body } = await get<{ members: RegionJson[] }>(`/api/regions/${zone?.code}`);
    expect(body.members.map((m) => m.name).sort()).toEqual(['东园镇', '张坂镇', '洛阳镇', '百崎回族乡'].sort());
    for (const town of body.members) expect(town.parentCode).toBe('350521');
    const { body: children } = await get<{ items: RegionJson[] }>(`/api/regions?parent=${zone?.code}`);
    expect(children.items).toHaveLength(4);
    const { body: huian } = await get<{ items: RegionJson[] }>('/api/regions?parent=350521');
    expect(huian.items.map((r) => r.name)).toContain('洛阳镇');
  });

  it('an unknown region is a 404 and a malformed code a 400', async () => {
    expect((await get('/api/regions/999999')).status).toBe(404);
    expect((await get('/api/regions?parent=999999')).status).toBe(404);
    expect((await get('/api/regions/abc%20def')).status).toBe(400);
  });
});

describe('searching regions by name', () => {
  it('finds a street by part of its name, with the path of names', async () => {
    const { body } = await get<{ items: (RegionJson & { pathNames: string[] })[] }>(`/api/regions/search?q=${encodeURIComponent('海滨')}`);
    const first = body.items[0];
    expect(first?.name).toBe('海滨街道');
    expect(first?.pathNames).toEqual(['泉州市', '鲤城区', '海滨街道']);
  });

  it('can be limited to a subtree', async () => {
    const { body } = await get<{ items: RegionJson[] }>(`/api/regions/search?q=${encodeURIComponent('镇')}&within=350521&limit=100`);
    expect(body.items.length).toBeGreaterThan(0);
    for (const r of body.items) expect(r.code.startsWith('350521')).toBe(true);
  });

  it('a zone search covers its member towns', async () => {
    const { body: districts } = await get<{ items: RegionJson[] }>('/api/regions?parent=350500');
    const zone = districts.items.find((r) => r.kind === 'zone');
    const { body } = await get<{ items: RegionJson[] }>(`/api/regions/search?q=${encodeURIComponent('洛阳')}&within=${zone?.code}`);
    expect(body.items.map((r) => r.name)).toContain('洛阳镇');
    const { body: outside } = await get<{ items: RegionJson[] }>(
      `/api/regions/search?q=${encodeURIComponent('海滨')}&within=${zone?.code}`,
    );
    expect(outside.items).toEqual([]);
  });

  it('treats LIKE wildcards and SQL-shaped text as plain text', async () => {
    for (const q of ['%', '_', "'; drop table regions; --", '\\']) {
      const { status, body } = await get<{ items: RegionJson[] }>(`/api/regions/search?q=${encodeURIComponent(q)}`);
      expect(status).toBe(200);
      expect(body.items).toEqual([]);
    }
    expect((await get<{ items: RegionJson[] }>('/api/regions?parent=350500')).body.items.length).toBeGreaterThan(10);
  });

  it('rejects an empty or overlong query', async () => {
    expect((await get('/api/regions/search?q=')).status).toBe(400);
    expect((await get(`/api/regions/search?q=${'街'.repeat(51)}`)).status).toBe(400);
    expect((await get('/api/regions/search?q=x&limit=1000')).status).toBe(400);
  });
});
