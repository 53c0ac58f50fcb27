// The five-step loop for an appeal, through the HTTP API, as the worker and three staff roles;
// then the rules that must hold: the workflow, roles, versions, required fields, rebuild.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldMatter } from '../../src/server/modules/matters/fold.js';
import { finalStates } from '../../src/server/modules/matters/engine.js';
import { workflowOf } from '../../src/server/modules/matters/kinds/index.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { ok, organisationId, PHONES, regionCode, registerAppeal, step, type MatterJson } from './helpers.js';

let t: TestApp;
let worker: SessionHeaders;
let station: SessionHeaders;
let mediator: SessionHeaders;
let handler: SessionHeaders;
let otherStreetStaff: SessionHeaders;
let haibin: string;
let mediationTeam: string;
let labourBureau: string;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  [worker, station, mediator, handler] = await Promise.all([
    signInAs(t.app, PHONES.worker),
    signInAs(t.app, PHONES.station),
    signInAs(t.app, PHONES.mediator),
    signInAs(t.app, PHONES.handler),
  ]);
  haibin = await regionCode(t.app, ['鲤城区', '海滨街道']);
  const coordinator = await signInAs(t.app, PHONES.coordinator);
  mediationTeam = await organisationId(t.app, coordinator, '鲤城区新就业群体快调队伍');
  labourBureau = await organisationId(t.app, coordinator, '鲤城区人力资源和社会保障局');
  // Station staff of another street of the same district.
  const otherStreet = await regionCode(t.app, ['鲤城区', '开元街道']);
  const admin = await signInAs(t.app, PHONES.coordinator);
  void admin;
  otherStreetStaff = await createStaff(t, otherStreet, '13900000021', 'station_staff');
});
afterAll(async () => t.close());

async function createStaff(t: TestApp, region: string, phone: string, role: string): Promise<SessionHeaders> {
  const { createAccount } = await import('../../src/server/modules/identity/service.js');
  await createAccount(t.ctx, t.ctx.db, { phone, displayName: '开元站点工作人员', password: 'Station#2026', grants: [{ role: role as 'station_staff', regionCode: region }] });
  return signInAs(t.app, phone, 'Station#2026');
}

describe('an appeal through all five steps', () => {
  let appeal: MatterJson;

  it('the worker registers it in the app', async () => {
    const res = await registerAppeal(t.app, worker, { regionCode: haibin, payload: { employer: '某外卖平台鲤城站', amountClaimed: 3200 } });
    expect(res.statusCode).toBe(201);
    appeal = res.json() as MatterJson;
    expect(appeal.status).toBe('registered');
    expect(appeal.version).toBe(1);
    expect(appeal.raisedByMe).toBe(true);
    expect(appeal.actions.map((a) => a.name)).toEqual(expect.arrayContaining(['withdraw', 'comment']));
    expect(appeal.actions.map((a) => a.name)).not.toContain('assign');
  });

  it('station staff assign it to the mediation team with a working-day deadline', async () => {
    appeal = await ok(t.app, station, appeal, 'assign', { input: { ownerOrgId: mediationTeam } });
    expect(appeal.status).toBe('assigned');
    expect(appeal.ownerOrgName).toBe('鲤城区新就业群体快调队伍');
    const due = new Date(appeal.dueAt ?? 0);
    // Ten working days at least two weeks away, at the end of a working day (17:30 Beijing time).
    expect(due.getTime() - Date.now()).toBeGreaterThan(13 * 86_400_000);
    expect(new Date(due.getTime() + 8 * 3600_000).toISOString().slice(11, 16)).toBe('17:30');
    const mine = (await t.app.inject({ method: 'GET', url: '/api/me/notifications', headers: worker })).json() as { items: { matterId: string; text: { zh: string } }[] };
    expect(mine.items.find((n) => n.matterId === appeal.id && n.text.zh.includes('已分派'))?.text.zh).toContain('鲤城区新就业群体快调队伍');
    const inbox = (await t.app.inject({ method: 'GET', url: '/api/matters?view=inbox', headers: mediator })).json() as { items: { id: string }[] };
    expect(inbox.items.map((i) => i.id)).toContain(appeal.id);
  });

  it('the mediator handles it, records a mediation with money recovered and replies', async () => {
    appeal = await ok(t.app, mediator, appeal, 'accept');
    expect(appeal.status).toBe('handling');
    appeal = await ok(t.app, mediator, appeal, 'record', {
      input: { method: 'mediation', parties: ['张师傅', '某外卖平台鲤城站'], heldAt: new Date().toISOString(), summary: '三方调解', agreement: '分两期支付', moneyRecovered: 1600.5 },
    });
    expect(appeal.status).toBe('handling');
    expect(appeal.moneyRecovered).toBe(1600.5);
    appeal = await ok(t.app, mediator, appeal, 'reply', { input: { reply: '已协调站点分期支付欠款。', outcome: 'partly_resolved' } });
    expect(appeal.status).toBe('replied');
  });

  it('the worker is not satisfied: it reopens and this is counted', async () => {
    appeal = await ok(t.app, worker, appeal, 'rate', { input: { satisfaction: 'not_satisfied', comment: '只追回一半' } });
    expect(appeal.status).toBe('reopened');
    expect(appeal.reopenCount).toBe(1);
    expect(appeal.dueAt).toBeNull();
  });

  it('reassigned to the labour bureau, handled, replied, rated satisfied and closed out', async () => {
    appeal = await ok(t.app, station, appeal, 'assign', { input: { ownerOrgId: labourBureau } });
    appeal = await ok(t.app, handler, appeal, 'accept');
    appeal = await ok(t.app, handler, appeal, 'record', {
      input: { method: 'visit', parties: ['某外卖平台鲤城站'], heldAt: new Date().toISOString(), summary: '劳动监察约谈', moneyRecovered: 1599.5 },
    });
    appeal = await ok(t.app, handler, appeal, 'reply', { input: { reply: '欠款已全部追回。', outcome: 'resolved' } });
    appeal = await ok(t.app, worker, appeal, 'rate', { input: { satisfaction: 'satisfied' } });
    expect(appeal.status).toBe('closed');
    expect(appeal.moneyRecovered).toBe(3200);
    expect(appeal.satisfaction).toBe('satisfied');
    expect(appeal.events.map((e) => e.type)).toEqual(['register', 'assign', 'accept', 'record', 'reply', 'rate', 'assign', 'accept', 'record', 'reply', 'rate']);
    expect(appeal.actions).toEqual([]);
  });

  it('a reopen after close is refused', async () => {
    const res = await step(t.app, worker, appeal, 'rate', { input: { satisfaction: 'not_satisfied' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('transition_not_allowed');
  });

  it('the row equals the fold of its timeline', async () => {
    const row = await t.ctx.db.selectFrom('matters').selectAll().where('id', '=', appeal.id).executeTakeFirstOrThrow();
    const events = await t.ctx.db.selectFrom('matter_events').selectAll().where('matter_id', '=', appeal.id).execute();
    const rebuilt = foldMatter(events, finalStates(workflowOf('appeal')));
    for (const [key, value] of Object.entries(rebuilt)) {
      const stored = (row as Record<string, unknown>)[key];
      expect([key, key === 'money_recovered' ? Number(stored) : stored]).toEqual([key, value]);
    }
  });

  it('the timeline cannot be edited or deleted, even with direct SQL', async () => {
    await expect(t.ctx.db.deleteFrom('matter_events').where('matter_id', '=', appeal.id).execute()).rejects.toThrow(/append-only/);
    await expect(t.ctx.db.updateTable('matter_events').set({ note: 'x' }).where('matter_id', '=', appeal.id).execute()).rejects.toThrow(/append-only/);
  });
});

describe("a step's answer", () => {
  // The answer is built from what the step's own statement read and wrote, not read back after it:
  // it must show exactly what a fresh read of the matter shows, names and timeline included.
  async function sameAsFreshRead(session: SessionHeaders, answer: { statusCode: number; json: () => unknown }, status: number): Promise<MatterJson> {
    expect(answer.statusCode).toBe(status);
    const shown = answer.json() as MatterJson;
    const read = await t.app.inject({ method: 'GET', url: `/api/matters/${shown.id}`, headers: session });
    expect(read.statusCode).toBe(200);
    expect(shown).toEqual(read.json());
    return shown;
  }

  it('is the matter as a fresh read shows it, at every step and for every actor', async () => {
    const desk = await registerAppeal(t.app, station, { regionCode: haibin, channel: 'phone', contact: { name: '张师傅', phone: PHONES.worker } });
    let m = await sameAsFreshRead(station, desk, 201);
    expect(m.events).toHaveLength(1);
    m = await sameAsFreshRead(station, await step(t.app, station, m, 'assign', { note: '请尽快联系', input: { ownerOrgId: mediationTeam } }), 200);
    expect(m.ownerOrgName).toBe('鲤城区新就业群体快调队伍');
    expect(m.events.map((e) => e.type)).toEqual(['register', 'assign']);
    m = await sameAsFreshRead(mediator, await step(t.app, mediator, m, 'accept'), 200);
    m = await sameAsFreshRead(
      mediator,
      await step(t.app, mediator, m, 'record', {
        input: { method: 'mediation', parties: ['张师傅'], heldAt: new Date().toISOString(), summary: '电话调解', moneyRecovered: 800 },
      }),
      200,
    );
    m = await sameAsFreshRead(mediator, await step(t.app, mediator, m, 'reply', { input: { reply: '已追回部分欠款。', outcome: 'partly_resolved' } }), 200);
    // The worker the desk registered it for acts on it in the app.
    m = await sameAsFreshRead(worker, await step(t.app, worker, m, 'rate', { input: { satisfaction: 'not_satisfied', comment: '还差一半' } }), 200);
    expect(m.status).toBe('reopened');
    expect(m.events).toHaveLength(6);
    const own = await sameAsFreshRead(worker, await registerAppeal(t.app, worker, { regionCode: haibin }), 201);
    expect(own.raisedByMe).toBe(true);
  });

  it('of a step that lost a race is the 409 with the state that won, and nothing of it is written', async () => {
    const m = (await registerAppeal(t.app, station, { regionCode: haibin, channel: 'phone', contact: { name: '王师傅', phone: '13900000031' } })).json() as MatterJson;
    await ok(t.app, station, m, 'assign', { input: { ownerOrgId: mediationTeam } });
    const late = await step(t.app, station, m, 'assign', { input: { ownerOrgId: labourBureau } });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.details).toMatchObject({ status: 'assigned', version: 2 });
    const read = (await t.app.inject({ method: 'GET', url: `/api/matters/${m.id}`, headers: station })).json() as MatterJson;
    expect(read.events.map((e) => e.type)).toEqual(['register', 'assign']);
    expect(read.ownerOrgName).toBe('鲤城区新就业群体快调队伍');
  });
});

describe('the rules of the workflow', () => {
  async function fresh(): Promise<MatterJson> {
    const res = await registerAppeal(t.app, worker, { regionCode: haibin });
    expect(res.statusCode).toBe(201);
    return res.json() as MatterJson;
  }

  it('a step the workflow does not allow from this state is 409 and leaves the timeline alone', async () => {
    const m = await fresh();
    const res = await step(t.app, station, m, 'reply', { input: { reply: 'x', outcome: 'resolved' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'transition_not_allowed', details: { status: 'registered', version: 1 } });
    const after = (await t.app.inject({ method: 'GET', url: `/api/matters/${m.id}`, headers: station })).json() as MatterJson;
    expect(after.events).toHaveLength(1);
  });

  it('an unknown step is 400', async () => {
    const m = await fresh();
    const res = await step(t.app, station, m, 'teleport');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('transition_unknown');
  });

  it('a role that may not take the step gets 403: the worker cannot assign, staff cannot withdraw for the worker', async () => {
    const m = await fresh();
    expect((await step(t.app, worker, m, 'assign', { input: { ownerOrgId: mediationTeam } })).statusCode).toBe(403);
    expect((await step(t.app, station, m, 'withdraw')).statusCode).toBe(403);
    const assigned = await ok(t.app, station, m, 'assign', { input: { ownerOrgId: mediationTeam } });
    // Only the owner handles it: station staff are not in the mediation team.
    expect((await step(t.app, station, assigned, 'accept')).statusCode).toBe(403);
  });

  it('staff of another street cannot see or act on it (404, not 403)', async () => {
    const m = await fresh();
    const read = await t.app.inject({ method: 'GET', url: `/api/matters/${m.id}`, headers: otherStreetStaff });
    expect(read.statusCode).toBe(404);
    expect((await step(t.app, otherStreetStaff, m, 'assign', { input: { ownerOrgId: mediationTeam } })).statusCode).toBe(404);
    const ledger = (await t.app.inject({ method: 'GET', url: '/api/matters?view=ledger&limit=100', headers: otherStreetStaff })).json() as { items: { id: string }[] };
    expect(ledger.items.map((i) => i.id)).not.toContain(m.id);
  });

  it('a stale version is 409 with the current state', async () => {
    const m = await fresh();
    await ok(t.app, station, m, 'assign', { input: { ownerOrgId: mediationTeam } });
    const res = await step(t.app, station, m, 'reject', { note: '重复' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'version_conflict', details: { status: 'assigned', version: 2 } });
  });

  it('two staff assigning at once: one wins, the other gets 409, one assign event', async () => {
    const m = await fresh();
    const coordinator = await signInAs(t.app, PHONES.coordinator);
    const [a, b] = await Promise.all([
      step(t.app, station, m, 'assign', { input: { ownerOrgId: mediationTeam } }),
      step(t.app, coordinator, m, 'assign', { input: { ownerOrgId: labourBureau } }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const after = (await t.app.inject({ method: 'GET', url: `/api/matters/${m.id}`, headers: station })).json() as MatterJson;
    expect(after.events.filter((e) => e.type === 'assign')).toHaveLength(1);
    expect(after.version).toBe(2);
  });

  it('a missing required field is 400 naming it, as the kind describes the step', async () => {
    const m = await fresh();
    // The step's fields are described once, with the kind; a matter lists what may be taken now.
    const kinds = (await t.app.inject({ method: 'GET', url: '/api/matter-kinds' })).json().items as {
      kind: string;
      transitions: { name: string; input: { required?: string[] } }[];
    }[];
    const assign = kinds.find((k) => k.kind === 'appeal')?.transitions.find((tr) => tr.name === 'assign');
    expect(assign?.input.required).toEqual(['ownerOrgId']);
    expect(m.actions.map((a) => Object.keys(a).sort())).not.toContainEqual(expect.arrayContaining(['input']));
    const res = await step(t.app, station, m, 'assign', { input: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.issues[0].field).toBe('input.ownerOrgId');
    const noReason = await step(t.app, station, m, 'reject');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('note_required');
    const badCategory = await registerAppeal(t.app, worker, { regionCode: haibin, category: 'weather' });
    expect(badCategory.json().error.code).toBe('category_unknown');
    const badPayload = await registerAppeal(t.app, worker, { regionCode: haibin, payload: { amountClaimed: -5 } });
    expect(badPayload.statusCode).toBe(400);
    expect(badPayload.json().error.details.issues[0].field).toBe('payload.amountClaimed');
  });

  it('the owner must work over the region, and the person must belong to the organisation', async () => {
    const m = await fresh();
    const coordinator = await signInAs(t.app, PHONES.zoneCoordinator);
    const zoneOffice = await organisationId(t.app, coordinator, '泉州台商投资区党工委党建办');
    const far = await step(t.app, station, m, 'assign', { input: { ownerOrgId: zoneOffice } });
    expect(far.json().error.code).toBe('owner_out_of_region');
    const handlerId = (await t.app.inject({ method: 'GET', url: '/api/me', headers: handler })).json().id as string;
    const stranger = await step(t.app, station, m, 'assign', { input: { ownerOrgId: mediationTeam, ownerUserId: handlerId } });
    expect(stranger.json().error.code).toBe('owner_not_member');
    const past = await step(t.app, station, m, 'assign', { input: { ownerOrgId: mediationTeam, dueAt: '2020-01-01T00:00:00Z' } });
    expect(past.json().error.code).toBe('deadline_invalid');
  });

  it('offers as owners the offices above the appeal and the organisations of its district, with their people', async () => {
    const m = await fresh();
    const res = await t.app.inject({ method: 'GET', url: `/api/matters/${m.id}/owner-candidates`, headers: station });
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: { id: string; name: string; members: { name: string }[] }[] }).items;
    expect(items.find((o) => o.id === mediationTeam)?.members.map((p) => p.name)).toContain('黄调解员');
    expect(items.map((o) => o.name)).toContain('海滨街道办事处');
    expect(items.map((o) => o.name)).not.toContain('泉州台商投资区党工委党建办');
    expect((await t.app.inject({ method: 'GET', url: `/api/matters/${m.id}/owner-candidates`, headers: worker })).statusCode).toBe(403);
  });

  it('withdraw by the worker, reject with a reason, merge a duplicate', async () => {
    const a = await fresh();
    expect((await ok(t.app, worker, a, 'withdraw')).status).toBe('withdrawn');
    const b = await fresh();
    expect((await ok(t.app, station, b, 'reject', { note: '不属于受理范围' })).status).toBe('rejected');
    const c = await fresh();
    const d = await fresh();
    const merged = await ok(t.app, station, c, 'merge', { input: { intoMatterId: d.id } });
    expect(merged.status).toBe('merged');
    const target = (await t.app.inject({ method: 'GET', url: `/api/matters/${d.id}`, headers: station })).json() as MatterJson;
    expect(target.events.at(-1)).toMatchObject({ type: 'absorb', data: { fromMatterId: c.id } });
    const self = await fresh();
    expect((await step(t.app, station, self, 'merge', { input: { intoMatterId: self.id } })).json().error.code).toBe('merge_target_invalid');
    expect((await step(t.app, station, self, 'merge', { input: { intoMatterId: a.id } })).json().error.code).toBe('merge_target_invalid');
  });

  it('pause stops the clock and resume moves the deadline on by the paused working time', async () => {
    const m = await fresh();
    const assigned = await ok(t.app, station, m, 'assign', { input: { ownerOrgId: mediationTeam } });
    const paused = await ok(t.app, mediator, assigned, 'pause', { input: { reason: '等待骑手补充材料' } });
    expect(paused.pausedSince).not.toBeNull();
    expect((await step(t.app, mediator, paused, 'pause', { input: { reason: 'again' } })).json().error.code).toBe('clock_already_paused');
    const resumed = await ok(t.app, mediator, paused, 'resume');
    expect(resumed.pausedSince).toBeNull();
    expect(new Date(resumed.dueAt ?? 0).getTime()).toBeGreaterThanOrEqual(new Date(assigned.dueAt ?? 0).getTime());
    expect((await step(t.app, mediator, resumed, 'resume')).json().error.code).toBe('clock_not_paused');
  });

  it('text shaped like SQL, quotes, backslashes and placeholders is kept exactly through every step', async () => {
    // The step's statement is sent with its values bound (PostgreSQL) or as quoted literals (PGlite).
    const shapes = ["x'); drop table matters; --", 'C:\\站点\\结算\\', "E'\\x41' $1 $2::uuid", '😀 "quoted" \\\' end'];
    const text = shapes.join(' | ');
    const res = await registerAppeal(t.app, station, {
      regionCode: haibin,
      title: shapes[0],
      body: text,
      channel: 'walk_in',
      contact: { name: shapes[3], phone: '13912345670' },
    });
    expect(res.statusCode).toBe(201);
    const m = res.json() as MatterJson & { title: string; body: string; contactName: string };
    expect([m.title, m.body, m.contactName]).toEqual([shapes[0], text, shapes[3]]);
    const commented = await ok(t.app, station, m, 'comment', { note: text });
    expect(commented.events.at(-1)?.note).toBe(text);
    const read = (await t.app.inject({ method: 'GET', url: `/api/matters/${m.id}`, headers: station })).json() as typeof m;
    expect([read.title, read.body, read.contactName, read.events.at(-1)?.note]).toEqual([shapes[0], text, shapes[3], text]);
    expect(await t.ctx.db.selectFrom('matters').select('id').where('id', '=', m.id).executeTakeFirst()).toBeDefined();
  });

  it('registered at the desk for a worker with an account: it is theirs in the app, and they are told', async () => {
    const desk = (await registerAppeal(t.app, station, { regionCode: haibin, channel: 'phone', contact: { name: '张师傅', phone: PHONES.worker } })).json() as MatterJson;
    const row = await t.ctx.db.selectFrom('matters').select(['raised_by']).where('id', '=', desk.id).executeTakeFirstOrThrow();
    const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: worker })).json() as { id: string };
    expect(row.raised_by).toBe(me.id);
    const [event] = await t.ctx.db.selectFrom('matter_events').select('data').where('matter_id', '=', desk.id).execute();
    expect((event?.data as { raisedBy?: string }).raisedBy).toBe(me.id);
    const seen = (await t.app.inject({ method: 'GET', url: `/api/matters/${desk.id}`, headers: worker })).json() as MatterJson;
    expect(seen.raisedByMe).toBe(true);
    const told = (await t.app.inject({ method: 'GET', url: '/api/me/notifications', headers: worker })).json() as { items: { matterId: string; text: { zh: string } }[] };
    const message = told.items.filter((n) => n.matterId === desk.id);
    expect(message).toHaveLength(1);
    expect(message[0]?.text.zh).toContain(String(desk.number));
    // Staff acting for themselves are not told of their own step; nobody else is told either.
    const all = await t.ctx.db.selectFrom('notifications').select('user_id').where('matter_id', '=', desk.id).execute();
    expect(all.map((n) => n.user_id)).toEqual([me.id]);
  });

  it('registered at the desk for a phone with no active account: nobody is linked or told', async () => {
    const { createAccount } = await import('../../src/server/modules/identity/service.js');
    await createAccount(t.ctx, t.ctx.db, { phone: '13900000041', displayName: '停用的骑手', password: 'Rider#2026', grants: [{ role: 'worker', regionCode: haibin }] });
    await t.ctx.db.updateTable('users').set({ status: 'disabled' }).where('display_name', '=', '停用的骑手').execute();
    for (const phone of ['13900000041', '13900000042']) {
      const desk = (await registerAppeal(t.app, station, { regionCode: haibin, channel: 'walk_in', contact: { name: '某师傅', phone } })).json() as MatterJson;
      const row = await t.ctx.db.selectFrom('matters').select(['raised_by']).where('id', '=', desk.id).executeTakeFirstOrThrow();
      expect(row.raised_by).toBeNull();
      const [event] = await t.ctx.db.selectFrom('matter_events').select('data').where('matter_id', '=', desk.id).execute();
      expect((event?.data as { raisedBy?: string | null }).raisedBy).toBeNull();
      expect(await t.ctx.db.selectFrom('notifications').select('id').where('matter_id', '=', desk.id).execute()).toEqual([]);
    }
  });

  it('staff register a walk-in at the desk; the phone is encrypted, masked, and revealed only with a reason', async () => {
    const res = await registerAppeal(t.app, station, { regionCode: haibin, channel: 'walk_in', contact: { name: '刘师傅', phone: '13912345678' } });
    expect(res.statusCode).toBe(201);
    const m = res.json() as MatterJson;
    expect(m.contactPhone).toBe('139****5678');
    const row = await t.ctx.db.selectFrom('matters').select(['contact_phone_cipher']).where('id', '=', m.id).executeTakeFirstOrThrow();
    expect(row.contact_phone_cipher).not.toContain('13912345678');
    const events = await t.ctx.db.selectFrom('matter_events').select('data').where('matter_id', '=', m.id).execute();
    expect(JSON.stringify(events)).not.toContain('13912345678');
    const revealed = await t.app.inject({ method: 'POST', url: `/api/matters/${m.id}/reveal-contact`, headers: station, payload: { reason: '电话回访' } });
    expect(revealed.json()).toEqual({ phone: '13912345678' });
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'note']).where('target_id', '=', m.id).execute();
    expect(audit).toEqual(expect.arrayContaining([{ action: 'matter.reveal_contact', note: '电话回访' }]));
    // A worker cannot register for someone else, and staff must name the person.
    expect((await registerAppeal(t.app, worker, { regionCode: haibin, contact: { name: '某人', phone: '13912345679' } })).statusCode).toBe(403);
    expect((await registerAppeal(t.app, station, { regionCode: haibin })).json().error.code).toBe('contact_required');
  });

  it('a worker sees only their own appeals', async () => {
    const resident = await signInAs(t.app, PHONES.resident);
    const m = await fresh();
    expect((await t.app.inject({ method: 'GET', url: `/api/matters/${m.id}`, headers: resident })).statusCode).toBe(404);
    const mine = (await t.app.inject({ method: 'GET', url: '/api/matters?view=mine&limit=100', headers: worker })).json() as { items: { id: string }[] };
    expect(mine.items.map((i) => i.id)).toContain(m.id);
    const theirs = (await t.app.inject({ method: 'GET', url: '/api/matters?view=mine', headers: resident })).json() as { items: unknown[] };
    expect(theirs.items).toEqual([]);
    expect((await t.app.inject({ method: 'GET', url: '/api/matters?view=ledger', headers: worker })).statusCode).toBe(403);
  });
});
