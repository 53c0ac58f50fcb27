import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signInAs, signInWithTwoFactor, type SessionHeaders, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: SessionHeaders;
let security: SessionHeaders;
let haibin: string;

interface UserJson {
  id: string;
  displayName: string;
  phoneMasked: string;
  status: string;
  grants: { id: string; role: string; regionCode: string }[];
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  admin = (await signInWithTwoFactor(t.app, '13800000009')).session;
  security = (await signInWithTwoFactor(t.app, '13800000011')).session;
  const streets = (await t.app.inject({ method: 'GET', url: '/api/regions?parent=350502' })).json() as {
    items: { code: string; name: string }[];
  };
  haibin = streets.items.find((s) => s.name === '海滨街道')?.code ?? '';
});
afterAll(async () => t.close());

const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers, payload: payload as object });

describe('staff accounts', () => {
  let created: UserJson;

  it('an admin creates a mediator account with a strong password', async () => {
    const weak = await post('/api/users', admin, {
      phone: '13911110000',
      displayName: '新调解员',
      password: 'alllowercase',
      grants: [{ role: 'mediator', regionCode: haibin }],
    });
    expect(weak.json()).toMatchObject({ error: { code: 'password_too_weak' } });
    const res = await post('/api/users', admin, {
      phone: '13911110000',
      displayName: '新调解员',
      password: 'Mediate#2026',
      grants: [{ role: 'mediator', regionCode: haibin }],
    });
    expect(res.statusCode).toBe(201);
    created = res.json() as UserJson;
    expect(created).toMatchObject({
      displayName: '新调解员',
      phoneMasked: '139****0000',
      status: 'active',
      grants: [{ role: 'mediator', regionCode: haibin }],
    });
    const session = await signInAs(t.app, '13911110000', 'Mediate#2026');
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: session })).json()).toMatchObject({
      grants: [{ role: 'mediator' }],
    });
  });

  it('lists accounts with masked phone numbers only, filtered and paged', async () => {
    const page1 = await t.app.inject({ method: 'GET', url: '/api/users?limit=5', headers: admin });
    const body = page1.json() as { items: UserJson[]; next: string | null };
    expect(body.items).toHaveLength(5);
    expect(page1.body).not.toMatch(/1[3-9]\d{9}/);
    const page2 = (await t.app.inject({ method: 'GET', url: `/api/users?limit=5&after=${body.next}`, headers: admin })).json() as {
      items: UserJson[];
    };
    expect(page2.items.map((u) => u.id)).not.toContain(body.items[0]?.id);
    const mediators = (await t.app.inject({ method: 'GET', url: '/api/users?role=mediator&limit=50', headers: admin })).json() as {
      items: UserJson[];
    };
    expect(mediators.items.every((u) => u.grants.some((g) => g.role === 'mediator'))).toBe(true);
    const byName = (await t.app.inject({ method: 'GET', url: `/api/users?q=${encodeURIComponent('新调解')}`, headers: admin })).json() as {
      items: UserJson[];
    };
    expect(byName.items.map((u) => u.id)).toEqual([created.id]);
  });

  it('grants and takes back a role, recorded in the audit log with before and after', async () => {
    const granted = await post(`/api/users/${created.id}/grants`, admin, { role: 'grid_member', regionCode: haibin });
    expect(granted.statusCode).toBe(201);
    const grant = (granted.json() as UserJson).grants.find((g) => g.role === 'grid_member');
    const removed = await t.app.inject({ method: 'DELETE', url: `/api/users/${created.id}/grants/${grant?.id}`, headers: admin });
    expect(removed.statusCode).toBe(204);
    const rows = await t.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('target_id', '=', created.id)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.action)).toEqual(['user.create', 'grant.create', 'grant.delete']);
    expect(rows[1]?.after).toMatchObject({ grants: expect.arrayContaining([{ role: 'grid_member', regionCode: haibin }]) });
  });

  it('only a security admin can make administrators', async () => {
    const byAdmin = await post(`/api/users/${created.id}/grants`, admin, { role: 'admin', regionCode: haibin });
    expect(byAdmin.json()).toMatchObject({ error: { code: 'grant_not_allowed' } });
    const bySecurity = await post(`/api/users/${created.id}/grants`, security, { role: 'admin', regionCode: haibin });
    expect(bySecurity.statusCode).toBe(201);
    const roles = (await t.app.inject({ method: 'GET', url: `/api/grantable-roles?region=${haibin}`, headers: admin })).json() as {
      roles: string[];
    };
    expect(roles.roles).toContain('coordinator');
    expect(roles.roles).not.toContain('admin');
  });

  it('disabling ends the account’s sessions and stops sign-in; enabling brings it back', async () => {
    const session = await signInAs(t.app, '13911110000', 'Mediate#2026');
    // Since the account now holds an admin role, a plain admin has no standing over it.
    expect((await post(`/api/users/${created.id}/status`, admin, { status: 'disabled' })).statusCode).toBe(403);
    const disabled = await post(`/api/users/${created.id}/status`, security, { status: 'disabled' });
    expect(disabled.json()).toMatchObject({ status: 'disabled' });
    expect((await t.app.inject({ method: 'GET', url: '/api/me', headers: session })).statusCode).toBe(401);
    expect((await post('/api/auth/sign-in', {}, { phone: '13911110000', password: 'Mediate#2026' })).statusCode).toBe(401);
    expect((await post(`/api/users/${created.id}/status`, security, { status: 'active' })).json()).toMatchObject({ status: 'active' });
  });

  it('revealing a phone number needs a reason and is audited', async () => {
    const noReason = await post(`/api/users/${created.id}/reveal`, admin, { field: 'phone', reason: '' });
    expect(noReason.statusCode).toBe(400);
    const res = await post(`/api/users/${created.id}/reveal`, admin, { field: 'phone', reason: '需要电话联系调解员' });
    expect(res.json()).toEqual({ value: '13911110000' });
    const row = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'personal_data.reveal')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ target_id: created.id, note: '需要电话联系调解员' });
    expect(JSON.stringify(row)).not.toContain('13911110000');
  });

  it('a coordinator, not an account admin, can do none of this', async () => {
    const coordinator = await signInAs(t.app, '13800000008');
    expect((await t.app.inject({ method: 'GET', url: '/api/users', headers: coordinator })).statusCode).toBe(403);
    expect(
      (
        await post('/api/users', coordinator, {
          phone: '13911112222',
          displayName: 'x',
          password: 'Mediate#2026',
          grants: [{ role: 'mediator', regionCode: haibin }],
        })
      ).statusCode,
    ).toBe(403);
  });
});
