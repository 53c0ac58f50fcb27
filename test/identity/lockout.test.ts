import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
});
afterAll(async () => t.close());

const signIn = (phone: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone, password }, remoteAddress: ip });

describe('repeated failed sign-ins lock the account', () => {
  it('after 5 wrong passwords even the right one is refused, with the same answer', async () => {
    const phone = '13800000003';
    const wrong = [];
    for (let i = 0; i < 5; i++) wrong.push(await signIn(phone, `wrong-${i}`));
    expect(wrong.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401]);
    const right = await signIn(phone, 'Nuanxin@2026');
    expect(right.statusCode).toBe(401);
    expect(right.json()).toEqual(wrong[0]?.json());
    expect(right.cookies).toHaveLength(0);
  });

  it('once the lock has run out the right password works again', async () => {
    await t.ctx.db
      .updateTable('users')
      .set({ locked_until: new Date(Date.now() - 1000) })
      .where('phone_masked', '=', '138****0003')
      .execute();
    expect((await signIn('13800000003', 'Nuanxin@2026')).statusCode).toBe(200);
  });

  it('a success clears the count of failures', async () => {
    const phone = '13800000004';
    for (let i = 0; i < 4; i++) await signIn(phone, 'wrong');
    expect((await signIn(phone, 'Nuanxin@2026')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) await signIn(phone, 'wrong');
    expect((await signIn(phone, 'Nuanxin@2026')).statusCode).toBe(200);
  });
});

/**
 * Limits count in fixed 15-minute windows of the clock: a run of attempts that crossed into the
 * next window would start counting afresh. Waits out the last seconds of a window first.
 */
async function clearOfWindowEdge(): Promise<void> {
  const windowMs = 15 * 60_000;
  const left = windowMs - (Date.now() % windowMs);
  if (left < 15_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

describe('sign-in attempts are rate limited', () => {
  it('per phone number: past 20 in the window, 429 with Retry-After', async () => {
    await clearOfWindowEdge();
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await signIn('13912345678', 'x', `10.1.0.${i}`)).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    const limited = await signIn('13912345678', 'x', '10.1.1.1');
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ error: { code: 'too_many_requests' } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('per address: past 60 in the window, 429 even for other phones', async () => {
    await clearOfWindowEdge();
    for (let i = 0; i < 60; i++) await signIn(`1370000${String(i).padStart(4, '0')}`, 'x', '10.2.0.1');
    expect((await signIn('13800000001', 'Nuanxin@2026', '10.2.0.1')).statusCode).toBe(429);
    expect((await signIn('13800000001', 'Nuanxin@2026', '10.2.0.2')).statusCode).toBe(200);
  });
});
