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
      .orderBy('id')
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
      .orderBy('id', 'desc')
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

describe('grants tied to an organisation', () => {
  interface OrgJson {
    id: string;
    name: string;
    kind: string;
    regionCode: string;
  }
  interface GrantJson {
    role: string;
    regionCode: string;
    organisationId: string | null;
    organisationName: string | null;
  }
  const organisation = async (name: string): Promise<OrgJson> => {
    const res = await t.app.inject({ method: 'GET', url: `/api/organisations?q=${encodeURIComponent(name)}&limit=5`, headers: admin });
    const found = (res.json() as { items: OrgJson[] }).items.find((o) => o.name === name);
    if (!found) throw new Error(`no organisation ${name}`);
    return found;
  };
  const merchantAccount = (phone: string, grant: Record<string, unknown>) =>
    post('/api/users', admin, {
      phone,
      displayName: '新店员',
      password: 'Merchant#2026',
      grants: [{ role: 'merchant', regionCode: haibin, ...grant }],
    });

  it('a merchant grant names its shop, and the merchant then works with that shop’s rewards', async () => {
    const shop = await organisation('老街茶铺（爱心商户）');
    const res = await merchantAccount('13911113333', { organisationId: shop.id });
    expect(res.statusCode).toBe(201);
    const user = res.json() as { id: string; grants: GrantJson[] };
    expect(user.grants).toEqual([
      expect.objectContaining({ role: 'merchant', regionCode: haibin, organisationId: shop.id, organisationName: shop.name }),
    ]);
    const shown = (await t.app.inject({ method: 'GET', url: `/api/users/${user.id}`, headers: admin })).json() as { grants: GrantJson[] };
    expect(shown.grants[0]).toMatchObject({ organisationName: shop.name });

    const clerk = await signInAs(t.app, '13911113333', 'Merchant#2026');
    const owner = await signInAs(t.app, '13800000024');
    const idsOf = async (session: SessionHeaders) =>
      (
        (await t.app.inject({ method: 'GET', url: '/api/merchant/rewards', headers: session })).json() as {
          items: { id: string; organisationName: string }[];
        }
      ).items;
    const seen = await idsOf(clerk);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((r) => r.organisationName === shop.name)).toBe(true);
    expect(seen.map((r) => r.id).sort()).toEqual((await idsOf(owner)).map((r) => r.id).sort());

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('after')
      .where('target_id', '=', user.id)
      .where('action', '=', 'user.create')
      .executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ grants: [{ role: 'merchant', regionCode: haibin, organisationId: shop.id }] });
  });

  it('a merchant grant without a shop, with a shop outside its region, with an organisation that is no shop, or a second shop in one region is refused', async () => {
    const none = await merchantAccount('13911114444', {});
    expect(none.statusCode).toBe(400);
    expect(none.json()).toMatchObject({ error: { code: 'grant_organisation_required' } });
    expect(none.json()).toMatchObject({
      error: { message: { zh: '商户角色须指定所属的爱心商户', en: expect.stringContaining('merchant') } },
    });

    const elsewhere = await organisation('开元素面馆（爱心商户）');
    expect(elsewhere.regionCode).not.toBe(haibin);
    const outside = await merchantAccount('13911114444', { organisationId: elsewhere.id });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ error: { code: 'grant_organisation_out_of_region' } });

    const office = await organisation('海滨街道办事处');
    const notShop = await merchantAccount('13911114444', { organisationId: office.id });
    expect(notShop.statusCode).toBe(400);
    expect(notShop.json()).toMatchObject({ error: { code: 'grant_organisation_kind' } });

    const twoShops = await post('/api/users', admin, {
      phone: '13911114444',
      displayName: '新店员',
      password: 'Merchant#2026',
      grants: [
        { role: 'merchant', regionCode: haibin, organisationId: (await organisation('老街茶铺（爱心商户）')).id },
        { role: 'merchant', regionCode: haibin, organisationId: (await organisation('顺风修车铺（友好修车点）')).id },
      ],
    });
    expect(twoShops.statusCode).toBe(409);
    expect(twoShops.json()).toMatchObject({ error: { code: 'grant_exists' } });

    const missing = await merchantAccount('13911114444', { organisationId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'organisation_not_found' } });

    // None of these made an account.
    const byName = (await t.app.inject({ method: 'GET', url: `/api/users?q=${encodeURIComponent('新店员')}`, headers: admin })).json() as {
      items: unknown[];
    };
    expect(byName.items).toHaveLength(1);
  });

  it('adding a grant follows the same rules; other roles may name an organisation in their region', async () => {
    const created = await post('/api/users', admin, {
      phone: '13911115555',
      displayName: '新站员',
      password: 'Station#2026',
      grants: [{ role: 'station_staff', regionCode: haibin, organisationId: null }],
    });
    expect(created.statusCode).toBe(201);
    const userId = (created.json() as { id: string }).id;
    const shop = await organisation('顺风修车铺（友好修车点）');
    const office = await organisation('海滨街道办事处');
    const elsewhere = await organisation('开元素面馆（爱心商户）');

    const noShop = await post(`/api/users/${userId}/grants`, admin, { role: 'merchant', regionCode: haibin });
    expect(noShop.json()).toMatchObject({
      error: { code: 'grant_organisation_required', message: { zh: expect.any(String), en: expect.any(String) } },
    });
    const wrongKind = await post(`/api/users/${userId}/grants`, admin, { role: 'merchant', regionCode: haibin, organisationId: office.id });
    expect(wrongKind.json()).toMatchObject({ error: { code: 'grant_organisation_kind' } });
    const outOfRegion = await post(`/api/users/${userId}/grants`, admin, {
      role: 'grid_member',
      regionCode: haibin,
      organisationId: elsewhere.id,
    });
    expect(outOfRegion.statusCode).toBe(400);
    expect(outOfRegion.json()).toMatchObject({ error: { code: 'grant_organisation_out_of_region' } });

    const asMerchant = await post(`/api/users/${userId}/grants`, admin, { role: 'merchant', regionCode: haibin, organisationId: shop.id });
    expect(asMerchant.statusCode).toBe(201);
    // One merchant grant per region: another shop there is refused, not silently dropped.
    const otherShop = await organisation('老街茶铺（爱心商户）');
    const second = await post(`/api/users/${userId}/grants`, admin, { role: 'merchant', regionCode: haibin, organisationId: otherShop.id });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ error: { code: 'grant_exists' } });
    const asGrid = await post(`/api/users/${userId}/grants`, admin, { role: 'grid_member', regionCode: haibin, organisationId: office.id });
    expect(asGrid.statusCode).toBe(201);
    expect((asGrid.json() as { grants: GrantJson[] }).grants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'station_staff', organisationId: null, organisationName: null }),
        expect.objectContaining({ role: 'merchant', organisationId: shop.id }),
        expect.objectContaining({ role: 'grid_member', organisationId: office.id, organisationName: '海滨街道办事处' }),
      ]),
    );
    const session = await signInAs(t.app, '13911115555', 'Station#2026');
    const rewards = (await t.app.inject({ method: 'GET', url: '/api/merchant/rewards', headers: session })).json() as {
      items: { organisationName: string }[];
    };
    expect(rewards.items.length).toBeGreaterThan(0);
    expect(rewards.items.every((r) => r.organisationName === shop.name)).toBe(true);
  });
});
