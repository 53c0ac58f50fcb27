// Who may do what to whose records, route by route: the matrix in matrix.ts run against street A
// (海滨街道) and street B of 鲤城区, workers, and the three separated administrators.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { ROUTES, recordRoutes, type Expectation, type Probe } from './matrix.js';
import {
  apiRoutes,
  buildWorld,
  expectError,
  expectRefused,
  fingerprint,
  freshPhone,
  json,
  openApiOperations,
  send,
  shownIn,
  signIn,
  throwaway,
  type ActorName,
  type Call,
  type World,
} from './world.js';

let w: World;
beforeAll(async () => {
  w = await buildWorld();
});
afterAll(async () => w.close());

const keys = Object.keys(ROUTES).sort();
const spec = (key: string) => {
  const found = ROUTES[key];
  if (!found) throw new Error(`${key} is not in the matrix`);
  return found;
};

async function expectProbe(probe: Probe) {
  if (probe.expect !== 'empty') {
    await expectRefused(w, probe.call, { status: probe.expect.status, code: probe.expect.code, label: probe.what, audited: probe.audited });
    return;
  }
  // A 200 that shows nothing (an empty list, no roles, nothing counted) and writes nothing.
  const except = probe.audited ? ['audit_log'] : [];
  const before = await fingerprint(w, { except });
  const res = await send(w, probe.call);
  expect(res.statusCode, `${probe.what}: ${res.body.slice(0, 200)}`).toBe(200);
  expect(await shownIn(res), probe.what).toEqual([]);
  expect(await fingerprint(w, { except }), probe.what).toEqual(before);
}

describe('the matrix covers every route', () => {
  it('every /api route of the app is in the matrix, and every route in the matrix exists', () => {
    const missing = apiRoutes(w.t.app).filter((r) => !keys.includes(r));
    const stale = keys.filter((k) => !apiRoutes(w.t.app).includes(k));
    expect(missing, 'add these routes to test/security/matrix.ts').toEqual([]);
    expect(stale, 'these routes are gone: take them out of test/security/matrix.ts').toEqual([]);
  });

  it('the route list read from the app holds every documented operation', async () => {
    const documented = [...(await openApiOperations(w.t.app)).keys()].filter((k) => k.split(' ')[1]?.startsWith('/api/'));
    expect(documented.length).toBeGreaterThan(30);
    expect(documented.filter((op) => !apiRoutes(w.t.app).includes(op))).toEqual([]);
  });

  it('every signed-in route says how it is kept in scope', () => {
    for (const key of recordRoutes()) expect(spec(key).probes, `${key} works on others’ records: give it probes`).toBeDefined();
  });
});

describe('each route answers its entitled caller', () => {
  it.each(keys)('%s', async (key) => {
    const call = await spec(key).entitled(w);
    if (spec(key).public) expect(call.as, 'a public route is shown working signed out').toBeNull();
    const res = await send(w, call);
    expect(res.statusCode, res.body.slice(0, 300)).toBeGreaterThanOrEqual(200);
    expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(300);
  });
});

describe('signed out, every route but the public ones is a 401 that writes nothing', () => {
  it.each(keys.filter((k) => !spec(k).public))('%s', async (key) => {
    await expectRefused(w, await spec(key).entitled(w), { headers: {}, status: 401, code: 'unauthenticated' });
  });
});

describe('street A cannot read, list or change street B’s records, nor can anyone without standing', () => {
  it.each(keys.filter((k) => spec(k).probes))('%s', async (key) => {
    const probes = (await spec(key).probes?.(w)) ?? [];
    expect(probes.length).toBeGreaterThan(0);
    for (const probe of probes) await expectProbe(probe);
  });
});

describe('lists are filtered to the caller’s subtree in the query, and own reads are one’s own', () => {
  it.each(keys.filter((k) => spec(k).filtered))('%s', async (key) => {
    await spec(key).filtered?.(w);
  });
});

describe('a worker sees only their own', () => {
  it.each(recordRoutes())('%s: refused, or answered with nothing', async (key) => {
    const call = await spec(key).entitled(w);
    const before = await fingerprint(w);
    const res = await send(w, call, w.sessions.worker);
    if (res.statusCode === 200) expect(await shownIn(res), key).toEqual([]);
    else {
      expectError(res, undefined, undefined, key);
      expect([403, 404]).toContain(res.statusCode);
    }
    expect(await fingerprint(w)).toEqual(before);
  });

  const ownReads = keys.filter((k) => spec(k).own && k.startsWith('GET '));
  it.each(ownReads)('%s: holds nothing of another worker', async (key) => {
    const res = await send(w, await spec(key).entitled(w));
    expect(res.statusCode).toBe(200);
    const other = await w.t.ctx.db
      .selectFrom('users')
      .select(['id', 'phone_masked', 'display_name'])
      .where('id', '=', w.users.otherWorker)
      .executeTakeFirstOrThrow();
    for (const text of [other.id, other.phone_masked, other.display_name, w.phones.otherWorker, '乙街道专送队', '11010519491231002X']) {
      expect(res.body).not.toContain(text);
    }
  });

  const ownWrites = keys.filter((k) => spec(k).own && !k.startsWith('GET '));
  it.each(ownWrites)('%s: changes nobody else’s rows', async (key) => {
    const call = await spec(key).entitled(w);
    const me = await json<{ id: string }>(w, { method: 'GET', url: '/api/me', as: call.as });
    const before = await fingerprint(w, { notOf: me.id });
    const res = await send(w, call);
    expect(res.statusCode, res.body.slice(0, 200)).toBeLessThan(300);
    expect(await fingerprint(w, { notOf: me.id })).toEqual(before);
  });
});

describe('the three separated administrators', () => {
  it('the audit administrators read and verify the audit log', async () => {
    for (const as of ['auditA', 'cityAudit'] as ActorName[]) {
      expect((await send(w, { method: 'GET', url: '/api/audit', as })).statusCode).toBe(200);
      expect((await send(w, { method: 'GET', url: '/api/audit/verify', as })).json()).toMatchObject({ ok: true });
    }
  });

  // Refused: 403, or 404 where the record itself is out of their sight (case files are closed to them).
  const writes = recordRoutes().filter((k) => !k.startsWith('GET '));
  it.each(writes)('%s: an audit administrator may not', async (key) => {
    const call = await spec(key).entitled(w);
    for (const as of ['auditA', 'cityAudit'] as ActorName[]) {
      const body = await expectRefused(w, call, { headers: w.sessions[as], label: `${as}: ${key}` });
      expect(body.error.code, `${as}: ${key}`).toMatch(/^(forbidden|grant_not_allowed|[a-z]+_not_found)$/);
    }
  });

  it('the security and system administrators cannot read the audit log; the system administrator manages no accounts', async () => {
    for (const as of ['citySecurity', 'securityA', 'citySystem'] as ActorName[]) {
      await expectRefused(w, { method: 'GET', url: '/api/audit', as }, { status: 403, code: 'forbidden' });
    }
    await expectRefused(w, { method: 'GET', url: '/api/users', as: 'citySystem' }, { status: 403, code: 'forbidden' });
    await expectRefused(
      w,
      {
        method: 'POST',
        url: `/api/users/${w.userA.id}/grants`,
        as: 'citySystem',
        payload: { role: 'mediator', regionCode: w.streetA.code },
      },
      { status: 403, code: 'forbidden' },
    );
  });

  it('one person holds at most one of the three', async () => {
    const crafted: Call[] = [
      {
        method: 'POST',
        url: `/api/users/${w.users.securityA}/grants`,
        as: 'citySecurity',
        payload: { role: 'audit_admin', regionCode: w.streetA.code },
      },
      {
        method: 'POST',
        url: `/api/users/${w.users.auditA}/grants`,
        as: 'citySecurity',
        payload: { role: 'system_admin', regionCode: w.streetA.code },
      },
      {
        method: 'POST',
        url: `/api/users/${w.users.citySystem}/grants`,
        as: 'citySecurity',
        payload: { role: 'security_admin', regionCode: w.city.code },
      },
      {
        method: 'POST',
        url: '/api/users',
        as: 'citySecurity',
        payload: {
          phone: freshPhone(),
          displayName: '兼任管理员',
          password: DEMO_PASSWORD,
          grants: [
            { role: 'security_admin', regionCode: w.streetA.code },
            { role: 'audit_admin', regionCode: w.streetB.code },
          ],
        },
      },
    ];
    for (const call of crafted) {
      const body = await expectRefused(w, call, { status: 403, code: 'grant_not_allowed' });
      expect(body.error.details).toMatchObject({ reason: 'separation_of_duties' });
    }
  });

  it('the security administrator of street A grants any role there, and nowhere else', async () => {
    for (const role of ['coordinator', 'admin']) {
      const res = await send(w, {
        method: 'POST',
        url: `/api/users/${w.userA.id}/grants`,
        as: 'securityA',
        payload: { role, regionCode: w.streetA.code },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const regionCode of [w.streetB.code, w.district.code, w.zone.code, w.city.code]) {
      await expectRefused(
        w,
        { method: 'POST', url: `/api/users/${w.userA.id}/grants`, as: 'securityA', payload: { role: 'mediator', regionCode } },
        { status: 403, code: 'grant_not_allowed' },
      );
    }
  });
});

describe('nobody grants beyond their own standing: crafted grants', () => {
  const grant = (as: ActorName, target: (w: World) => string, payload: (w: World) => unknown) => (w: World) =>
    ({ method: 'POST', url: `/api/users/${target(w)}/grants`, as, payload: payload(w) }) as Call;
  const userA = (w: World) => w.userA.id;
  const self = (as: ActorName) => (w: World) => w.users[as];
  const at = (role: string, region: (w: World) => string) => (w: World) => ({ role, regionCode: region(w) });
  const A = (w: World) => w.streetA.code;
  const B = (w: World) => w.streetB.code;
  const denied = { status: 403, code: 'grant_not_allowed' } as const;
  const forbidden = { status: 403, code: 'forbidden' } as const;
  const invalid = { status: 400, code: 'invalid_request' } as const;

  const cases: [string, (w: World) => Call, Exclude<Expectation, 'empty'> | { status: 400; code: string }][] = [
    ['an administrator grants administrator', grant('adminA', userA, at('admin', A)), denied],
    ['an administrator grants security administrator', grant('adminA', userA, at('security_admin', A)), denied],
    ['an administrator grants system administrator', grant('adminA', userA, at('system_admin', A)), denied],
    ['an administrator grants audit administrator', grant('adminA', userA, at('audit_admin', A)), denied],
    ['the city’s administrator grants administrator', grant('cityAdmin', userA, at('admin', A)), denied],
    ['an administrator grants in another street', grant('adminA', userA, at('mediator', B)), denied],
    [
      'an administrator grants for the whole district',
      grant(
        'adminA',
        userA,
        at('coordinator', (w) => w.district.code),
      ),
      denied,
    ],
    [
      'an administrator grants for the city',
      grant(
        'adminA',
        userA,
        at('coordinator', (w) => w.city.code),
      ),
      denied,
    ],
    [
      'an administrator grants in the zone',
      grant(
        'adminA',
        userA,
        at('coordinator', (w) => w.zone.code),
      ),
      denied,
    ],
    [
      'a security administrator grants for the district',
      grant(
        'securityA',
        userA,
        at('admin', (w) => w.district.code),
      ),
      denied,
    ],
    ['an administrator grants to themselves', grant('adminA', self('adminA'), at('mediator', A)), denied],
    ['a security administrator grants to themselves', grant('securityA', self('securityA'), at('admin', A)), denied],
    [
      'the city’s security administrator grants to themselves',
      grant(
        'citySecurity',
        self('citySecurity'),
        at('admin', (w) => w.city.code),
      ),
      denied,
    ],
    ['a coordinator grants a role', grant('coordinatorA', userA, at('mediator', A)), forbidden],
    ['a handler grants themselves coordinator', grant('handlerA', self('handlerA'), at('coordinator', A)), forbidden],
    ['a worker grants themselves coordinator', grant('worker', self('worker'), at('coordinator', A)), forbidden],
    ['an unknown role', grant('adminA', userA, () => ({ role: 'superuser', regionCode: 'x' })), invalid],
    ['a role in other letters', grant('adminA', userA, at('Admin', A)), invalid],
    ['a role given twice', grant('adminA', userA, (w) => ({ role: ['mediator', 'admin'], regionCode: w.streetA.code })), invalid],
    [
      'an unknown region',
      grant(
        'adminA',
        userA,
        at('mediator', () => 'ZZ999999'),
      ),
      { status: 404, code: 'region_not_found' },
    ],
    [
      'an SQL-shaped region',
      grant(
        'adminA',
        userA,
        at('mediator', () => "350502' OR '1'='1"),
      ),
      invalid,
    ],
    ['a smuggled scope', grant('adminA', userA, (w) => ({ role: 'mediator', regionCode: w.streetA.code, scope: ['350500'] })), invalid],
    [
      'a smuggled grantee',
      grant('adminA', userA, (w) => ({ role: 'mediator', regionCode: w.streetA.code, userId: w.users.cityAdmin })),
      invalid,
    ],
    [
      // A grant may name an organisation, but only one in the administrator's subtree: another street's is as good as missing.
      'an organisation of another street',
      grant('adminA', userA, (w) => ({ role: 'mediator', regionCode: w.streetA.code, organisationId: w.orgB })),
      { status: 404, code: 'organisation_not_found' },
    ],
    ['a merchant grant without its shop', grant('adminA', userA, at('merchant', A)), { status: 400, code: 'grant_organisation_required' }],
    ['a list of grants in one body', grant('adminA', userA, (w) => [{ role: 'mediator', regionCode: w.streetA.code }]), invalid],
    [
      'an account created with an administrator grant among others',
      (w) => ({
        method: 'POST',
        url: '/api/users',
        as: 'adminA',
        payload: {
          phone: freshPhone(),
          displayName: '夹带管理员',
          password: DEMO_PASSWORD,
          grants: [
            { role: 'mediator', regionCode: w.streetA.code },
            { role: 'admin', regionCode: w.streetA.code },
          ],
        },
      }),
      denied,
    ],
    [
      'an account created with a grant in another street among others',
      (w) => ({
        method: 'POST',
        url: '/api/users',
        as: 'adminA',
        payload: {
          phone: freshPhone(),
          displayName: '夹带乙街道',
          password: DEMO_PASSWORD,
          grants: [
            { role: 'mediator', regionCode: w.streetA.code },
            { role: 'mediator', regionCode: w.streetB.code },
          ],
        },
      }),
      denied,
    ],
  ];

  it.each(cases)('%s', async (_name, build, expected) => {
    await expectRefused(w, build(w), { status: expected.status, code: expected.code });
  });

  it('an administrator cannot take away, or switch off, a standing above their own', async () => {
    const grantId = (
      await w.t.ctx.db.selectFrom('role_grants').select('id').where('user_id', '=', w.users.securityA).executeTakeFirstOrThrow()
    ).id;
    await expectRefused(w, { method: 'DELETE', url: `/api/users/${w.users.securityA}/grants/${grantId}`, as: 'adminA' }, denied);
    await expectRefused(
      w,
      { method: 'POST', url: `/api/users/${w.users.securityA}/status`, as: 'adminA', payload: { status: 'disabled' } },
      forbidden,
    );
  });
});

describe('a change of grants takes effect at once', () => {
  const createOrg = (as: ActorName) =>
    send(w, {
      method: 'POST',
      url: '/api/organisations',
      as,
      payload: { name: `海滨临时组${freshPhone().slice(-4)}`, kind: 'enterprise', regionCode: w.streetA.code },
    });

  it('a role granted works on the live session, and stops the moment it is taken away', async () => {
    expect((await createOrg('handlerA')).statusCode).toBe(403);
    const granted = await json<{ grants: { id: string; role: string }[] }>(w, {
      method: 'POST',
      url: `/api/users/${w.users.handlerA}/grants`,
      as: 'securityA',
      payload: { role: 'coordinator', regionCode: w.streetA.code },
    });
    expect((await createOrg('handlerA')).statusCode).toBe(201);
    const id = granted.grants.find((g) => g.role === 'coordinator')?.id;
    expect((await send(w, { method: 'DELETE', url: `/api/users/${w.users.handlerA}/grants/${id}`, as: 'securityA' })).statusCode).toBe(204);
    expectError(await createOrg('handlerA'), 403, 'forbidden');
  });

  it('a role that needs two-factor sign-in, granted to someone without it, ends their sessions', async () => {
    const mediator = await throwaway(w);
    const res = await send(w, {
      method: 'POST',
      url: `/api/users/${mediator.id}/grants`,
      as: 'securityA',
      payload: { role: 'admin', regionCode: w.streetA.code },
    });
    expect(res.statusCode).toBe(201);
    expectError(await send(w, { method: 'GET', url: '/api/users', as: mediator.session }), 401, 'unauthenticated');
    const again = await signIn(w.t.app, mediator.phone);
    expect(await json(w, { method: 'GET', url: '/api/me', as: again })).toMatchObject({ pending: 'enrolment' });
    expectError(await send(w, { method: 'GET', url: '/api/users', as: again }), 401, 'second_factor_required');
  });

  it('a staff role granted to a worker ends the worker’s long session; the next one has the staff timeouts', async () => {
    const phone = freshPhone();
    const created = await json<{ id: string }>(w, {
      method: 'POST',
      url: '/api/users',
      as: 'adminA',
      payload: { phone, displayName: '海滨骑手', password: DEMO_PASSWORD, grants: [{ role: 'worker', regionCode: w.streetA.code }] },
    });
    const session = await signIn(w.t.app, phone);
    const idle = async () =>
      (
        await w.t.ctx.db
          .selectFrom('sessions')
          .select('idle_minutes')
          .where('user_id', '=', created.id)
          .where('revoked_at', 'is', null)
          .execute()
      ).map((s) => s.idle_minutes);
    expect(await idle()).toEqual([7 * 24 * 60]);
    const res = await send(w, {
      method: 'POST',
      url: `/api/users/${created.id}/grants`,
      as: 'adminA',
      payload: { role: 'grid_member', regionCode: w.streetA.code },
    });
    expect(res.statusCode).toBe(201);
    expectError(await send(w, { method: 'GET', url: '/api/me', as: session }), 401, 'unauthenticated');
    await signIn(w.t.app, phone);
    expect(await idle()).toEqual([30]);
  });
});
