// The ledger on the demo desk: scope, filters, keyset pages, the Excel export (row for row and
// masked), the desk figures against a hand count, and photos on an appeal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkCalendar, workingMinutesBetween } from '../../src/server/modules/calendar/work-time.js';
import { multipart, phonePhoto } from '../files/fixtures.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { ok, organisationId, PHONES, regionCode, registerAppeal, type MatterJson } from './helpers.js';

let t: TestApp;
let filesDir: string;
let coordinator: SessionHeaders;
let streetCoordinator: SessionHeaders;
let station: SessionHeaders;
let worker: SessionHeaders;
let haibin: string;

interface Item {
  id: string;
  number: number;
  status: string;
  category: string;
  regionCode: string;
  createdAt: string;
  dueAt: string | null;
  overdue: boolean;
  contactName: string | null;
  contactPhone: string | null;
  reopenCount: number;
}
interface Page {
  items: Item[];
  nextCursor: string | null;
  total: number | null;
  totalCapped: boolean;
}

beforeAll(async () => {
  filesDir = mkdtempSync(path.join(tmpdir(), 'nx-ledger-'));
  t = await createTestApp({ demo: true, config: { filesDir } });
  [coordinator, streetCoordinator, station, worker] = await Promise.all([
    signInAs(t.app, PHONES.coordinator),
    signInAs(t.app, PHONES.streetCoordinator),
    signInAs(t.app, PHONES.station),
    signInAs(t.app, PHONES.worker),
  ]);
  haibin = await regionCode(t.app, ['鲤城区', '海滨街道']);
});
afterAll(async () => {
  await t.close();
  rmSync(filesDir, { recursive: true, force: true });
});

async function page(session: SessionHeaders, query: string): Promise<Page> {
  const res = await t.app.inject({ method: 'GET', url: `/api/matters?${query}`, headers: session });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

async function all(session: SessionHeaders, query: string): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: string | null = null;
  do {
    const p = await page(session, `${query}&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...p.items);
    cursor = p.nextCursor;
  } while (cursor);
  return items;
}

describe('the ledger', () => {
  it('holds a realistic demo desk: hundreds of appeals in every state, some overdue and supervised', async () => {
    const items = await all(coordinator, 'view=ledger&kind=appeal');
    expect(items.length).toBeGreaterThanOrEqual(300);
    const states = new Set(items.map((i) => i.status));
    for (const s of ['registered', 'assigned', 'handling', 'replied', 'reopened', 'closed', 'withdrawn', 'rejected', 'merged']) expect(states).toContain(s);
    expect(items.some((i) => i.overdue)).toBe(true);
    expect((await page(coordinator, 'view=ledger&supervised=true&withTotal=true')).total).toBeGreaterThan(0);
    // Walk-ins are listed masked.
    const walkIn = items.find((i) => i.contactPhone);
    expect(walkIn?.contactPhone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(walkIn?.contactName).toMatch(/^.\*+$/);
  });

  it('keyset pages walk every row once, in order, for each sort', async () => {
    for (const sort of ['created_desc', 'created_asc', 'due_asc', 'updated_desc']) {
      const items = await all(coordinator, `view=ledger&sort=${sort}`);
      expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
      const first = await page(coordinator, `view=ledger&sort=${sort}&limit=1&withTotal=true`);
      expect(first.total).toBe(items.length);
      expect((await page(coordinator, `view=ledger&sort=${sort}&limit=1&cursor=${first.nextCursor}&withTotal=true`)).total).toBeNull();
    }
    const byCreated = await all(coordinator, 'view=ledger&sort=created_desc');
    const times = byCreated.map((i) => i.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('a street coordinator sees only the street; a region filter outside the scope gives nothing', async () => {
    const street = await all(streetCoordinator, 'view=ledger');
    const district = await all(coordinator, `view=ledger&region=${haibin}`);
    expect(street.map((i) => i.id).sort()).toEqual(district.map((i) => i.id).sort());
    const other = await regionCode(t.app, ['鲤城区', '开元街道']);
    expect((await page(streetCoordinator, `view=ledger&region=${other}`)).items).toEqual([]);
  });

  it('filters combine, and hostile text is just text', async () => {
    const handling = await all(coordinator, 'view=ledger&status=handling&category=unpaid_fees');
    expect(handling.every((i) => i.status === 'handling' && i.category === 'unpaid_fees')).toBe(true);
    const two = await all(coordinator, 'view=ledger&status=handling&status=assigned');
    expect(new Set(two.map((i) => i.status))).toEqual(new Set(['handling', 'assigned']));
    for (const q of ["' OR 1=1 --", '%', '_', '\\']) expect((await page(coordinator, `view=ledger&q=${encodeURIComponent(q)}`)).items).toEqual([]);
    const someone = handling[0];
    if (someone) expect((await page(coordinator, `view=ledger&q=${someone.number}`)).items.map((i) => i.id)).toContain(someone.id);
    expect((await t.app.inject({ method: 'GET', url: '/api/matters?view=ledger&cursor=forged', headers: coordinator })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/api/matters?view=ledger&from=2026-05-01&to=2026-01-01', headers: coordinator })).statusCode).toBe(400);
  });

  it('exports exactly the filtered rows to Excel, masked, and audits it', async () => {
    const query = `view=ledger&region=${haibin}&sort=created_desc`;
    const rows = await all(coordinator, query);
    const res = await t.app.inject({ method: 'GET', url: `/api/matters/export.xlsx?${query}`, headers: coordinator });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    const numbers: number[] = [];
    sheet.eachRow((row, index) => {
      if (index > 1) numbers.push(Number(row.getCell(1).value));
    });
    expect(numbers).toEqual(rows.map((r) => r.number));
    const text = JSON.stringify(sheet.getSheetValues());
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'matter.export').execute();
    expect(audit.length).toBeGreaterThan(0);
    expect((await t.app.inject({ method: 'GET', url: '/api/matters/export.xlsx?view=ledger', headers: worker })).statusCode).toBe(403);
  });
});

describe('desk figures', () => {
  it('match a hand count of the ledger and the timelines', async () => {
    const from = '2020-01-01';
    const to = '2030-12-31';
    const figures = (await t.app.inject({ method: 'GET', url: `/api/matters/figures?kind=appeal&from=${from}&to=${to}`, headers: coordinator })).json();
    const items = await all(coordinator, 'view=ledger&kind=appeal');
    const details: MatterJson[] = [];
    for (const i of items) details.push((await t.app.inject({ method: 'GET', url: `/api/matters/${i.id}`, headers: coordinator })).json() as MatterJson);

    const year = new Date().getFullYear();
    const days = [] as [string, boolean][];
    for (const y of [year - 1, year]) {
      const cal = (await t.app.inject({ method: 'GET', url: `/api/calendar?year=${y}`, headers: coordinator })).json() as { days: { day: string; isWorkday: boolean }[] };
      for (const d of cal.days) days.push([d.day, d.isWorkday]);
    }
    const calendar = makeWorkCalendar(days);

    let assigned = 0;
    let onTime = 0;
    let ratings = 0;
    let satisfied = 0;
    let money = 0;
    let reopened = 0;
    let rated = 0;
    for (const d of details) {
      const register = d.events[0];
      const firstAssign = d.events.find((e) => e.type === 'assign');
      if (register && firstAssign) {
        assigned += 1;
        const at = (e: { data: Record<string, unknown> } & object) => new Date((e as unknown as { at: string }).at);
        if (workingMinutesBetween(calendar, at(register), at(firstAssign)) <= 8 * 60) onTime += 1;
      }
      const rates = d.events.filter((e) => e.type === 'rate');
      ratings += rates.length;
      satisfied += rates.filter((e) => e.data.satisfaction !== 'not_satisfied').length;
      if (rates.length) rated += 1;
      if (rates.some((e) => e.toStatus === 'reopened')) reopened += 1;
      money += d.events.filter((e) => e.type === 'record').reduce((s, e) => s + Number(e.data.moneyRecovered ?? 0), 0);
    }
    const closed = items.filter((i) => i.status === 'closed').length;
    const eligible = items.filter((i) => !['withdrawn', 'rejected', 'merged'].includes(i.status)).length;

    expect(figures.received).toBe(items.length);
    expect(figures.consultations).toBe(items.filter((i) => i.category === 'consultation').length);
    expect(figures.onTimeAssignment).toMatchObject({ numerator: onTime, denominator: assigned });
    expect(figures.resolution).toMatchObject({ numerator: closed, denominator: eligible });
    expect(figures.satisfaction).toMatchObject({ numerator: satisfied, denominator: ratings });
    expect(figures.reopen).toMatchObject({ numerator: reopened, denominator: rated });
    expect(figures.moneyRecovered).toBeCloseTo(money, 2);
    expect(figures.satisfaction.value).toBeGreaterThan(0.5);
    expect(figures.onTimeAssignment.value).toBeGreaterThan(0.5);
  });

  it('a street sees its own figures; a worker sees none', async () => {
    const street = (await t.app.inject({ method: 'GET', url: '/api/matters/figures?kind=appeal&from=2020-01-01&to=2030-12-31', headers: streetCoordinator })).json();
    const items = await all(coordinator, `view=ledger&kind=appeal&region=${haibin}`);
    expect(street.received).toBe(items.length);
    expect((await t.app.inject({ method: 'GET', url: '/api/matters/figures?kind=appeal&from=2020-01-01&to=2030-12-31', headers: worker })).statusCode).toBe(403);
  });
});

describe('photos on an appeal', () => {
  it('are re-encoded, attached, visible to staff of the street and to nobody outside it', async () => {
    const body = multipart({ filename: 'guardrail.jpg', contentType: 'image/jpeg', data: await phonePhoto(1200, 900) });
    const up = await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...worker, ...body.headers }, payload: body.payload });
    expect(up.statusCode, up.body).toBe(201);
    const file = up.json() as { id: string };
    const created = await registerAppeal(t.app, worker, { regionCode: haibin, files: [file.id] });
    expect(created.statusCode, created.body).toBe(201);
    const m = created.json() as MatterJson & { files: { id: string }[] };
    expect(m.files.map((f) => f.id)).toEqual([file.id]);
    expect((await t.app.inject({ method: 'GET', url: `/api/files/${file.id}`, headers: station })).statusCode).toBe(200);
    const resident = await signInAs(t.app, PHONES.resident);
    expect((await t.app.inject({ method: 'GET', url: `/api/files/${file.id}`, headers: resident })).statusCode).toBe(404);
    // A file cannot be attached twice, nor by someone who did not upload it.
    const again = await registerAppeal(t.app, worker, { regionCode: haibin, files: [file.id] });
    expect(again.json().error.code).toBe('file_not_attachable');
    const team = await organisationId(t.app, coordinator, '鲤城区新就业群体快调队伍');
    const fresh = await registerAppeal(t.app, worker, { regionCode: haibin });
    const other = (await t.app.inject({ method: 'POST', url: '/api/files', headers: { ...worker, ...body.headers }, payload: body.payload })).json() as { id: string };
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/matters/${(fresh.json() as MatterJson).id}/transitions/assign`,
      headers: station,
      payload: { version: 1, files: [other.id], input: { ownerOrgId: team } },
    });
    expect(res.json().error.code).toBe('file_not_attachable');
    // Nothing half-written: the appeal is still as it was.
    const after = (await t.app.inject({ method: 'GET', url: `/api/matters/${(fresh.json() as MatterJson).id}`, headers: station })).json() as MatterJson;
    expect(after).toMatchObject({ status: 'registered', version: 1 });
    expect(after.events).toHaveLength(1);
    void ok;
  });
});
