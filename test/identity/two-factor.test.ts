import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, signInWithTwoFactor, totpCode, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t.close());

const me = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: '/api/me', headers });

describe('two-factor sign-in', () => {
  it('an administrator must enrol before doing anything else', async () => {
    const session = await signInAs(t.app, '13800000009');
    expect((await me(session)).json()).toMatchObject({ pending: 'enrolment', twoFactor: { enabled: false, required: true } });
    const blocked = await t.app.inject({ method: 'GET', url: '/api/organisations', headers: session });
    expect(blocked.statusCode).toBe(401);
    expect(blocked.json()).toMatchObject({ error: { code: 'second_factor_required' } });

    const setup = (await t.app.inject({ method: 'POST', url: '/api/me/two-factor/setup', headers: session })).json() as {
      secret: string;
      otpauthUrl: string;
      qrDataUrl: string;
    };
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/me/two-factor/enable', headers: session, payload: { code: '000000' } });
    expect(wrong.statusCode).toBe(401);
    const enabled = await t.app.inject({
      method: 'POST',
      url: '/api/me/two-factor/enable',
      headers: session,
      payload: { code: totpCode(setup.secret) },
    });
    expect(enabled.statusCode).toBe(200);
    const codes = (enabled.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await me(session)).json()).toMatchObject({ pending: null, twoFactor: { enabled: true } });
    expect((await t.app.inject({ method: 'GET', url: '/api/organisations', headers: session })).statusCode).toBe(200);

    // The next sign-in asks for a code; a wrong one is refused, a right one works once.
    const next = await signInAs(t.app, '13800000009');
    expect((await me(next)).json()).toMatchObject({ pending: 'second_factor' });
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: next, payload: { code: '123456' } });
    expect(bad.json()).toMatchObject({ error: { code: 'second_factor_failed' } });
    const code = totpCode(setup.secret);
    const good = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: next, payload: { code } });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ pending: null });

    // The same code cannot be replayed on another session.
    const third = await signInAs(t.app, '13800000009');
    const replay = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: third, payload: { code } });
    expect(replay.statusCode).toBe(401);

    // A recovery code works, once.
    const recovery = await t.app.inject({
      method: 'POST',
      url: '/api/auth/second-factor',
      headers: third,
      payload: { code: codes[0]?.toUpperCase() },
    });
    expect(recovery.statusCode).toBe(200);
    const fourth = await signInAs(t.app, '13800000009');
    const reused = await t.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: fourth, payload: { code: codes[0] } });
    expect(reused.statusCode).toBe(401);
  });

  it('guessing the second factor is rate limited per session', async () => {
    const { secret } = await signInWithTwoFactor(t.app, '13800000010');
    const session = await signInAs(t.app, '13800000010');
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) {
      answers.push(
        (await t.app.inject({ method: 'POST', url: '/api/auth/second-factor', headers: session, payload: { code: '000000' } })).statusCode,
      );
    }
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    const late = await t.app.inject({
      method: 'POST',
      url: '/api/auth/second-factor',
      headers: session,
      payload: { code: totpCode(secret) },
    });
    expect(late.statusCode).toBe(429);
  });

  it('a role that requires two-factor cannot turn it off; a worker can turn it on and off', async () => {
    const { session } = await signInWithTwoFactor(t.app, '13800000011');
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/me/two-factor/disable',
      headers: session,
      payload: { password: 'Nuanxin@2026' },
    });
    expect(refused.json()).toMatchObject({ error: { code: 'two_factor_required' } });

    const worker = await signInAs(t.app, '13800000001');
    expect((await me(worker)).json()).toMatchObject({ pending: null, twoFactor: { enabled: false, required: false } });
    const setup = (await t.app.inject({ method: 'POST', url: '/api/me/two-factor/setup', headers: worker })).json() as { secret: string };
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/me/two-factor/enable', headers: worker, payload: { code: totpCode(setup.secret) } }))
        .statusCode,
    ).toBe(200);
    const wrongPassword = await t.app.inject({
      method: 'POST',
      url: '/api/me/two-factor/disable',
      headers: worker,
      payload: { password: 'nope' },
    });
    expect(wrongPassword.json()).toMatchObject({ error: { code: 'password_incorrect' } });
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/me/two-factor/disable', headers: worker, payload: { password: 'Nuanxin@2026' } }))
        .statusCode,
    ).toBe(204);
    expect((await me(worker)).json()).toMatchObject({ twoFactor: { enabled: false } });
  });

  it('enabling without a started set-up is a 409', async () => {
    const resident = await signInAs(t.app, '13800000003');
    const res = await t.app.inject({ method: 'POST', url: '/api/me/two-factor/enable', headers: resident, payload: { code: '123456' } });
    expect(res.json()).toMatchObject({ error: { code: 'two_factor_not_started' } });
  });

  it('the secret is stored encrypted', async () => {
    const rows = await t.ctx.db.selectFrom('users').select('totp_secret_cipher').where('totp_secret_cipher', 'is not', null).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.totp_secret_cipher).toMatch(/^v1:t1:/);
  });
});
