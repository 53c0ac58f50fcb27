// Locating points in the shipped outlines (src/server/modules/regions/data/geometry.json, made by
// scripts/generate-region-geometry.mjs): known places land in their district, the sea and the
// world outside 泉州 in none, and the codes are ones the region tree knows.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionAt, shapeOf } from '../../src/server/modules/regions/locate.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

const at = (lat: number, lng: number) => regionAt(t.ctx, { lat, lng });

describe('regionAt', () => {
  it.each([
    ['开元寺', 24.9135, 118.587, '350502'],
    ['泉州中山路 钟楼', 24.9089, 118.5859, '350502'],
    ['丰泽区 东海 泉州市政府', 24.8746, 118.6755, '350503'],
    ['洛江区 万安', 24.9615, 118.6225, '350504'],
    ['泉港区 山腰', 25.128, 118.905, '350505'],
    ['晋江 市区', 24.78, 118.55, '350582'],
    ['石狮 市区', 24.735, 118.645, '350581'],
    ['南安 溪美', 24.96, 118.39, '350583'],
    ['安溪 凤城', 25.06, 118.185, '350524'],
    ['永春 桃城', 25.322, 118.294, '350525'],
    ['德化 浔中', 25.49, 118.24, '350526'],
    ['金门 金城', 24.432, 118.318, '350527'],
  ])('%s (%f, %f) lies in %s', async (_name, lat, lng, code) => {
    // Districts split into streets (晋江, 泉港, 惠安) answer a street of theirs.
    const found = await at(lat, lng);
    expect(found?.slice(0, 6)).toBe(code);
    if (['350505', '350521', '350582'].includes(code)) expect(found).toMatch(/^\d{9}000$/);
    else expect(found).toBe(code);
  });

  it('places a point of 惠安县 in a town, and the towns of 泉州台商投资区 among them', async () => {
    // 惠安 county town, and 洛阳镇 by the Luoyang bridge's eastern end.
    expect(await at(25.031, 118.797)).toBe('350521100000');
    expect(await at(24.965, 118.69)).toBe('350521104000');
    expect(await at(24.887, 118.918)).toBe('350521107000'); // 崇武古城
  });

  it('places points of 晋江市 and 泉港区 in their streets by the nearest seat', async () => {
    expect(await at(24.815, 118.583)).toBe('350582001000'); // 青阳街道
    expect(await at(24.712, 118.465)).toBe('350582101000'); // 安海镇
    expect(await at(24.652, 118.652)).toBe('350582105000'); // 深沪镇
    expect(await at(25.121, 118.913)).toBe('350505001000'); // 山腰街道
  });

  it('gives a point just across a simplified border to the nearest district, not to none', async () => {
    // Midway between two neighbouring outlines' versions of their shared border stays in one of them.
    for (let lng = 118.55; lng <= 118.62; lng += 0.002) {
      expect(await at(24.925, lng)).not.toBeNull();
    }
  });

  it.each([
    ['the Taiwan Strait off 崇武', 24.8, 119.1],
    ['泉州湾 between 丰泽 and 石狮', 24.81, 118.75],
    ['厦门', 24.48, 118.09],
    ['福州', 26.07, 119.3],
    ['北京', 39.9, 116.4],
    ['the South Pole', -90, 0],
  ])('%s is in no region', async (_name, lat, lng) => {
    expect(await at(lat, lng)).toBeNull();
  });

  it('answers null for a point that is not a number', async () => {
    expect(await at(Number.NaN, 118.5)).toBeNull();
  });

  it('gives only codes the region tree knows', async () => {
    const tree = JSON.parse(readFileSync(new URL('../../src/server/modules/regions/data/quanzhou.json', import.meta.url), 'utf8')) as {
      regions: { code: string }[];
    };
    const known = new Set(tree.regions.map((r) => r.code));
    for (let lat = 24.6; lat <= 25.6; lat += 0.05) {
      for (let lng = 117.9; lng <= 119.1; lng += 0.05) {
        const code = await at(lat, lng);
        if (code !== null) expect(known.has(code), code).toBe(true);
      }
    }
  });
});

describe('shapeOf', () => {
  it('has outlines for the districts, 泉州市 and the zone, not for communities or unknown streets', () => {
    expect(shapeOf('350582')).not.toBeNull();
    const city = shapeOf('350500');
    expect(city).not.toBeNull();
    // The city's shape leaves out 金门县, which the platform does not serve.
    expect(city?.contains(24.432, 118.318)).toBe(false);
    expect(city?.contains(24.9135, 118.587)).toBe(true);
    expect(shapeOf('Z350500TS', ['350521104000', '350521105000', '350521106000', '350521200000'])).not.toBeNull();
    expect(shapeOf('350582001000')).not.toBeNull(); // 青阳街道: 晋江 is split by seats
    expect(shapeOf('350582400000')).toBeNull(); // a development zone: no seat
    expect(shapeOf('350502001000')).toBeNull(); // 海滨街道: no seats in 鲤城区
    expect(shapeOf('350502001001')).toBeNull(); // a community
    expect(shapeOf('999999')).toBeNull();
  });

  it('agrees with regionAt on which points are inside', async () => {
    const shape = shapeOf('350502');
    if (!shape) throw new Error('no outline for 鲤城区');
    for (const [lat, lng] of [
      [24.9135, 118.587],
      [24.78, 118.55],
      [24.93, 118.5],
    ] as const) {
      expect(shape.contains(lat, lng)).toBe((await at(lat, lng)) === '350502');
    }
  });
});
