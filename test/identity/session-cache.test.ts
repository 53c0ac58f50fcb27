// Each app keeps the sessions it has just looked up for a few seconds. A change made anywhere
// else (another instance of the server, an operator at the database) must still end a session
// within moments, not when the kept copy runs out (five seconds).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import type { App } from '../../src/server/context.js';
import { hashToken } from '../../src/server/modules/identity/service.js';
import { createTestApp, signInAs, type SessionHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
/** A second instance of the server on the same database. */
let other: App;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  other = await buildApp(t.ctx, { logger: false, web: false });
  await other.ready();
  // Both instances listen for session changes once connected.
  await new Promise((resolve) => setTimeout(resolve, 300));
});
afterAll(async () => {
  await other.close();
  await t.close();
});

const me = (app: App, headers: SessionHeaders) => app.inject({ method: 'GET', url: '/api/me', headers });
const tokenHashOf = (headers: SessionHeaders) => hashToken(/nx_session=([^;]+)/.exec(headers.cookie)?.[1] ?? '');
/** Well within the five seconds a kept session lasts: the announcement, not the expiry, ends it. */
const soon = { timeout: 1500, interval: 50 };

/** Signs in on the first instance and uses the session on the second, which then keeps it. */
async function keptByOther(phone: string): Promise<SessionHeaders> {
  const session = await signInAs(t.app, phone);
  expect((await me(other, session)).statusCode).toBe(200);
  expect((await me(other, session)).statusCode).toBe(200);
  return session;
}

describe('sessions kept by an instance', () => {
  it('signing out on one instance ends the session on the other', async () => {
    const session = await keptByOther('13800000005');
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: session })).statusCode).toBe(204);
    expect((await me(t.app, session)).statusCode).toBe(401);
    await expect.poll(async () => (await me(other, session)).statusCode, soon).toBe(401);
  });

  it('a session revoked at the database is refused by every instance', async () => {
    const session = await keptByOther('13800000006');
    await t.ctx.db.updateTable('sessions').set({ revoked_at: new Date() }).where('token_hash', '=', tokenHashOf(session)).execute();
    await expect.poll(async () => (await me(other, session)).statusCode, soon).toBe(401);
    expect((await me(t.app, session)).statusCode).toBe(401);
  });

  it('a session idle too long (its last activity set back) is refused', async () => {
    const session = await keptByOther('13800000008');
    await t.ctx.db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
      .where('token_hash', '=', tokenHashOf(session))
      .execute();
    await expect.poll(async () => (await me(other, session)).statusCode, soon).toBe(401);
  });

  it('a role taken away reaches the kept session: the grants it acts with are the new ones', async () => {
    const session = await keptByOther('13800000005');
    const before = (await me(other, session)).json() as { grants: unknown[] };
    expect(before.grants.length).toBeGreaterThan(0);
    const userId = (await me(other, session)).json() as { id: string };
    await t.ctx.db
      .updateTable('sessions')
      .set({ actor: JSON.stringify({ displayName: 'x', phoneMasked: '138****0005', twoFactorEnabled: false, grants: [] }) })
      .where('user_id', '=', userId.id)
      .execute();
    await expect.poll(async () => ((await me(other, session)).json() as { grants: unknown[] }).grants.length, soon).toBe(0);
  });

  it('the instance that made the change refuses at once, without waiting for the announcement', async () => {
    const a = await signInAs(t.app, '13800000002');
    const b = await signInAs(t.app, '13800000002');
    expect((await me(t.app, b)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/sign-out-everywhere', headers: a })).statusCode).toBe(204);
    expect((await me(t.app, b)).statusCode).toBe(401);
  });
});
