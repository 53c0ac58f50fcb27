import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let haibin: string;
let privacyVersion: string;
beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const streets = (await t.app.inject({ method: 'GET', url: '/api/regions?parent=350502' })).json() as {
    items: { code: string; name: string }[];
  };
  haibin = streets.items.find((s) => s.name === '海滨街道')?.code ?? '';
  privacyVersion = ((await t.app.inject({ method: 'GET', url: '/api/privacy-notice' })).json() as { version: string }).version;
});
afterAll(async () => t.close());

let ip = 0;
const nextIp = () => `10.9.${Math.floor(++ip / 200)}.${ip % 200}`;

async function requestCode(phone: string, remoteAddress = nextIp()) {
  return t.app.inject({ method: 'POST', url: '/api/auth/codes', payload: { phone, purpose: 'register' }, remoteAddress });
}

function lastCodeFor(phone: string): string {
  const message = t.sms.filter((m) => m.phone === phone && m.template === 'one_time_code').at(-1);
  if (message?.template !== 'one_time_code') throw new Error(`no code sent to ${phone}`);
  return message.params.code;
}

function registration(phone: string, overrides: Record<string, unknown> = {}) {
  return {
    phone,
    code: lastCodeFor(phone),
    password: 'ride2026safe',
    displayName: '骑手小陈',
    role: 'worker',
    regionCode: haibin,
    privacyVersion,
    locationConsent: true,
    ...overrides,
  };
}

const register = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/auth/register', payload, remoteAddress: nextIp() });

describe('self-registration of workers', () => {
  it('a worker registers with a text-message code and is signed in with the role at the street', async () => {
    expect((await requestCode('13700001111')).statusCode).toBe(204);
    const res = await register(registration('13700001111'));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      displayName: '骑手小陈',
      phoneMasked: '137****1111',
      grants: [{ role: 'worker', regionName: '海滨街道' }],
      pending: null,
    });
    const cookie = res.cookies.find((c) => c.name === 'nx_session');
    expect(cookie?.value).toBeTruthy();
    const consents = (
      await t.app.inject({ method: 'GET', url: '/api/me/consents', headers: { cookie: `nx_session=${cookie?.value}` } })
    ).json() as {
      items: { kind: string; granted: boolean; version: string }[];
    };
    expect(consents.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'privacy', granted: true, version: privacyVersion }),
        expect.objectContaining({ kind: 'location', granted: true }),
      ]),
    );
  });

  it('the code is sent as a text message and never appears in the answer', async () => {
    const res = await requestCode('13700002222');
    expect(res.body).toBe('');
    expect(lastCodeFor('13700002222')).toMatch(/^\d{6}$/);
  });

  it('a wrong code is refused, and after five wrong tries even the right one is', async () => {
    await requestCode('13700003333');
    const right = lastCodeFor('13700003333');
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await register(registration('13700003333', { code: wrong }));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'code_invalid' } });
    }
    expect((await register(registration('13700003333', { code: right }))).statusCode).toBe(400);
  });

  it('a code works once only', async () => {
    await requestCode('13700004444');
    const payload = registration('13700004444');
    expect((await register(payload)).statusCode).toBe(201);
    const again = await register({ ...payload, phone: '13700004444' });
    expect(again.statusCode).toBe(400);
  });

  it('a phone number registers once', async () => {
    await requestCode('13800000001', nextIp());
    const res = await register(registration('13800000001'));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'phone_taken' } });
  });

  it('refuses weak passwords, an outdated privacy notice, a district instead of a street, and staff roles', async () => {
    await requestCode('13700005555');
    expect((await register(registration('13700005555', { password: '12345678' }))).json()).toMatchObject({
      error: { code: 'password_too_weak' },
    });
    expect((await register(registration('13700005555', { privacyVersion: '2020-01-01' }))).json()).toMatchObject({
      error: { code: 'privacy_notice_outdated' },
    });
    expect((await register(registration('13700005555', { regionCode: '350502' }))).json()).toMatchObject({
      error: { code: 'region_too_coarse' },
    });
    const staff = await register(registration('13700005555', { role: 'coordinator' }));
    expect(staff.statusCode).toBe(400);
    expect((staff.json() as { error: { details: { issues: { field: string }[] } } }).error.details.issues[0]?.field).toBe('body.role');
    const users = await t.ctx.db.selectFrom('users').select('id').where('phone_masked', '=', '137****5555').execute();
    expect(users).toEqual([]);
  });

  it('codes are rate limited per phone (one a minute) with the wait in Retry-After', async () => {
    expect((await requestCode('13700006666')).statusCode).toBe(204);
    const second = await requestCode('13700006666');
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('codes are rate limited per address', async () => {
    const address = '10.77.0.1';
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) codes.push((await requestCode(`136000${String(i).padStart(5, '0')}`, address)).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 204)).toBe(true);
    expect(codes[20]).toBe(429);
  });

  it('the privacy notice is served in both languages', async () => {
    const notice = (await t.app.inject({ method: 'GET', url: '/api/privacy-notice' })).json() as {
      title: { zh: string; en: string };
      body: { zh: string; en: string };
    };
    expect(notice.title.zh).toContain('隐私');
    expect(notice.body.en).toContain('location');
  });
});
