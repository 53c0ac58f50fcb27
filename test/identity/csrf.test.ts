import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
let session: SessionHeaders;
let haibin: string;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  session = await signInAs(t.app, '13800000008');
  const found = (await t.app.inject({ method: 'GET', url: `/api/regions/search?q=${encodeURIComponent('海滨街道')}` })).json() as {
    items: { code: string }[];
  };
  haibin = found.items[0]?.code ?? '';
});
afterAll(async () => t.close());

const create = (headers: Record<string, string>, name: string) =>
  t.app.inject({ method: 'POST', url: '/api/organisations', headers, payload: { name, kind: 'enterprise', regionCode: haibin } });

describe('cross-site request forgery', () => {
  it('the CSRF cookie is readable by the page, the session cookie is not', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { phone: '13800000001', password: 'Nuanxin@2026' },
    });
    expect(res.cookies.find((c) => c.name === 'nx_csrf')?.httpOnly).toBeFalsy();
    expect(res.cookies.find((c) => c.name === 'nx_session')?.httpOnly).toBe(true);
  });

  it('a change with the session cookie but without the token is refused and writes nothing', async () => {
    const res = await create({ cookie: session.cookie }, '无令牌企业');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'csrf_failed' } });
    const rows = await t.ctx.db.selectFrom('organisations').select('id').where('name', '=', '无令牌企业').execute();
    expect(rows).toEqual([]);
  });

  it('a wrong token, or another session’s token, is refused', async () => {
    expect((await create({ cookie: session.cookie, 'x-csrf-token': 'forged' }, 'x1')).statusCode).toBe(403);
    const other = await signInAs(t.app, '13800000009');
    expect((await create({ cookie: session.cookie, 'x-csrf-token': other['x-csrf-token'] }, 'x2')).statusCode).toBe(403);
  });

  it('with the token the change goes through; reads need no token', async () => {
    expect((await create(session, '有令牌企业')).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: { cookie: session.cookie } })).statusCode).toBe(200);
  });
});
