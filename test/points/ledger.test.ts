import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from '../../src/server/modules/points/ledger.js';
import { expirePoints } from '../../src/server/modules/points/service.js';
import { createTestApp, signInAs, signInWithTwoFactor, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { award, newUser, regionCode } from './fixtures.js';

let t: TestApp;
let district: string;
let haibin: string;
let admin: SessionHeaders;
let coordinator: SessionHeaders;

interface MyPoints {
  balance: number;
  held: number;
  expiring: { points: number; expiresAt: string }[];
}

const get = (url: string, headers: SessionHeaders) => t.app.inject({ method: 'GET', url, headers });
const put = (url: string, headers: SessionHeaders, payload: object) => t.app.inject({ method: 'PUT', url, headers, payload });
const post = (url: string, headers: SessionHeaders, payload: object) => t.app.inject({ method: 'POST', url, headers, payload });

async function pointsOf(session: SessionHeaders): Promise<MyPoints> {
  const res = await get('/api/me/points', session);
  expect(res.statusCode).toBe(200);
  return res.json() as MyPoints;
}

async function expectLedgerSound() {
  const check = await checkLedger(t.ctx.db);
  expect(check.total).toBe(0);
  expect(check.unbalancedTransfers).toBe(0);
  expect(check.cacheMismatches).toEqual([]);
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  district = await regionCode(t, ['鲤城区']);
  haibin = await regionCode(t, ['鲤城区', '海滨街道']);
  admin = (await signInWithTwoFactor(t.app, '13800000009')).session;
  coordinator = await signInAs(t.app, '13800000008');
});
afterAll(async () => t?.close());

describe('awards', () => {
  it('awards per level, volunteering hour and grid shift, once per source', async () => {
    const w = await newUser(t, 'worker', haibin);
    expect(await award(t, { accountId: w.id, source: 'report', sourceId: 'r-1', level: 'important', regionCode: haibin })).toEqual({
      points: 20,
      capped: false,
      alreadyAwarded: false,
    });
    expect((await award(t, { accountId: w.id, source: 'report', sourceId: 'r-1', level: 'important', regionCode: haibin })).alreadyAwarded).toBe(true);
    expect((await award(t, { accountId: w.id, source: 'volunteering', sourceId: 'v-1', hours: 2.5, regionCode: haibin })).points).toBe(25);
    expect((await award(t, { accountId: w.id, source: 'grid_duty', sourceId: 'g-1', regionCode: haibin })).points).toBe(10);
    const mine = await pointsOf(w.session);
    expect(mine.balance).toBe(55);
    expect(mine.held).toBe(0);
    expect(mine.expiring.reduce((s, e) => s + e.points, 0)).toBe(55);
    await expectLedgerSound();
  });

  it('refuses an award to a deleted or disabled account, and bad input', async () => {
    const w = await newUser(t, 'worker', haibin);
    const del = await post('/api/me/delete', w.session, { password: 'Nuanxin@2026', confirm: 'DELETE' });
    expect(del.statusCode).toBe(204);
    await expect(award(t, { accountId: w.id, source: 'report', sourceId: 'r-del', regionCode: haibin })).rejects.toMatchObject({
      status: 409,
      code: 'account_not_awardable',
    });
    await expect(
      award(t, { accountId: '00000000-0000-4000-8000-000000000000', source: 'report', sourceId: 'r-none', regionCode: haibin }),
    ).rejects.toMatchObject({ code: 'account_not_awardable' });
    const v = await newUser(t, 'worker', haibin);
    await t.ctx.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', v.id).execute();
    await expect(award(t, { accountId: v.id, source: 'grid_duty', sourceId: 'g-dis', regionCode: haibin })).rejects.toMatchObject({
      code: 'account_not_awardable',
    });
    const x = await newUser(t, 'worker', haibin);
    await expect(award(t, { accountId: x.id, source: 'volunteering', sourceId: 'v-bad', hours: -1, regionCode: haibin })).rejects.toMatchObject({
      status: 400,
      code: 'award_invalid',
    });
    await expect(award(t, { accountId: x.id, source: 'correction', sourceId: 'c-bad', regionCode: haibin })).rejects.toMatchObject({
      code: 'award_invalid',
    });
    // Nothing was written for any of them.
    expect((await t.ctx.db.selectFrom('point_transfers').select('id').where('source_id', 'in', ['r-del', 'r-none', 'g-dis', 'v-bad']).execute()).length).toBe(0);
  });

  it('keeps to the monthly cap, also under concurrent awards', async () => {
    const w = await newUser(t, 'worker', haibin);
    // Default cap 500: 30 awards of 20 at once earn exactly 500.
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => award(t, { accountId: w.id, source: 'report', sourceId: `cap-${i}`, level: 'important', regionCode: haibin })),
    );
    expect(results.reduce((s, r) => s + r.points, 0)).toBe(500);
    expect(results.filter((r) => r.capped).length).toBeGreaterThanOrEqual(5);
    expect((await pointsOf(w.session)).balance).toBe(500);
    // The same source at once from two callers counts once.
    const v = await newUser(t, 'worker', haibin);
    const twice = await Promise.allSettled([
      award(t, { accountId: v.id, source: 'grid_duty', sourceId: 'same-shift', regionCode: haibin }),
      award(t, { accountId: v.id, source: 'grid_duty', sourceId: 'same-shift', regionCode: haibin }),
    ]);
    expect((await pointsOf(v.session)).balance).toBe(10);
    expect(twice.filter((r) => r.status === 'fulfilled' && !r.value.alreadyAwarded).length).toBe(1);
    // One source named for two people at once (a caller's mistake): awarded once, no error.
    const [p1, p2] = [await newUser(t, 'worker', haibin), await newUser(t, 'worker', haibin)];
    const clash = await Promise.all([
      award(t, { accountId: p1.id, source: 'report', sourceId: 'clash-1', regionCode: haibin }),
      award(t, { accountId: p2.id, source: 'report', sourceId: 'clash-1', regionCode: haibin }),
    ]);
    expect(clash.filter((r) => r.alreadyAwarded)).toHaveLength(1);
    expect((await pointsOf(p1.session)).balance + (await pointsOf(p2.session)).balance).toBe(5);
    await expectLedgerSound();
  });
});

describe('rules', () => {
  it('are read by coordinators, set by administrators for a district, audited, and applied', async () => {
    const before = await get(`/api/points/rules?region=${haibin}`, coordinator);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toMatchObject({ setAt: null, rules: { reportImportant: 20 } });
    const rules = {
      reportOrdinary: 3,
      reportUseful: 6,
      reportImportant: 12,
      perVolunteerHour: 8,
      perGridShift: 5,
      monthlyCap: 100,
      expiryMonths: 6,
      codeTtlMinutes: 60,
    };
    expect((await put('/api/points/rules', coordinator, { regionCode: district, rules })).statusCode).toBe(403);
    expect((await put('/api/points/rules', admin, { regionCode: haibin, rules })).json()).toMatchObject({ error: { code: 'rules_region_invalid' } });
    expect((await put('/api/points/rules', admin, { regionCode: district, rules: { ...rules, expiryMonths: 0 } })).statusCode).toBe(400);
    const res = await put('/api/points/rules', admin, { regionCode: district, rules });
    expect(res.statusCode).toBe(200);
    expect((await get(`/api/points/rules?region=${haibin}`, coordinator)).json()).toMatchObject({ setAt: district, rules });
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'points.rules.update').execute();
    expect(audit).toHaveLength(1);
    const w = await newUser(t, 'worker', haibin);
    expect((await award(t, { accountId: w.id, source: 'report', sourceId: 'rules-1', level: 'important', regionCode: haibin })).points).toBe(12);
    const mine = await pointsOf(w.session);
    const months = (new Date(mine.expiring[0]?.expiresAt ?? 0).getTime() - Date.now()) / (30.4 * 24 * 3600_000);
    expect(Math.round(months)).toBe(6);
    // Back to the defaults for the other tests.
    await put('/api/points/rules', admin, {
      regionCode: district,
      rules: { ...rules, reportOrdinary: 5, reportUseful: 10, reportImportant: 20, perVolunteerHour: 10, perGridShift: 10, monthlyCap: 500, expiryMonths: 12, codeTtlMinutes: 30 },
    });
  });

  it('are not for workers', async () => {
    const w = await newUser(t, 'worker', haibin);
    expect((await get(`/api/points/rules?region=${haibin}`, w.session)).statusCode).toBe(403);
  });
});

describe('corrections', () => {
  it('add and take away points with a reason, audited, never below zero', async () => {
    const w = await newUser(t, 'worker', haibin);
    await award(t, { accountId: w.id, source: 'grid_duty', sourceId: 'corr-g', regionCode: haibin });
    const plus = await post('/api/points/corrections', admin, { userId: w.id, points: 7, reason: '补记志愿时长' });
    expect(plus.statusCode).toBe(201);
    expect(plus.json()).toMatchObject({ balance: 17 });
    const minus = await post('/api/points/corrections', admin, { userId: w.id, points: -17, reason: '重复发放，撤回' });
    expect(minus.json()).toMatchObject({ balance: 0 });
    const over = await post('/api/points/corrections', admin, { userId: w.id, points: -1, reason: '再扣一分' });
    expect(over.statusCode).toBe(409);
    expect(over.json()).toMatchObject({ error: { code: 'insufficient_points' } });
    expect((await post('/api/points/corrections', admin, { userId: w.id, points: 0, reason: '零分' })).statusCode).toBe(400);
    expect((await post('/api/points/corrections', admin, { userId: w.id, points: 5 })).statusCode).toBe(400);
    expect((await post('/api/points/corrections', coordinator, { userId: w.id, points: 5, reason: '协调员无权' })).statusCode).toBe(404);
    expect((await post('/api/points/corrections', w.session, { userId: w.id, points: 5, reason: '自己加分' })).statusCode).toBe(404);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'note']).where('action', '=', 'points.correct').execute();
    expect(audit.map((a) => a.note)).toEqual(expect.arrayContaining(['补记志愿时长', '重复发放，撤回']));
    await expectLedgerSound();
  });
});

describe('history and expiry', () => {
  it('pages the history newest first', async () => {
    const w = await newUser(t, 'worker', haibin);
    for (let i = 0; i < 5; i += 1) await award(t, { accountId: w.id, source: 'grid_duty', sourceId: `hist-${i}`, regionCode: haibin });
    const first = (await get('/api/me/points/history?limit=2', w.session)).json() as { items: { id: number; sourceId: string }[]; next: number };
    expect(first.items.map((i) => i.sourceId)).toEqual(['hist-4', 'hist-3']);
    const second = (await get(`/api/me/points/history?limit=2&before=${first.next}`, w.session)).json() as { items: { sourceId: string }[] };
    expect(second.items.map((i) => i.sourceId)).toEqual(['hist-2', 'hist-1']);
    expect((await get('/api/me/points/history?limit=0', w.session)).statusCode).toBe(400);
  });

  it('expires what is left of each lot, oldest spent first, into the sink', async () => {
    const w = await newUser(t, 'worker', haibin);
    await award(t, { accountId: w.id, source: 'grid_duty', sourceId: 'exp-1', regionCode: haibin });
    await award(t, { accountId: w.id, source: 'grid_duty', sourceId: 'exp-2', regionCode: haibin });
    // Take 15 away: the first lot is gone, 5 of the second remain.
    await post('/api/points/corrections', admin, { userId: w.id, points: -15, reason: '测试扣减' });
    expect((await pointsOf(w.session)).expiring.reduce((s, e) => s + e.points, 0)).toBe(5);
    // Nothing is due today.
    expect((await expirePoints(t.ctx)).points).toBe(0);
    const later = new Date(Date.now() + 13 * 31 * 24 * 3600_000);
    const run = await expirePoints(t.ctx, later);
    expect(run.points).toBeGreaterThanOrEqual(5);
    expect((await pointsOf(w.session)).balance).toBe(0);
    // A second run finds nothing more for this worker.
    await expirePoints(t.ctx, later);
    const history = (await get('/api/me/points/history', w.session)).json() as { items: { kind: string; points: number }[] };
    expect(history.items.filter((i) => i.kind === 'expiry').map((i) => i.points)).toEqual([-5]);
    await expectLedgerSound();
  });

  it('rebuilds every cached balance from the entries', async () => {
    const check = await checkLedger(t.ctx.db);
    expect(check.cacheMismatches).toEqual([]);
    const accounts = await t.ctx.db.selectFrom('point_accounts').select('balance').where('kind', '=', 'worker').execute();
    expect(accounts.length).toBeGreaterThan(5);
  });
});
