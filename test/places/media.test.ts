// Places, through the API: photos (through the files module, public to read), export that
// re-imports, and the printable QR poster (decoded back to its URL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import jsQRModule from 'jsqr';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, pdf, pngWithAlpha } from '../files/fixtures.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
let filesDir: string;
let worker: SessionHeaders;
let station: SessionHeaders;
let coordinator: SessionHeaders;
let haibinCode: string;
let otherStreetCode: string;
let seq = 0;

interface PlaceJson {
  id: string;
  name: string;
  active: boolean;
  photos: { id: string; url: string; thumbnailUrl: string }[];
}

const PUBLIC_URL = 'https://nuanxin.example.cn';

// jsqr is CommonJS whose types declare an ES default export: take whichever the loader hands over.
type Decode = typeof import('jsqr').default;
const jsQR: Decode = typeof jsQRModule === 'function' ? (jsQRModule as Decode) : (jsQRModule as unknown as { default: Decode }).default;

async function createPlace(overrides: Record<string, unknown> = {}, as = station): Promise<PlaceJson> {
  seq += 1;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/places',
    headers: as,
    payload: {
      name: `媒体测试驿站${seq}`,
      kind: 'warm_station',
      regionCode: haibinCode,
      address: '泉州市鲤城区海滨街道测试路8号',
      location: { lat: 24.91, lng: 118.59 },
      amenities: ['rest_seats', 'phone_charging'],
      hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '18:00' })),
      ...overrides,
    },
  });
  if (res.statusCode !== 201) throw new Error(`create: ${res.statusCode} ${res.body}`);
  return res.json() as PlaceJson;
}

async function addPhoto(placeId: string, as: SessionHeaders, data?: Buffer, filename = 'station.png') {
  const body = multipart({ filename, data: data ?? (await pngWithAlpha(800, 600)) });
  return t.app.inject({ method: 'POST', url: `/api/places/${placeId}/photos`, headers: { ...as, ...body.headers }, payload: body.payload });
}

const get = (url: string, headers?: SessionHeaders) => t.app.inject({ method: 'GET', url, ...(headers ? { headers } : {}) });

beforeAll(async () => {
  filesDir = mkdtempSync(path.join(tmpdir(), 'nx-place-files-'));
  t = await createTestApp({ demo: true, config: { filesDir, publicUrl: PUBLIC_URL } });
  worker = await signInAs(t.app, '13800000001');
  station = await signInAs(t.app, '13800000005');
  coordinator = await signInAs(t.app, '13800000008');
  const streets = (await get('/api/regions?parent=350502')).json() as { items: { code: string; name: string }[] };
  haibinCode = streets.items.find((s) => s.name === '海滨街道')?.code ?? '';
  otherStreetCode = streets.items.find((s) => s.name !== '海滨街道' && s.name.endsWith('街道'))?.code ?? '';
});
afterAll(async () => {
  await t.close();
  rmSync(filesDir, { recursive: true, force: true });
});

describe('photos of a place', () => {
  it('station staff add a photo that anyone can see, re-encoded as JPEG', async () => {
    const place = await createPlace();
    const res = await addPhoto(place.id, station);
    expect(res.statusCode).toBe(201);
    const photo = res.json() as { id: string; url: string; thumbnailUrl: string };
    expect(photo.url).toBe(`/api/places/${place.id}/photos/${photo.id}`);
    const shown = (await get(`/api/places/${place.id}`)).json() as PlaceJson;
    expect(shown.photos).toEqual([photo]);

    const original = await get(photo.url);
    expect(original.statusCode).toBe(200);
    expect(original.headers['content-type']).toBe('image/jpeg');
    expect((await sharp(original.rawPayload).metadata()).format).toBe('jpeg');
    const thumb = await get(photo.thumbnailUrl);
    expect(thumb.statusCode).toBe(200);
    expect((await sharp(thumb.rawPayload).metadata()).width).toBeLessThanOrEqual(320);
    // Through the files module as well, for anyone signed in (files/access.ts).
    expect((await get(`/api/files/${photo.id}`, worker)).statusCode).toBe(200);
    // Another place's id does not reach it.
    const other = await createPlace();
    expect((await get(`/api/places/${other.id}/photos/${photo.id}`)).statusCode).toBe(404);

    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', place.id).execute();
    expect(audit.map((a) => a.action)).toContain('place.photo.add');
  });

  it('refuses photos from those who do not keep the place, documents, and a thirteenth photo', async () => {
    const place = await createPlace();
    expect((await addPhoto(place.id, worker)).statusCode).toBe(403);
    const elsewhere = await createPlace({ regionCode: otherStreetCode }, coordinator);
    expect((await addPhoto(elsewhere.id, station)).statusCode).toBe(403);
    const before = await t.ctx.db.selectFrom('files').select('id').execute();
    const document = await addPhoto(place.id, station, pdf(), 'plan.pdf');
    expect(document.statusCode).toBe(415);
    expect(await t.ctx.db.selectFrom('files').select('id').execute()).toHaveLength(before.length);
    const notAnImage = await addPhoto(place.id, station, Buffer.from('just text, not a photo'), 'fake.png');
    expect(notAnImage.statusCode).toBe(415);
    const json = await t.app.inject({ method: 'POST', url: `/api/places/${place.id}/photos`, headers: station, payload: { file: 'x' } });
    expect(json.statusCode).toBe(415);

    const full = Array.from({ length: 12 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await t.ctx.db.updateTable('places').set({ photo_ids: full }).where('id', '=', place.id).execute();
    const thirteenth = await addPhoto(place.id, station);
    expect(thirteenth.statusCode).toBe(409);
    expect((thirteenth.json() as { error: { code: string } }).error.code).toBe('too_many_photos');
  });

  it('station staff remove a photo: it is gone for everyone', async () => {
    const place = await createPlace();
    const photo = (await addPhoto(place.id, station)).json() as { id: string; url: string };
    const del = (as: SessionHeaders, fileId = photo.id) =>
      t.app.inject({ method: 'DELETE', url: `/api/places/${place.id}/photos/${fileId}`, headers: as });
    expect((await del(worker)).statusCode).toBe(403);
    expect((await del(station, '00000000-0000-4000-8000-000000000001')).statusCode).toBe(404);
    expect((await del(station)).statusCode).toBe(204);
    expect((await get(photo.url)).statusCode).toBe(404);
    expect(((await get(`/api/places/${place.id}`)).json() as PlaceJson).photos).toEqual([]);
    expect(await t.ctx.db.selectFrom('files').select('id').where('id', '=', photo.id).execute()).toEqual([]);
    expect((await del(station)).statusCode).toBe(404);
  });

  it('photos of an inactive place are not shown to the public', async () => {
    const place = await createPlace();
    const photo = (await addPhoto(place.id, station)).json() as { url: string };
    await t.app.inject({
      method: 'PUT',
      url: `/api/places/${place.id}`,
      headers: station,
      payload: { name: place.name, kind: 'warm_station', regionCode: haibinCode, location: { lat: 24.91, lng: 118.59 }, active: false },
    });
    expect((await get(photo.url)).statusCode).toBe(404);
    expect((await get(photo.url, station)).statusCode).toBe(200);
  });
});

describe('export', () => {
  it('writes a CSV with the import headings that imports again', async () => {
    await createPlace({ name: '导出驿站甲', starRating: 4, kind: 'neighbourhood_centre' });
    await createPlace({ name: '导出驿站乙', alwaysOpen: true, hours: [] });
    const res = await get(`/api/places/export?format=csv&regionCode=${haibinCode}`, station);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const text = res.body.replace(/^\uFEFF/, '');
    const [heading, ...lines] = text.trim().split('\r\n');
    expect(heading).toBe('名称,类型,区域代码,地址,纬度,经度,坐标系,联系人,联系电话,设施,营业时间,24小时,星级,启用');
    const mine = lines.filter((l) => l.startsWith('导出驿站'));
    expect(mine).toHaveLength(2);
    const centre = mine.find((l) => l.startsWith('导出驿站甲'));
    expect(centre).toContain('党建+邻里中心');
    expect(centre).toContain('1,2,3,4,5 08:00-18:00');
    expect(centre).toMatch(/,4,是$/);
    expect(mine.find((l) => l.startsWith('导出驿站乙'))).toMatch(/,是,,是$/);

    const csv = [heading, ...mine.map((l) => l.replace('导出驿站', '再导入驿站'))].join('\r\n');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/places/import',
      headers: { ...station, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: 2, refused: 0 });
    const copy = (await get(`/api/places?q=${encodeURIComponent('再导入驿站甲')}`)).json() as {
      items: { starRating: number; hours: unknown[]; kind: string }[];
    };
    expect(copy.items[0]).toMatchObject({ starRating: 4, kind: 'neighbourhood_centre' });
    expect(copy.items[0]?.hours).toHaveLength(5);

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'place.export').execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('writes an Excel workbook of one kind', async () => {
    const res = await get(`/api/places/export?format=xlsx&regionCode=350502&kind=water_point`, coordinator);
    expect(res.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet?.getRow(1).getCell(1).text).toBe('名称');
    expect((sheet?.rowCount ?? 0) - 1).toBe(65);
    expect(sheet?.getRow(2).getCell(2).text).toBe('爱心商户取水点');
  });

  it('exports a zone for its coordinator: the neighbourhood centres of 泉州台商投资区', async () => {
    const zone = await signInAs(t.app, '13800000013');
    const res = await get('/api/places/export?format=csv&regionCode=Z350500TS&kind=neighbourhood_centre', zone);
    expect(res.statusCode).toBe(200);
    const lines = res.body.trim().split('\r\n').slice(1);
    expect(lines).toHaveLength(32);
    for (const line of lines) expect(line).toContain('党建+邻里中心');
    expect((await get('/api/places/export?format=csv&regionCode=Z350500TS', station)).statusCode).toBe(403);
  });

  it('is for the editors of the region only, and refuses bad parameters', async () => {
    expect((await get(`/api/places/export?format=csv&regionCode=${haibinCode}`)).statusCode).toBe(401);
    expect((await get(`/api/places/export?format=csv&regionCode=${haibinCode}`, worker)).statusCode).toBe(403);
    expect((await get(`/api/places/export?format=csv&regionCode=${otherStreetCode}`, station)).statusCode).toBe(403);
    expect((await get(`/api/places/export?format=csv&regionCode=350502`, station)).statusCode).toBe(403);
    expect((await get(`/api/places/export?format=pdf&regionCode=${haibinCode}`, station)).statusCode).toBe(400);
    expect((await get(`/api/places/export?format=csv&regionCode=999999`, station)).statusCode).toBe(404);
    expect((await get(`/api/places/export?format=csv`, station)).statusCode).toBe(400);
  });
});

describe('the QR poster', () => {
  it('is an A4 PNG whose QR code opens the place page in the worker app', async () => {
    const place = await createPlace({ name: '海滨暖新驿站（海报测试）' });
    const res = await get(`/api/places/${place.id}/poster.png`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    const image = sharp(res.rawPayload);
    const meta = await image.metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 1240, 1754]);
    const { data, info } = await image.ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    const code = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
    expect(code?.data).toBe(`${PUBLIC_URL}/places/${place.id}`);
  });

  it('is refused for a place that does not exist', async () => {
    expect((await get('/api/places/00000000-0000-4000-8000-000000000000/poster.png')).statusCode).toBe(404);
    expect((await get('/api/places/nope/poster.png')).statusCode).toBe(400);
  });
});
