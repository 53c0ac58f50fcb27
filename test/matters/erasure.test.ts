// A worker's appeals in the download of their data, and what closing the account removes from
// them while the statistics stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finalStates } from '../../src/server/modules/matters/engine.js';
import { foldMatter } from '../../src/server/modules/matters/fold.js';
import { workflowOf } from '../../src/server/modules/matters/kinds/index.js';
import { createAccount } from '../../src/server/modules/identity/service.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';
import { ok, organisationId, PHONES, regionCode, registerAppeal, type MatterJson } from './helpers.js';

let t: TestApp;
let rider: SessionHeaders;
let station: SessionHeaders;
let haibin: string;
const PHONE = '13700005555';
const PASSWORD = 'ride2026safe';

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  haibin = await regionCode(t.app, ['鲤城区', '海滨街道']);
  await createAccount(t.ctx, t.ctx.db, { phone: PHONE, displayName: '骑手小周', password: PASSWORD, grants: [{ role: 'worker', regionCode: haibin }] });
  rider = await signInAs(t.app, PHONE, PASSWORD);
  station = await signInAs(t.app, PHONES.station);
});
afterAll(async () => t.close());

describe('a worker’s appeals and their personal data', () => {
  let mine: MatterJson;
  let walkIn: MatterJson;

  it('are in the download of their data', async () => {
    mine = (await registerAppeal(t.app, rider, { regionCode: haibin, title: '小周的配送费', body: '我叫周某某，站长欠我 800 元' })).json() as MatterJson;
    mine = await ok(t.app, rider, mine, 'comment', { note: '我的电话是 13700005555' });
    const coordinator = await signInAs(t.app, PHONES.coordinator);
    mine = await ok(t.app, station, mine, 'assign', { input: { ownerOrgId: await organisationId(t.app, coordinator, '鲤城区新就业群体快调队伍') } });
    // Staff also registered one for them at the desk, by their phone number.
    walkIn = (await registerAppeal(t.app, station, { regionCode: haibin, channel: 'walk_in', contact: { name: '周某某', phone: PHONE } })).json() as MatterJson;
    const data = (await t.app.inject({ method: 'GET', url: '/api/me/export', headers: rider })).json() as { matters: { number: number; body: string; timeline: { step: string }[] }[] };
    expect(data.matters.map((m) => m.number).sort()).toEqual([mine.number, walkIn.number].sort());
    expect(data.matters.find((m) => m.number === mine.number)?.timeline.map((e) => e.step)).toEqual(['register', 'comment', 'assign']);
  });

  it('closing the account removes what they wrote and who they are, keeps the statistics, and the row is still its fold', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/me/delete', headers: rider, payload: { password: PASSWORD, confirm: 'DELETE' } });
    expect(res.statusCode).toBe(204);
    for (const m of [mine, walkIn]) {
      const row = await t.ctx.db.selectFrom('matters').selectAll().where('id', '=', m.id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ title: '（当事人已注销）', contact_name: null, contact_phone_cipher: null, contact_phone_masked: null, category: 'unpaid_fees' });
      const events = await t.ctx.db.selectFrom('matter_events').selectAll().where('matter_id', '=', m.id).execute();
      const text = JSON.stringify(events);
      expect(text).not.toContain('周某某');
      expect(text).not.toContain('13700005555');
      const rebuilt = foldMatter(events, finalStates(workflowOf('appeal')));
      expect(rebuilt.title).toBe(row.title);
      expect(rebuilt.body).toBe(row.body);
      expect(rebuilt.status).toBe(row.status);
    }
    // The desk still sees the appeal, its state and its timeline.
    const seen = (await t.app.inject({ method: 'GET', url: `/api/matters/${mine.id}`, headers: station })).json() as MatterJson;
    expect(seen.status).toBe('assigned');
    expect(seen.events.map((e) => e.type)).toEqual(['register', 'comment', 'assign']);
    // Outside erasure the timeline is still append-only.
    await expect(t.ctx.db.updateTable('matter_events').set({ note: 'x' }).where('matter_id', '=', mine.id).execute()).rejects.toThrow(/append-only/);
  });
});
