import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/server/modules/identity/service.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { docx, multipart, pdf, type Part } from '../files/fixtures.js';

let t: TestApp;
let filesDir: string;
let worker: SessionHeaders;
let stationStaff: SessionHeaders;
let districtCoordinator: SessionHeaders;
let otherStreetStaff: SessionHeaders;
let haibinCode: string;
let otherStreetCode: string;

interface TemplateJson {
  id: string;
  title: string;
  category: string;
  description: string;
  regionCode: string;
  regionName: string;
  downloads: number;
  file: { name: string; size: number; mime: string };
  downloadUrl: string;
  canArchive: boolean;
}

interface ErrorJson {
  error: { code: string; message: { zh: string; en: string }; details?: unknown };
}

const DISTRICT = '350502';

beforeAll(async () => {
  filesDir = mkdtempSync(path.join(tmpdir(), 'nx-templates-'));
  t = await createTestApp({ demo: true, config: { filesDir } });
  worker = await signInAs(t.app, '13800000001');
  stationStaff = await signInAs(t.app, '13800000005');
  districtCoordinator = await signInAs(t.app, '13800000008');
  const streets = (await t.app.inject({ method: 'GET', url: `/api/regions?parent=${DISTRICT}` })).json() as {
    items: { code: string; name: string }[];
  };
  haibinCode = streets.items.find((s) => s.name === '海滨街道')?.code ?? '';
  otherStreetCode = streets.items.find((s) => s.name !== '海滨街道')?.code ?? '';
  otherStreetStaff = await staffOf(otherStreetCode);
});
afterAll(async () => {
  await t.close();
  rmSync(filesDir, { recursive: true, force: true });
});

/** Station staff of another street (the demo has station staff in 海滨街道 only). */
async function staffOf(regionCode: string): Promise<SessionHeaders> {
  const phone = '13900000555';
  const password = 'Other-Street-2026';
  await createAccount(t.ctx, t.ctx.db, { phone, displayName: '另一街道站长', password, grants: [{ role: 'station_staff', regionCode }] });
  return signInAs(t.app, phone, password);
}

async function upload(session: SessionHeaders, part: Part = { filename: '劳动合同范本.docx', data: docx() }): Promise<string> {
  const body = multipart(part);
  const res = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...session, ...body.headers }, payload: body.payload });
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

const publish = (session: SessionHeaders, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/templates', headers: session, payload: body });

async function published(session: SessionHeaders, overrides: Record<string, unknown> = {}): Promise<TemplateJson> {
  const fileId = await upload(session);
  const res = await publish(session, { title: '劳动合同范本', category: 'contract', fileId, regionCode: haibinCode, ...overrides });
  if (res.statusCode !== 201) throw new Error(`publish failed: ${res.statusCode} ${res.body}`);
  return res.json() as TemplateJson;
}

async function list(session: SessionHeaders, query = ''): Promise<{ items: TemplateJson[]; total: number }> {
  const res = await t.app.inject({ method: 'GET', url: `/api/templates${query}`, headers: session });
  expect(res.statusCode).toBe(200);
  return res.json() as { items: TemplateJson[]; total: number };
}

async function downloadsOf(id: string): Promise<number> {
  const row = await t.ctx.db.selectFrom('templates').select('downloads').where('id', '=', id).executeTakeFirstOrThrow();
  return row.downloads;
}

function expectError(res: { statusCode: number; json(): unknown }, status: number, code: string): ErrorJson {
  expect(res.statusCode).toBe(status);
  const body = res.json() as ErrorJson;
  expect(body.error.code).toBe(code);
  expect(body.error.message.zh.length).toBeGreaterThan(0);
  expect(body.error.message.en.length).toBeGreaterThan(0);
  return body;
}

describe('staff publish templates for their region', () => {
  it('station staff upload a document, then publish it for their street, and the publication is audited', async () => {
    const fileId = await upload(stationStaff, { filename: '劳动争议调解申请书.pdf', data: pdf() });
    const res = await publish(stationStaff, {
      title: '  劳动争议调解申请书  ',
      category: 'mediation',
      description: '申请调解时填写',
      fileId,
      regionCode: haibinCode,
    });
    expect(res.statusCode).toBe(201);
    const created = res.json() as TemplateJson;
    expect(created).toMatchObject({
      title: '劳动争议调解申请书',
      category: 'mediation',
      description: '申请调解时填写',
      regionCode: haibinCode,
      regionName: '海滨街道',
      downloads: 0,
      file: { name: '劳动争议调解申请书.pdf', mime: 'application/pdf', size: pdf().length },
      downloadUrl: `/api/templates/${created.id}/download`,
      canArchive: true,
    });
    const file = await t.ctx.db
      .selectFrom('files')
      .select(['subject_type', 'subject_id'])
      .where('id', '=', fileId)
      .executeTakeFirstOrThrow();
    expect(file).toEqual({ subject_type: 'template', subject_id: created.id });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'template.publish')
      .where('target_id', '=', created.id)
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('a district coordinator publishes for the district and for any street in it', async () => {
    expect((await published(districtCoordinator, { regionCode: DISTRICT })).regionName).toBe('鲤城区');
    expect((await published(districtCoordinator, { regionCode: otherStreetCode })).regionCode).toBe(otherStreetCode);
  });

  it('a worker cannot publish, and their upload stays theirs and unattached', async () => {
    const fileId = await upload(worker);
    expectError(await publish(worker, { title: '我的模板', category: 'other', fileId, regionCode: haibinCode }), 403, 'forbidden');
    const file = await t.ctx.db.selectFrom('files').select('subject_type').where('id', '=', fileId).executeTakeFirstOrThrow();
    expect(file.subject_type).toBeNull();
  });

  it('street staff cannot publish for the district above them or for another street', async () => {
    const fileId = await upload(stationStaff);
    expectError(await publish(stationStaff, { title: '区级模板', category: 'policy', fileId, regionCode: DISTRICT }), 403, 'forbidden');
    expectError(
      await publish(otherStreetStaff, {
        title: '海滨模板',
        category: 'policy',
        fileId: await upload(otherStreetStaff),
        regionCode: haibinCode,
      }),
      403,
      'forbidden',
    );
  });

  it('a file that does not exist, is someone else’s or is already published cannot be attached (400 file_not_attachable)', async () => {
    const base = { title: '欠薪投诉登记表', category: 'pay', regionCode: haibinCode };
    expectError(await publish(stationStaff, { ...base, fileId: '00000000-0000-4000-8000-000000000000' }), 400, 'file_not_attachable');
    const coordinatorsFile = await upload(districtCoordinator);
    expectError(await publish(stationStaff, { ...base, fileId: coordinatorsFile }), 400, 'file_not_attachable');
    const used = await published(stationStaff);
    const again = await t.ctx.db.selectFrom('templates').select('file_id').where('id', '=', used.id).executeTakeFirstOrThrow();
    expectError(await publish(stationStaff, { ...base, fileId: again.file_id }), 400, 'file_not_attachable');
  });

  it('an unknown region is 404 region_not_found', async () => {
    const fileId = await upload(districtCoordinator);
    expectError(
      await publish(districtCoordinator, { title: '模板', category: 'other', fileId, regionCode: '999999' }),
      404,
      'region_not_found',
    );
  });

  it('bad input is refused with 400 in the one error format', async () => {
    const fileId = await upload(stationStaff);
    const good = { title: '模板', category: 'other', fileId, regionCode: haibinCode };
    const bad: Record<string, unknown>[] = [
      { ...good, title: undefined },
      { ...good, title: '' },
      { ...good, title: '   ' },
      { ...good, title: '长'.repeat(101) },
      { ...good, category: 'recipes' },
      { ...good, fileId: 'not-a-uuid' },
      { ...good, regionCode: '../350502' },
      { ...good, description: 'x'.repeat(1001) },
      { ...good, downloads: 999 },
      { ...good, title: '模板\u0000' },
      { ...good, description: '说明\u0000' },
    ];
    for (const body of bad) {
      const res = await publish(stationStaff, JSON.parse(JSON.stringify(body)) as Record<string, unknown>);
      const error = expectError(res, 400, 'invalid_request');
      expect(error.error.details).toBeDefined();
    }
    for (const query of ['?limit=0', '?limit=101', '?offset=-1', '?category=recipes', `?q=${'x'.repeat(51)}`, '?sort=downloads']) {
      expectError(await t.app.inject({ method: 'GET', url: `/api/templates${query}`, headers: worker }), 400, 'invalid_request');
    }
    expectError(await t.app.inject({ method: 'GET', url: '/api/templates/123/download', headers: worker }), 400, 'invalid_request');
    // The upload was never used by any of these attempts.
    expect((await publish(stationStaff, good)).statusCode).toBe(201);
  });
});

describe('everyone signed in reads and downloads the library', () => {
  it('a worker sees the published template with its file, publisher and count', async () => {
    const mine = await published(stationStaff, { title: '配送费结算核对表（海滨）', category: 'pay', description: '月底对账用' });
    const library = await list(worker, '?limit=100');
    const seen = library.items.find((i) => i.id === mine.id);
    expect(seen).toMatchObject({ title: '配送费结算核对表（海滨）', regionName: '海滨街道', downloads: 0, canArchive: false });
    expect(seen?.file.name).toBe('劳动合同范本.docx');
    expect(library.total).toBe(library.items.length);
    const detail = await t.app.inject({ method: 'GET', url: `/api/templates/${mine.id}`, headers: worker });
    expect((detail.json() as TemplateJson).title).toBe('配送费结算核对表（海滨）');
  });

  it('the demo district publishes its library of ten documents', async () => {
    const demoIds = new Set((await t.ctx.db.selectFrom('templates').select('id').where('is_demo', '=', true).execute()).map((r) => r.id));
    expect(demoIds.size).toBe(10);
    const demo = (await list(worker, '?limit=100')).items.filter((i) => demoIds.has(i.id));
    expect(demo).toHaveLength(10);
    expect(demo.every((i) => i.regionName === '鲤城区' && i.downloads > 0)).toBe(true);
    expect(demo.map((i) => i.title)).toEqual(
      expect.arrayContaining([
        '劳动合同范本（新就业形态适用）',
        '劳动报酬结算指引',
        '欠薪投诉登记表',
        '工伤认定申请材料清单',
        '职业伤害保障政策问答',
      ]),
    );
    const mimes = new Set(demo.map((i) => i.file.mime));
    expect(mimes).toContain('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(mimes).toContain('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  });

  it('a category narrows the list', async () => {
    const injury = await list(worker, '?category=injury&limit=100');
    expect(injury.items.length).toBeGreaterThan(0);
    expect(injury.items.every((i) => i.category === 'injury')).toBe(true);
  });

  it('each download sends the document and counts exactly one', async () => {
    const mine = await published(stationStaff, { title: '劳动报酬结算指引（海滨）' });
    for (const expected of [1, 2]) {
      const res = await t.app.inject({ method: 'GET', url: mine.downloadUrl, headers: worker });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment;/);
      expect(res.rawPayload.equals(docx())).toBe(true);
      expect(await downloadsOf(mine.id)).toBe(expected);
    }
    const listed = (await list(worker, '?limit=100')).items.find((i) => i.id === mine.id);
    expect(listed?.downloads).toBe(2);
  });

  it('ten downloads at once count ten', async () => {
    const mine = await published(stationStaff, { title: '工伤认定申请表（海滨）', category: 'injury' });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => t.app.inject({ method: 'GET', url: mine.downloadUrl, headers: worker })),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect(await downloadsOf(mine.id)).toBe(10);
  });

  it('a download that cannot be served is not counted', async () => {
    // The demo documents were written when the demo database was built, not into this test's files folder.
    const demo = (await list(worker, '?q=欠薪投诉登记表')).items[0];
    if (!demo) throw new Error('demo template missing');
    const before = await downloadsOf(demo.id);
    expectError(await t.app.inject({ method: 'GET', url: demo.downloadUrl, headers: worker }), 404, 'file_not_found');
    expect(await downloadsOf(demo.id)).toBe(before);
  });

  it('nobody signed out may list or download', async () => {
    const mine = await published(stationStaff);
    expectError(await t.app.inject({ method: 'GET', url: '/api/templates' }), 401, 'unauthenticated');
    expectError(await t.app.inject({ method: 'GET', url: mine.downloadUrl }), 401, 'unauthenticated');
    expect(await downloadsOf(mine.id)).toBe(0);
  });

  it('hostile search text is just text', async () => {
    const odd = await published(stationStaff, { title: '结算率100%_核对' });
    for (const q of ['%', '_', '\\', "' or 1=1 --", "%' union select 1 --", '[^]*']) {
      const found = (await list(worker, `?q=${encodeURIComponent(q)}`)).items;
      for (const item of found) expect(item.title).toContain(q);
    }
    // Control characters (a NUL byte would make PostgreSQL fail) are refused, not searched for.
    expectError(await t.app.inject({ method: 'GET', url: '/api/templates?q=%00', headers: worker }), 400, 'invalid_request');
    const exact = await list(worker, `?q=${encodeURIComponent('100%_')}`);
    expect(exact.items.map((i) => i.id)).toEqual([odd.id]);
    expect((await list(worker, `?q=${encodeURIComponent('%')}`)).items.map((i) => i.id)).toEqual([odd.id]);
  });
});

describe('archiving withdraws a template', () => {
  it('staff over its region archive it: gone from the list, detail and download are 404, and it is audited', async () => {
    const mine = await published(stationStaff, { title: '待下架的模板' });
    const res = await t.app.inject({ method: 'DELETE', url: `/api/templates/${mine.id}`, headers: districtCoordinator });
    expect(res.statusCode).toBe(204);
    expect((await list(worker, '?limit=100')).items.some((i) => i.id === mine.id)).toBe(false);
    expectError(await t.app.inject({ method: 'GET', url: `/api/templates/${mine.id}`, headers: worker }), 404, 'template_not_found');
    expectError(await t.app.inject({ method: 'GET', url: mine.downloadUrl, headers: worker }), 404, 'template_not_found');
    expectError(
      await t.app.inject({ method: 'DELETE', url: `/api/templates/${mine.id}`, headers: districtCoordinator }),
      404,
      'template_not_found',
    );
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', mine.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['template.publish', 'template.archive']);
  });

  it('a worker or staff of another street cannot archive it', async () => {
    const mine = await published(stationStaff, { title: '海滨街道的模板' });
    expectError(await t.app.inject({ method: 'DELETE', url: `/api/templates/${mine.id}`, headers: worker }), 403, 'forbidden');
    expectError(await t.app.inject({ method: 'DELETE', url: `/api/templates/${mine.id}`, headers: otherStreetStaff }), 403, 'forbidden');
    const seen = (await list(otherStreetStaff, '?limit=100')).items.find((i) => i.id === mine.id);
    expect(seen?.canArchive).toBe(false);
  });

  it('an unknown template is 404 template_not_found', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    expectError(await t.app.inject({ method: 'DELETE', url: `/api/templates/${id}`, headers: stationStaff }), 404, 'template_not_found');
    expectError(await t.app.inject({ method: 'GET', url: `/api/templates/${id}/download`, headers: worker }), 404, 'template_not_found');
  });
});
