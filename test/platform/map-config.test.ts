// The worker app's map tiles: MAP_TILE_* and MAP_CENTRE are read and checked at start, and the
// public /api/meta hands them to the web app.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, TIANDITU_VEC } from '../../src/server/config.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const dir = mkdtempSync(path.join(tmpdir(), 'nx-map-config-'));
const load = (env: Record<string, string>) => loadConfig({ DATA_DIR: 'd', ...env }, dir);

describe('map tile configuration', () => {
  it('defaults to Tianditu vector tiles with its annotation layer, no key, and the 鲤城区 centre', () => {
    const { map } = load({});
    expect(map.tileUrl).toBe(TIANDITU_VEC);
    expect(map.tileUrl).toContain('vec_w');
    expect(map.labelUrl).toContain('cva_w');
    expect(map.labelUrl).toContain('LAYER=cva');
    expect(map.tileKey).toBe('');
    expect(map.attribution).toContain('天地图');
    expect(map.centre).toEqual({ lat: 24.912, lng: 118.586 });
  });

  it('takes another provider, its key and attribution; a custom provider has no label layer unless given', () => {
    const { map } = load({
      MAP_TILE_URL: 'https://tiles.example.cn/{z}/{x}/{y}.png?key={key}',
      MAP_TILE_KEY: ' abc123 ',
      MAP_TILE_ATTRIBUTION: '© Example',
      MAP_CENTRE: '24.8,118.6',
    });
    expect(map).toEqual({
      tileUrl: 'https://tiles.example.cn/{z}/{x}/{y}.png?key={key}',
      labelUrl: '',
      tileKey: 'abc123',
      attribution: '© Example',
      centre: { lat: 24.8, lng: 118.6 },
    });
    expect(load({ MAP_TILE_LABEL_URL: '' }).map.labelUrl).toBe('');
  });

  it.each([
    ['http://tiles.example.cn/{z}/{x}/{y}.png', 'plain http'],
    ['https://tiles.example.cn/tile.png', 'no {z}/{x}/{y}'],
    ['https://tiles.example.cn/{z}/{x}.png', 'no {y}'],
  ])('refuses MAP_TILE_URL %s (%s)', (url) => {
    expect(() => load({ MAP_TILE_URL: url })).toThrow(ConfigError);
    expect(() => load({ MAP_TILE_URL: url })).toThrow(/MAP_TILE_URL/);
  });

  it.each(['91,118.5', '24.9', 'north,east', '24.9,181'])('refuses MAP_CENTRE %s', (centre) => {
    expect(() => load({ MAP_CENTRE: centre })).toThrow(/MAP_CENTRE/);
  });
});

describe('GET /api/meta', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      config: { map: { tileUrl: TIANDITU_VEC, labelUrl: '', tileKey: 'k-1', attribution: '天地图', centre: { lat: 24.9, lng: 118.6 } } },
    });
  });
  afterAll(async () => t?.close());

  it('gives anyone, signed out too, the map tiles the web app should draw', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/meta' });
    expect(res.statusCode).toBe(200);
    expect(res.json().map).toEqual({
      tileUrl: TIANDITU_VEC,
      labelUrl: '',
      tileKey: 'k-1',
      attribution: '天地图',
      centre: { lat: 24.9, lng: 118.6 },
    });
  });
});
