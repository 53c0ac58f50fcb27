import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../src/server/demo/accounts.js';
import { createTestApp, signInAs, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t.close());

describe('signing in', () => {
  it('a demo coordinator signs in and /api/me shows the role and region', async () => {
    const session = await signInAs(t.app, '13800000008');
    const me = await t.app.inject({ method: 'GET', url: '/api/me', headers: session });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      phoneMasked: '138****0008',
      grants: [{ role: 'coordinator', regionCode: '350502', regionName: '鲤城区', regionLevel: 'district' }],
    });
  });

  it('sets an HttpOnly, SameSite=Lax cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { phone: '13800000001', password: 'Nuanxin@2026' },
    });
    const cookie = res.cookies.find((c) => c.name === 'nx_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
  });

  it('a wrong password and an unknown phone get the same answer', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone: '13800000001', password: 'nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone: '13999999999', password: 'nope' } });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.cookies).toHaveLength(0);
  });

  it('without a session, or with a forged one, /api/me is a 401', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/me' })).statusCode).toBe(401);
    const forged = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { cookie: 'nx_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });

  it('signing out ends the session', async () => {
    const session = await signInAs(t.app, '13800000001');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: session });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: session })).statusCode).toBe(401);
  });

  it('phone numbers are stored encrypted, with a blind index, never in clear', async () => {
    const rows = await t.ctx.db.selectFrom('users').select(['phone_cipher', 'phone_index', 'phone_masked']).execute();
    expect(rows.length).toBeGreaterThanOrEqual(DEMO_ACCOUNTS.length);
    for (const row of rows) {
      expect(row.phone_cipher).toMatch(/^v1:t1:/);
      expect(row.phone_cipher).not.toMatch(/1380000/);
      expect(row.phone_index).toMatch(/^[0-9a-f]{64}$/);
      expect(t.ctx.crypto.decrypt(row.phone_cipher)).toMatch(/^1380000\d{4}$/);
    }
  });
});

describe('demo accounts', () => {
  it('there is one demo account for every role and each can sign in', async () => {
    const roles = new Set(DEMO_ACCOUNTS.map((a) => a.role));
    expect(roles.size).toBe(12);
    const meta = await t.app.inject({ method: 'GET', url: '/api/meta' });
    const body = meta.json() as { demo: boolean; demoAccounts: { phone: string }[] };
    expect(body.demo).toBe(true);
    expect(body.demoAccounts).toHaveLength(DEMO_ACCOUNTS.length);
    for (const account of DEMO_ACCOUNTS) {
      const session = await signInAs(t.app, account.phone);
      const me = (await t.app.inject({ method: 'GET', url: '/api/me', headers: session })).json() as {
        grants: { role: string; regionName: string }[];
      };
      expect(me.grants[0]).toMatchObject({ role: account.role, regionName: account.regionName });
    }
  });

  it('demo accounts are not listed when the server faces a network', async () => {
    const original = t.ctx.config.host;
    t.ctx.config.host = '0.0.0.0';
    try {
      const meta = (await t.app.inject({ method: 'GET', url: '/api/meta' })).json() as { demo: boolean; demoAccounts: unknown[] };
      expect(meta.demo).toBe(false);
      expect(meta.demoAccounts).toEqual([]);
    } finally {
      t.ctx.config.host = original;
    }
  });
});
