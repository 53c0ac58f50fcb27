import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CALENDAR_RECHECK_MS, getWorkCalendar, seedCalendarFromPackage } from '../../src/server/modules/calendar/service.js';
import { addWorkingDays } from '../../src/server/modules/calendar/work-time.js';
import { createTestApp, signInAs, signInWithTwoFactor, type SessionHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: SessionHeaders;
let systemAdmin: SessionHeaders;
let coordinator: SessionHeaders;
let worker: SessionHeaders;

const at = (local: string) => new Date(`${local}+08:00`);

interface DayJson {
  day: string;
  isWorkday: boolean;
  weekend: boolean;
  name: string | null;
  source: 'package' | 'admin' | null;
}
interface YearJson {
  year: number;
  knownToPackage: boolean;
  workingHours: { start: string; end: string }[];
  summary: { workdays: number; restDays: number; holidays: number; makeUpWorkdays: number };
  days: DayJson[];
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  admin = (await signInWithTwoFactor(t.app, '13800000009')).session;
  systemAdmin = (await signInWithTwoFactor(t.app, '13800000010')).session;
  coordinator = await signInAs(t.app, '13800000008');
  worker = await signInAs(t.app, '13800000001');
});
afterAll(async () => t.close());

const year = async (y: number | string, headers: Record<string, string> = worker) =>
  t.app.inject({ method: 'GET', url: `/api/calendar?year=${y}`, headers });
const put = (day: string, headers: Record<string, string>, payload: object) =>
  t.app.inject({ method: 'PUT', url: `/api/calendar/days/${day}`, headers, payload });
const del = (day: string, headers: Record<string, string>) => t.app.inject({ method: 'DELETE', url: `/api/calendar/days/${day}`, headers });

function expectError(res: { statusCode: number; json(): unknown }, status: number, code: string) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toMatchObject({ error: { code, message: { zh: expect.any(String), en: expect.any(String) } } });
}

describe('reading a year', () => {
  it('anyone signed in sees the holidays and make-up workdays of 2025, with the year’s counts', async () => {
    const res = await year(2025);
    expect(res.statusCode).toBe(200);
    const body = res.json() as YearJson;
    expect(body.knownToPackage).toBe(true);
    expect(body.workingHours).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:30' },
    ]);
    const byDay = new Map(body.days.map((d) => [d.day, d]));
    expect(byDay.get('2025-09-28')).toMatchObject({ isWorkday: true, weekend: true, name: '国庆节', source: 'package' });
    expect(byDay.get('2025-10-01')).toMatchObject({ isWorkday: false, weekend: false, name: '国庆节', source: 'package' });
    expect(byDay.has('2025-10-04')).toBe(false);
    // 2025 has 248 working days under the State Council's arrangement.
    expect(body.summary.workdays).toBe(248);
    expect(body.summary.workdays + body.summary.restDays).toBe(365);
    expect(body.summary.makeUpWorkdays).toBe(body.days.filter((d) => d.isWorkday && d.weekend).length);
  });

  it('a year the package does not know has no exceptions until an administrator enters them', async () => {
    const body = (await year(2031)).json() as YearJson;
    expect(body).toMatchObject({ year: 2031, knownToPackage: false, days: [] });
    expect(body.summary.workdays).toBe(261);
  });

  it('needs a signed-in caller and a sensible year', async () => {
    expectError(await t.app.inject({ method: 'GET', url: '/api/calendar?year=2025' }), 401, 'unauthenticated');
    expectError(await year('abc'), 400, 'invalid_request');
    expectError(await year(1850), 400, 'invalid_request');
    expectError(await t.app.inject({ method: 'GET', url: '/api/calendar', headers: worker }), 400, 'invalid_request');
  });
});

describe('administrators edit the calendar', () => {
  it('only administrators may: a worker and a coordinator get 403, and nothing changes', async () => {
    expectError(await put('2031-02-03', worker, { isWorkday: false, name: '春节' }), 403, 'forbidden');
    expectError(await put('2031-02-03', coordinator, { isWorkday: false, name: '春节' }), 403, 'forbidden');
    expectError(await del('2025-10-01', worker), 403, 'forbidden');
    expect(((await year(2031)).json() as YearJson).days).toEqual([]);
  });

  it('bad dates are refused with 400 in the one error format', async () => {
    expectError(await put('2031-02-30', admin, { isWorkday: false }), 400, 'invalid_request');
    expectError(await put('2031-2-3', admin, { isWorkday: false }), 400, 'invalid_request');
    expectError(await put('tomorrow', admin, { isWorkday: false }), 400, 'invalid_request');
    expectError(await del('2031-13-01', admin), 400, 'invalid_request');
    expectError(await put('1850-01-01', admin, { isWorkday: false }), 400, 'invalid_request');
    expectError(await put('2031-02-03', admin, { isWorkday: 'no' }), 400, 'invalid_request');
    expectError(await put('2031-02-03', admin, { isWorkday: false, extra: 1 }), 400, 'invalid_request');
  });

  it('an administrator enters a year the package does not know, and deadlines follow at once', async () => {
    const from = at('2031-01-31T10:00'); // a Friday
    expect(addWorkingDays(await getWorkCalendar(t.ctx), from, 1).toISOString()).toBe(at('2031-02-03T17:30').toISOString());
    const res = await put('2031-02-03', admin, { isWorkday: false, name: '春节' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ day: '2031-02-03', isWorkday: false, weekend: false, name: '春节', source: 'admin' });
    expect(addWorkingDays(await getWorkCalendar(t.ctx), from, 1).toISOString()).toBe(at('2031-02-04T17:30').toISOString());
    const body = (await year(2031)).json() as YearJson;
    expect(body.days).toEqual([expect.objectContaining({ day: '2031-02-03', source: 'admin' })]);
    expect(body.summary).toMatchObject({ workdays: 260, holidays: 1 });
  });

  it('a system administrator may too, e.g. to make a Saturday a workday', async () => {
    const res = await put('2031-02-08', systemAdmin, { isWorkday: true, name: '春节调休' });
    expect(res.json()).toMatchObject({ day: '2031-02-08', isWorkday: true, weekend: true, source: 'admin' });
  });

  it('every change is in the audit log with before and after', async () => {
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'target_type', 'target_id', 'before', 'after'])
      .where('target_type', '=', 'calendar_day')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      {
        action: 'calendar.day.set',
        target_type: 'calendar_day',
        target_id: '2031-02-03',
        before: { isWorkday: true, name: null, source: null },
        after: { isWorkday: false, name: '春节', source: 'admin' },
      },
      {
        action: 'calendar.day.set',
        target_type: 'calendar_day',
        target_id: '2031-02-08',
        before: { isWorkday: false, name: null, source: null },
        after: { isWorkday: true, name: '春节调休', source: 'admin' },
      },
    ]);
  });

  it('an administrator’s change to an official day survives reloading the package; removing it restores the official day', async () => {
    // 16 February 2026 is a Spring Festival holiday; say the office works that day.
    const set = await put('2026-02-16', admin, { isWorkday: true, name: '值班' });
    expect(set.json()).toMatchObject({ isWorkday: true, source: 'admin' });
    await seedCalendarFromPackage(t.ctx.db);
    const kept = ((await year(2026)).json() as YearJson).days.find((d) => d.day === '2026-02-16');
    expect(kept).toMatchObject({ isWorkday: true, name: '值班', source: 'admin' });

    const reset = await del('2026-02-16', admin);
    expect(reset.statusCode).toBe(200);
    expect(reset.json()).toMatchObject({ day: '2026-02-16', isWorkday: false, name: '春节', source: 'package' });
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'calendar.day.reset')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({
      before: { isWorkday: true, name: '值班', source: 'admin' },
      after: { isWorkday: false, name: '春节', source: 'package' },
    });
  });

  it('removing a setting of a day the package does not know brings back the weekday rule; removing nothing changes nothing', async () => {
    expect((await del('2031-02-03', admin)).json()).toMatchObject({ isWorkday: true, name: null, source: null });
    expect(addWorkingDays(await getWorkCalendar(t.ctx), at('2031-01-31T10:00'), 1).toISOString()).toBe(
      at('2031-02-03T17:30').toISOString(),
    );
    const before = await t.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect((await del('2031-02-03', admin)).json()).toMatchObject({ isWorkday: true, source: null });
    expect((await del('2025-10-01', admin)).json()).toMatchObject({ isWorkday: false, source: 'package' });
    const after = await t.ctx.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});

describe('several app processes', () => {
  it('another process notices a change within the re-check interval, without being told', async () => {
    const other = { db: t.ctx.db }; // a second app context over the same database
    const now = Date.now();
    const from = at('2031-03-07T10:00'); // a Friday
    expect(addWorkingDays(await getWorkCalendar(other, now), from, 1).toISOString()).toBe(at('2031-03-10T17:30').toISOString());

    expect((await put('2031-03-10', admin, { isWorkday: false, name: '停电' })).statusCode).toBe(200);
    // Within the interval the other process still uses what it loaded …
    expect(addWorkingDays(await getWorkCalendar(other, now + 1000), from, 1).toISOString()).toBe(at('2031-03-10T17:30').toISOString());
    // … and after it, the fingerprint has changed and it reloads.
    const later = now + CALENDAR_RECHECK_MS + 1;
    expect(addWorkingDays(await getWorkCalendar(other, later), from, 1).toISOString()).toBe(at('2031-03-11T17:30').toISOString());

    // A change written straight to the table by yet another process is seen the same way.
    await sql`update calendar_days set is_workday = true where day = '2031-03-10'`.execute(t.ctx.db);
    const latest = later + CALENDAR_RECHECK_MS + 1;
    expect(addWorkingDays(await getWorkCalendar(other, latest), from, 1).toISOString()).toBe(at('2031-03-10T17:30').toISOString());
  });

  it('loading the package again is idempotent and rewrites nothing', async () => {
    const stamp = async () =>
      (await sql<{ n: number; at: string }>`select count(*)::int as n, max(updated_at)::text as at from calendar_days`.execute(t.ctx.db))
        .rows[0];
    const before = await stamp();
    expect(await seedCalendarFromPackage(t.ctx.db)).toEqual({ written: 0, removed: 0 });
    expect(await stamp()).toEqual(before);
  });
});
