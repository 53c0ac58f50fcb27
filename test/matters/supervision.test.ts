// Supervision through the job an operator can run by hand, notifications and the outbox.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, signInWithTwoFactor, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { ok, organisationId, PHONES, regionCode, registerAppeal, type MatterJson } from './helpers.js';

let t: TestApp;
let worker: SessionHeaders;
let station: SessionHeaders;
let mediator: SessionHeaders;
let coordinator: SessionHeaders;
let operator: SessionHeaders;
let haibin: string;
let mediationTeam: string;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  [worker, station, mediator, coordinator] = await Promise.all([
    signInAs(t.app, PHONES.worker),
    signInAs(t.app, PHONES.station),
    signInAs(t.app, PHONES.mediator),
    signInAs(t.app, PHONES.coordinator),
  ]);
  operator = (await signInWithTwoFactor(t.app, '13800000010')).session;
  haibin = await regionCode(t.app, ['鲤城区', '海滨街道']);
  mediationTeam = await organisationId(t.app, coordinator, '鲤城区新就业群体快调队伍');
  // Start from a desk where the demo's late appeals are already supervised.
  await runJob('supervision');
});
afterAll(async () => t.close());

async function runJob(name: string) {
  const res = await t.app.inject({ method: 'POST', url: `/api/admin/jobs/${name}`, headers: operator });
  expect(res.statusCode).toBe(200);
  return res.json() as { skipped: boolean; result: { raised: { dueSoon: number; overdue: number; escalated: number } } & { sent: number } };
}

async function assigned(): Promise<MatterJson> {
  const m = (await registerAppeal(t.app, worker, { regionCode: haibin })).json() as MatterJson;
  return ok(t.app, station, m, 'assign', { input: { ownerOrgId: mediationTeam } });
}

async function setDue(id: string, offsetMinutes: number) {
  await t.ctx.db
    .updateTable('matters')
    .set({ due_at: sql<Date>`now() + make_interval(mins => ${offsetMinutes})` })
    .where('id', '=', id)
    .execute();
}

async function detail(session: SessionHeaders, id: string): Promise<MatterJson> {
  return (await t.app.inject({ method: 'GET', url: `/api/matters/${id}`, headers: session })).json() as MatterJson;
}

describe('the supervision job', () => {
  it('raises due soon, overdue and escalated once each, on the timeline, and tells the owner and the superior', async () => {
    const [soon, late, veryLate, paused] = await Promise.all([assigned(), assigned(), assigned(), assigned()]);
    await ok(t.app, mediator, paused, 'pause', { input: { reason: '等待材料' } });
    await setDue(soon.id, 1);
    await setDue(late.id, -1);
    await setDue(veryLate.id, -60 * 24 * 10);
    await setDue(paused.id, -60 * 24 * 10);

    const run = await runJob('supervision');
    expect(run.result.raised).toEqual({ dueSoon: 1, overdue: 1, escalated: 1 });
    expect((await detail(mediator, soon.id)).supervisionLevel).toBe(1);
    expect((await detail(mediator, late.id)).supervisionLevel).toBe(2);
    const escalated = await detail(mediator, veryLate.id);
    expect(escalated.supervisionLevel).toBe(3);
    expect(escalated.events.at(-1)).toMatchObject({ type: 'supervise', data: { supervisionLevel: 3, reason: 'escalated' } });
    expect(escalated.events.at(-1)?.note).toContain('中共鲤城区委组织部党建办');
    expect((await detail(mediator, paused.id)).supervisionLevel).toBe(0);

    // The owner hears of it, and so does the superior organisation (the district coordinator works there).
    const owner = (await t.app.inject({ method: 'GET', url: '/api/me/notifications?limit=100', headers: mediator })).json() as { items: { matterId: string; text: { zh: string } }[] };
    expect(owner.items.filter((n) => n.matterId === veryLate.id && n.text.zh.startsWith('【督办】'))).toHaveLength(1);
    const superior = (await t.app.inject({ method: 'GET', url: '/api/me/notifications?limit=100', headers: coordinator })).json() as { items: { matterId: string }[] };
    expect(superior.items.filter((n) => n.matterId === veryLate.id)).toHaveLength(1);

    // Running it again raises nothing new.
    const again = await runJob('supervision');
    expect(again.result.raised).toEqual({ dueSoon: 0, overdue: 0, escalated: 0 });
  });

  it('the ledger filters overdue and supervised matters', async () => {
    const late = await assigned();
    await setDue(late.id, -5);
    const overdue = (await t.app.inject({ method: 'GET', url: `/api/matters?overdue=true&region=${haibin}&limit=100`, headers: coordinator })).json() as {
      items: { id: string; overdue: boolean }[];
    };
    expect(overdue.items.map((i) => i.id)).toContain(late.id);
    expect(overdue.items.every((i) => i.overdue)).toBe(true);
  });

  it('only city-wide operators may run a job by hand', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/jobs/supervision', headers: coordinator });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/admin/jobs/nonsense', headers: operator })).statusCode).toBe(400);
  });
});

describe('messages', () => {
  it('the worker reads "assigned to …" in the app and gets one text message through the outbox', async () => {
    const m = await assigned();
    const inbox = (await t.app.inject({ method: 'GET', url: '/api/me/notifications', headers: worker })).json() as {
      unread: number;
      items: { id: string; matterId: string; text: { zh: string; en: string } }[];
    };
    const note = inbox.items.find((n) => n.matterId === m.id && n.text.en.includes('Assigned'));
    expect(note?.text.zh).toContain(`编号 ${m.number}`);
    expect(inbox.unread).toBeGreaterThan(0);

    const before = t.sms.length;
    await runJob('outbox');
    const texts = t.sms.slice(before).filter((s) => s.template === 'matter_update' && s.phone === PHONES.worker);
    expect(texts.map((s) => s.params)).toContainEqual({ number: String(m.number), step: '已分派' });
    await runJob('outbox');
    expect(t.sms.slice(before).filter((s) => s.template === 'matter_update' && s.phone === PHONES.worker && 'number' in s.params && s.params.number === String(m.number))).toHaveLength(1);

    const read = await t.app.inject({ method: 'POST', url: '/api/me/notifications/read', headers: worker, payload: { all: true } });
    expect(read.json().marked).toBeGreaterThan(0);
    expect(((await t.app.inject({ method: 'GET', url: '/api/me/notifications', headers: worker })).json() as { unread: number }).unread).toBe(0);
  });
});
