import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, signInWithTwoFactor, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t.close());

const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });

describe('sessions', () => {
  it('lists my active sessions, marking the current one, and ends another', async () => {
    const phone = await signInAs(t.app, '13800000005');
    const laptop = await signInAs(t.app, '13800000005');
    const list = (await get('/api/me/sessions', phone)).json() as { items: { id: string; current: boolean }[] };
    expect(list.items).toHaveLength(2);
    expect(list.items.filter((s) => s.current)).toHaveLength(1);
    const other = list.items.find((s) => !s.current);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/me/sessions/${other?.id}`, headers: phone })).statusCode).toBe(204);
    expect((await get('/api/me', laptop)).statusCode).toBe(401);
    expect((await get('/api/me', phone)).statusCode).toBe(200);
  });

  it('cannot end someone else’s session', async () => {
    const mine = await signInAs(t.app, '13800000006');
    const theirs = await signInAs(t.app, '13800000007');
    const theirList = (await get('/api/me/sessions', theirs)).json() as { items: { id: string }[] };
    const res = await t.app.inject({ method: 'DELETE', url: `/api/me/sessions/${theirList.items[0]?.id}`, headers: mine });
    expect(res.statusCode).toBe(404);
    expect((await get('/api/me', theirs)).statusCode).toBe(200);
  });

  it('sign out everywhere ends every session of the person', async () => {
    const a = await signInAs(t.app, '13800000002');
    const b = await signInAs(t.app, '13800000002');
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sign-out-everywhere', headers: a })).statusCode).toBe(204);
    expect((await get('/api/me', a)).statusCode).toBe(401);
    expect((await get('/api/me', b)).statusCode).toBe(401);
  });

  it('a staff session ends after 30 idle minutes; a worker session lasts longer', async () => {
    const staff = await signInAs(t.app, '13800000008');
    const worker = await signInAs(t.app, '13800000001');
    const sessions = await t.ctx.db
      .selectFrom('sessions')
      .select(['id', 'idle_minutes', 'user_id'])
      .where('revoked_at', 'is', null)
      .execute();
    const idle = new Set(sessions.map((s) => s.idle_minutes));
    expect(idle.has(30)).toBe(true);
    expect([...idle].some((m) => m > 24 * 60)).toBe(true);
    await t.ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .execute();
    expect((await get('/api/me', staff)).statusCode).toBe(401);
    expect((await get('/api/me', worker)).statusCode).toBe(200);
  });

  it('a session past its absolute lifetime is over, however active', async () => {
    const worker = await signInAs(t.app, '13800000004');
    await t.ctx.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('revoked_at', 'is', null)
      .execute();
    expect((await get('/api/me', worker)).statusCode).toBe(401);
  });

  it('a disabled account’s sessions end at once', async () => {
    const worker = await signInAs(t.app, '13800000003');
    const { session: security } = await signInWithTwoFactor(t.app, '13800000011');
    const me = (await get('/api/me', worker)).json() as { id: string };
    const res = await t.app.inject({ method: 'POST', url: `/api/users/${me.id}/status`, headers: security, payload: { status: 'disabled' } });
    expect(res.statusCode).toBe(200);
    expect((await get('/api/me', worker)).statusCode).toBe(401);
  });
});
