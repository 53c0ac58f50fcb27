import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
let worker: SessionHeaders;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  worker = await signInAs(t.app, '13800000001');
});
afterAll(async () => t.close());

const put = (payload: unknown, headers: Record<string, string> = worker) =>
  t.app.inject({ method: 'PUT', url: '/api/me/profile', headers, payload: payload as object });

describe('the worker profile', () => {
  it('keeps occupation, platform and the roles the worker serves in', async () => {
    const res = await put({
      occupation: 'food_delivery',
      platform: '美团',
      serves: { collector: true, gridMember: false, sentinel: true },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      occupation: 'food_delivery',
      platform: '美团',
      serves: { collector: true, gridMember: false, sentinel: true },
      partyMember: null,
    });
  });

  it('suggests platforms by name', async () => {
    const res = (await t.app.inject({ method: 'GET', url: `/api/platform-suggestions?q=${encodeURIComponent('美')}` })).json() as {
      items: string[];
    };
    expect(res.items).toContain('美团');
  });

  it('suggests what workers typed only once three of them typed it, so no one person’s text shows', async () => {
    await put({ platform: '美好生活配送站小王的车' });
    const res = (await t.app.inject({ method: 'GET', url: `/api/platform-suggestions?q=${encodeURIComponent('美好生活')}` })).json() as { items: string[] };
    expect(res.items).not.toContain('美好生活配送站小王的车');
    await put({ platform: '美团' });
  });

  it('Party membership needs its separate consent, and withdrawing the consent forgets it', async () => {
    expect((await put({ partyMember: true })).json()).toMatchObject({ error: { code: 'consent_required' } });
    expect((await put({ partyConsent: true, partyMember: true })).json()).toMatchObject({ partyConsent: true, partyMember: true });
    expect((await put({ partyConsent: false })).json()).toMatchObject({ partyConsent: false, partyMember: null });
  });

  it('an ID number is checked, stored encrypted and shown masked', async () => {
    expect((await put({ idNumber: '350502199001011234' })).statusCode).toBe(400);
    const res = await put({ idNumber: '11010519491231002X' });
    expect(res.json()).toMatchObject({ idNumberMasked: '110***********002X' });
    const row = await t.ctx.db.selectFrom('worker_profiles').select('id_number_cipher').executeTakeFirstOrThrow();
    expect(row.id_number_cipher).toMatch(/^v1:/);
    expect(row.id_number_cipher).not.toContain('110105');
  });

  it('an unknown occupation or home region is refused', async () => {
    expect((await put({ occupation: 'astronaut' })).statusCode).toBe(400);
    expect((await put({ homeRegionCode: '999999' })).statusCode).toBe(404);
  });
});

describe('consents', () => {
  it('precise location can be withdrawn and given again; the history is kept', async () => {
    for (const granted of [false, true]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/me/consents', headers: worker, payload: { kind: 'location', granted } });
      expect(res.statusCode).toBe(201);
    }
    const list = (await t.app.inject({ method: 'GET', url: '/api/me/consents', headers: worker })).json() as {
      items: { kind: string; granted: boolean }[];
    };
    expect(
      list.items
        .filter((c) => c.kind === 'location')
        .map((c) => c.granted)
        .slice(0, 2),
    ).toEqual([true, false]);
  });
});

describe('my data', () => {
  it('the export holds everything about me, my own phone in full, and nobody else', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/me/export', headers: worker });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="nuanxin-my-data-/);
    const data = res.json() as {
      account: { phone: string; displayName: string };
      profile: { idNumber: string };
      consents: unknown[];
      sessions: unknown[];
    };
    expect(data.account).toMatchObject({ phone: '13800000001', displayName: '张师傅（外卖骑手）' });
    expect(data.profile.idNumber).toBe('11010519491231002X');
    expect(data.consents.length).toBeGreaterThan(0);
    expect(res.body).not.toContain('13800000002');
  });

  it('closing the account needs the password, then anonymises it and ends every session', async () => {
    const other = await signInAs(t.app, '13800000001');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/me/delete',
      headers: worker,
      payload: { password: 'nope', confirm: 'DELETE' },
    });
    expect(wrong.json()).toMatchObject({ error: { code: 'password_incorrect' } });
    const noConfirm = await t.app.inject({ method: 'POST', url: '/api/me/delete', headers: worker, payload: { password: 'Nuanxin@2026' } });
    expect(noConfirm.statusCode).toBe(400);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/me/delete',
      headers: worker,
      payload: { password: 'Nuanxin@2026', confirm: 'DELETE' },
    });
    expect(res.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: other })).statusCode).toBe(401);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone: '13800000001', password: 'Nuanxin@2026' } }))
        .statusCode,
    ).toBe(401);
    const row = await t.ctx.db.selectFrom('users').selectAll().where('status', '=', 'anonymised').executeTakeFirstOrThrow();
    expect(row.display_name).toBe('已注销用户');
    expect(t.ctx.crypto.decrypt(row.phone_cipher)).toBe('');
    expect(await t.ctx.db.selectFrom('worker_profiles').selectAll().where('user_id', '=', row.id).execute()).toEqual([]);
    // The phone number is free to register again.
    expect(row.phone_index).toMatch(/^anonymised:/);
  });
});
