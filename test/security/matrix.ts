// Every API route, and how each is kept to its callers: a request its entitled caller makes, and
// what street A's staff, workers and the wrong administrators get when they reach for records of
// street B or of someone else. scope.test.ts fails when a route of the app is missing here, so a
// new endpoint cannot ship without saying who may use it.
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { totpCode, type SessionHeaders } from '../helpers/app.js';
import { PLACE_ROUTES } from '../places/security-matrix.js';
import { POINT_ROUTES } from '../points/security-matrix.js';
import {
  covers,
  createStaff,
  freshAddress,
  freshPhone,
  json,
  pathOf,
  registrationCode,
  scopeOfUser,
  send,
  signIn,
  shownIn,
  throwaway,
  upload,
  uploadCall,
  type ActorName,
  type Call,
  type World,
} from './world.js';

function placeBody(regionCode: string) {
  return {
    name: `测试驿站${freshPhone().slice(-4)}`,
    kind: 'warm_station',
    regionCode,
    address: '泉州市鲤城区测试路1号',
    location: { lat: 24.92, lng: 118.59 },
    amenities: ['rest_seats'],
    hours: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, opens: '08:00', closes: '20:00' })),
  };
}

/** A demo place of the region (the demo district's stations are spread over its streets). */
async function placeIn(w: World, regionCode: string): Promise<string> {
  const row = await w.t.ctx.db.selectFrom('places').select('id').where('region_code', '=', regionCode).limit(1).executeTakeFirst();
  if (row) return row.id;
  const res = await w.t.app.inject({
    method: 'POST',
    url: '/api/places',
    headers: w.sessions.coordinatorA,
    payload: placeBody(regionCode),
  });
  return (res.json() as { id: string }).id;
}

function importCall(as: Call['as'], regionCode: string): Call {
  const csv = [
    '名称,类型,区域代码,地址,纬度,经度,坐标系,设施,营业时间,24小时',
    `导入驿站${freshPhone().slice(-4)},暖新驿站,${regionCode},中山路1号,24.91,118.58,wgs84,,08:00-20:00,`,
  ].join('\n');
  return { method: 'POST', url: '/api/places/import', as, payload: csv, headers: { 'content-type': 'text/csv' } };
}

/** What a refused probe must answer; 'empty' is a 200 that shows nothing (a list, the roles). */
export type Expectation = { status: 400 | 401 | 403 | 404; code: string } | 'empty';

export interface Probe {
  what: string;
  call: Call;
  expect: Expectation;
  /** The refusal is recorded in the audit log under this action (and nothing else is written). */
  audited?: string;
}

export interface RouteSpec {
  /** A request its entitled caller makes, answered with a 2xx. May prepare records first. */
  entitled(w: World): Promise<Call>;
  /** Why anyone may call it signed out; without this, anonymous callers get 401. */
  public?: string;
  /** It works on the caller's own account only (there is no one else's record to name). */
  own?: true;
  /** Why everyone signed in may use it alike (a library, the calendar): no one's record. */
  everyone?: string;
  /** Attempts that must fail: street A against street B, and callers without standing. */
  probes?(w: World): Probe[] | Promise<Probe[]>;
  /** For lists and own reads: what comes back lies in the caller's subtree, or is theirs. */
  filtered?(w: World): Promise<void>;
  /** Said when a signed-in route has no region to scope by. */
  unscoped?: string;
}

const get = (url: string, as: Call['as']): Call => ({ method: 'GET', url, as });
const post = (url: string, as: Call['as'], payload?: unknown, remoteAddress?: string): Call => ({
  method: 'POST',
  url,
  as,
  ...(payload === undefined ? {} : { payload }),
  ...(remoteAddress ? { remoteAddress } : {}),
});
const del = (url: string, as: Call['as']): Call => ({ method: 'DELETE', url, as });
const q = encodeURIComponent;

const forbidden = { status: 403, code: 'forbidden' } as const;
const grantNotAllowed = { status: 403, code: 'grant_not_allowed' } as const;
const userNotFound = { status: 404, code: 'user_not_found' } as const;
const organisationNotFound = { status: 404, code: 'organisation_not_found' } as const;
const matterNotFound = { status: 404, code: 'matter_not_found' } as const;
const fileNotFound = { status: 404, code: 'file_not_found' } as const;

/** The same call by several callers, all expecting the same answer. */
function each(as: ActorName[], what: string, call: (as: ActorName) => Call, expectation: Expectation): Probe[] {
  return as.map((name) => ({ what: `${name}: ${what}`, call: call(name), expect: expectation }));
}

/** A throwaway account that has enrolled in two-factor sign-in. */
async function enrolled(w: World): Promise<{ id: string; session: SessionHeaders; secret: string; phone: string }> {
  const user = await throwaway(w);
  const { secret } = await json<{ secret: string }>(w, post('/api/me/two-factor/setup', user.session));
  await json(w, post('/api/me/two-factor/enable', user.session, { code: totpCode(secret) }));
  return { ...user, secret };
}

interface UserItem {
  id: string;
  displayName: string;
  grants: { regionCode: string }[];
  otherGrants: number;
}

interface LedgerItem {
  id: string;
  number: number;
  regionCode: string;
}

/** Every matter of someone's ledger, page by page; each page but the last must be full. */
async function ledgerOf(w: World, as: ActorName, limit: number): Promise<LedgerItem[]> {
  const all: LedgerItem[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: LedgerItem[]; nextCursor: string | null } = await json(
      w,
      get(`/api/matters?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, as),
    );
    if (page.nextCursor !== null) expect(page.items).toHaveLength(limit);
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
}

async function usersSeenBy(w: World, as: ActorName, query = ''): Promise<UserItem[]> {
  return (await json<{ items: UserItem[] }>(w, get(`/api/users?limit=200${query}`, as))).items;
}

const COUNCIL_ROLES = ['admin', 'security_admin'];
const MATTER_STAFF = ['grid_member', 'station_staff', 'mediator', 'department_handler', 'coordinator', 'admin'];
const STAFF = [
  'grid_member',
  'station_staff',
  'mediator',
  'department_handler',
  'coordinator',
  'admin',
  'system_admin',
  'security_admin',
  'audit_admin',
];

export const ROUTES: Record<string, RouteSpec> = {
  // ---- public -------------------------------------------------------------------------------
  'GET /api/meta': { public: 'facts about the installation', entitled: async () => get('/api/meta', null) },
  'GET /api/health': { public: 'liveness for load balancers', entitled: async () => get('/api/health', null) },
  'GET /api/regions': {
    public: 'the administrative tree is public reference data',
    entitled: async (w) => get(`/api/regions?parent=${w.district.code}`, null),
  },
  'GET /api/regions/search': {
    public: 'the administrative tree is public reference data',
    entitled: async () => get(`/api/regions/search?q=${q('海滨')}`, null),
  },
  'GET /api/regions/:code': {
    public: 'the administrative tree is public reference data',
    entitled: async (w) => get(`/api/regions/${w.streetB.code}`, null),
  },
  'GET /api/privacy-notice': { public: 'read before registering', entitled: async () => get('/api/privacy-notice', null) },
  'GET /api/platform-suggestions': {
    public: 'platform names for the registration and profile forms, never a person',
    entitled: async () => get(`/api/platform-suggestions?q=${q('美团')}`, null),
  },
  'POST /api/auth/sign-in': {
    public: 'how a session begins',
    entitled: async (w) => post('/api/auth/sign-in', null, { phone: w.phones.handlerA, password: DEMO_PASSWORD }, freshAddress()),
  },
  'POST /api/auth/codes': {
    public: 'registration starts signed out',
    entitled: async () => post('/api/auth/codes', null, { phone: freshPhone(), purpose: 'register' }, freshAddress()),
  },
  'POST /api/auth/register': {
    public: 'registration starts signed out',
    entitled: async (w) => {
      const phone = freshPhone();
      const address = freshAddress();
      const code = await registrationCode(w.t, phone, address);
      const privacyVersion = (await json<{ version: string }>(w, get('/api/privacy-notice', null))).version;
      return post(
        '/api/auth/register',
        null,
        {
          phone,
          code,
          password: 'deliver-2026',
          displayName: '新骑手',
          role: 'worker',
          regionCode: w.streetA.code,
          privacyVersion,
          locationConsent: true,
        },
        address,
      );
    },
  },
  'POST /api/auth/sign-out': {
    public: 'ending a session needs no standing; without one it changes nothing',
    entitled: async () => post('/api/auth/sign-out', null),
  },

  // ---- the caller's own account ---------------------------------------------------------------
  'POST /api/auth/second-factor': {
    own: true,
    entitled: async (w) => {
      const user = await enrolled(w);
      const session = await signIn(w.t.app, user.phone);
      return post('/api/auth/second-factor', session, { code: totpCode(user.secret) });
    },
    probes: async (w) => {
      // One person's authenticator code does not finish another person's sign-in.
      const [mine, theirs] = [await enrolled(w), await enrolled(w)];
      const pending = await signIn(w.t.app, mine.phone);
      return [
        {
          what: 'another person’s code',
          call: post('/api/auth/second-factor', pending, { code: totpCode(theirs.secret) }),
          expect: { status: 401, code: 'second_factor_failed' },
          audited: 'auth.second_factor_failed',
        },
      ];
    },
  },
  'POST /api/auth/sign-out-everywhere': {
    own: true,
    entitled: async (w) => post('/api/auth/sign-out-everywhere', (await throwaway(w)).session),
  },
  'GET /api/me': {
    own: true,
    entitled: async () => get('/api/me', 'worker'),
    filtered: async (w) => {
      for (const name of ['worker', 'adminA', 'handlerB'] as ActorName[]) {
        const { id } = await json<{ id: string }>(w, get('/api/me', name));
        const row = await w.t.ctx.db.selectFrom('users').select('phone_cipher').where('id', '=', id).executeTakeFirstOrThrow();
        expect(w.t.ctx.crypto.decrypt(row.phone_cipher)).toBe(w.phones[name]);
      }
    },
  },
  'GET /api/me/sessions': {
    own: true,
    entitled: async () => get('/api/me/sessions', 'worker'),
    filtered: async (w) => {
      const { items } = await json<{ items: { id: string }[] }>(w, get('/api/me/sessions', 'worker'));
      expect(items.length).toBeGreaterThan(0);
      const owners = await w.t.ctx.db
        .selectFrom('sessions')
        .select('user_id')
        .where(
          'id',
          'in',
          items.map((s) => s.id),
        )
        .execute();
      expect(new Set(owners.map((o) => o.user_id))).toEqual(new Set([w.users.worker]));
    },
  },
  'DELETE /api/me/sessions/:id': {
    own: true,
    entitled: async (w) => {
      const other = await throwaway(w);
      await signIn(w.t.app, other.phone);
      const { items } = await json<{ items: { id: string; current: boolean }[] }>(w, get('/api/me/sessions', other.session));
      const id = items.find((s) => !s.current)?.id;
      return del(`/api/me/sessions/${id}`, other.session);
    },
    probes: async (w) => {
      const theirs = await w.t.ctx.db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', w.users.otherWorker)
        .where('revoked_at', 'is', null)
        .executeTakeFirstOrThrow();
      return each(
        ['worker', 'adminA', 'securityA', 'cityAdmin'],
        'ends another person’s session',
        (as) => del(`/api/me/sessions/${theirs.id}`, as),
        { status: 404, code: 'session_not_found' },
      );
    },
  },
  'POST /api/me/two-factor/setup': { own: true, entitled: async (w) => post('/api/me/two-factor/setup', (await throwaway(w)).session) },
  'POST /api/me/two-factor/enable': {
    own: true,
    entitled: async (w) => {
      const user = await throwaway(w);
      const { secret } = await json<{ secret: string }>(w, post('/api/me/two-factor/setup', user.session));
      return post('/api/me/two-factor/enable', user.session, { code: totpCode(secret) });
    },
  },
  'POST /api/me/two-factor/disable': {
    own: true,
    entitled: async (w) => post('/api/me/two-factor/disable', (await enrolled(w)).session, { password: DEMO_PASSWORD }),
  },
  'POST /api/me/two-factor/recovery-codes': {
    own: true,
    entitled: async (w) => post('/api/me/two-factor/recovery-codes', (await enrolled(w)).session, { password: DEMO_PASSWORD }),
  },
  'GET /api/me/profile': { own: true, entitled: async () => get('/api/me/profile', 'worker') },
  'PUT /api/me/profile': {
    own: true,
    entitled: async () => ({
      method: 'PUT',
      url: '/api/me/profile',
      as: 'worker',
      payload: { occupation: 'food_delivery', platform: '美团' },
    }),
  },
  'GET /api/me/consents': {
    own: true,
    entitled: async () => get('/api/me/consents', 'worker'),
    filtered: async (w) => {
      const { items } = await json<{ items: unknown[] }>(w, get('/api/me/consents', 'otherWorker'));
      const rows = await w.t.ctx.db.selectFrom('consents').select('id').where('user_id', '=', w.users.otherWorker).execute();
      expect(items).toHaveLength(rows.length);
    },
  },
  'POST /api/me/consents': { own: true, entitled: async () => post('/api/me/consents', 'worker', { kind: 'location', granted: true }) },
  'GET /api/me/export': {
    own: true,
    entitled: async () => get('/api/me/export', 'worker'),
    filtered: async (w) => {
      const res = await send(w, get('/api/me/export', 'otherWorker'));
      expect(res.json()).toMatchObject({ account: { id: w.users.otherWorker, phone: w.phones.otherWorker } });
      for (const name of ['worker', 'handlerB', 'adminA'] as ActorName[]) {
        expect(res.body).not.toContain(w.phones[name]);
        expect(res.body).not.toContain(w.users[name]);
      }
    },
  },
  'POST /api/me/delete': {
    own: true,
    entitled: async (w) => post('/api/me/delete', (await throwaway(w)).session, { password: DEMO_PASSWORD, confirm: 'DELETE' }),
  },

  // ---- accounts and grants: account administrators, within their subtree ----------------------
  'GET /api/users': {
    entitled: async () => get('/api/users', 'adminA'),
    probes: (w) => [
      ...each(['adminA', 'securityA'], 'lists street B', (as) => get(`/api/users?region=${w.streetB.code}`, as), 'empty'),
      ...each(
        ['adminA', 'securityA'],
        'searches for street B’s handler by name',
        (as) => get(`/api/users?q=${q(`department-handler-${w.phones.handlerB.slice(-4)}`)}`, as),
        'empty',
      ),
      ...each(
        ['coordinatorA', 'handlerA', 'worker', 'auditA', 'cityAudit', 'citySystem'],
        'lists accounts',
        (as) => get('/api/users', as),
        forbidden,
      ),
    ],
    filtered: async (w) => {
      // Someone who works in both streets: street A's administrators see the grant in street A
      // and only a count of the other.
      const both = await createStaff(w, 'mediator', w.streetA.code);
      await json(w, post(`/api/users/${both.id}/grants`, 'citySecurity', { role: 'mediator', regionCode: w.streetB.code }));
      for (const name of ['adminA', 'securityA'] as ActorName[]) {
        const [seen] = await usersSeenBy(w, name, `&q=${q(both.displayName)}`);
        expect(seen?.grants.map((g) => g.regionCode)).toEqual([w.streetA.code]);
        expect(seen?.otherGrants).toBe(1);
        const one = await json<UserItem>(w, get(`/api/users/${both.id}`, name));
        expect(one.grants.map((g) => g.regionCode)).toEqual([w.streetA.code]);
      }
      for (const name of ['adminA', 'securityA'] as ActorName[]) {
        const scope = await scopeOfUser(w, w.users[name], COUNCIL_ROLES);
        for (const query of ['', `&region=${w.district.code}`, `&region=${w.city.code}`]) {
          const items = await usersSeenBy(w, name, query);
          expect(items.map((u) => u.id)).toContain(w.userA.id);
          expect(items.map((u) => u.id)).not.toContain(w.userB.id);
          for (const user of items) {
            const paths = await Promise.all(user.grants.map((g) => pathOf(w, g.regionCode)));
            expect(
              paths.length > 0 && paths.every((p) => covers(scope, p)),
              `${name} sees ${user.id} with grants in its subtree only`,
            ).toBe(true);
          }
        }
        // Paged one at a time, every page is full until the last: the filter is in the query.
        const all = await usersSeenBy(w, name);
        const paged: string[] = [];
        let after: string | null = null;
        do {
          const page: { items: UserItem[]; next: string | null } = await json(
            w,
            get(`/api/users?limit=1${after ? `&after=${after}` : ''}`, name),
          );
          expect(page.items).toHaveLength(1);
          paged.push(...page.items.map((u) => u.id));
          after = page.next;
        } while (after !== null);
        expect(paged).toEqual(all.map((u) => u.id));
      }
      // The filter has something to do: the city sees street B.
      expect((await usersSeenBy(w, 'cityAdmin')).map((u) => u.id)).toContain(w.userB.id);
    },
  },
  'POST /api/users': {
    entitled: async (w) =>
      post('/api/users', 'adminA', {
        phone: freshPhone(),
        displayName: '海滨调解员',
        password: DEMO_PASSWORD,
        grants: [{ role: 'mediator', regionCode: w.streetA.code }],
      }),
    probes: (w) => {
      const body = (regionCode: string, role = 'mediator') => ({
        phone: freshPhone(),
        displayName: '越权账号',
        password: DEMO_PASSWORD,
        grants: [{ role, regionCode }],
      });
      return [
        ...each(
          ['adminA', 'securityA'],
          'creates an account in street B',
          (as) => post('/api/users', as, body(w.streetB.code)),
          grantNotAllowed,
        ),
        ...each(
          ['adminA', 'securityA'],
          'creates an account for the district',
          (as) => post('/api/users', as, body(w.district.code)),
          grantNotAllowed,
        ),
        ...each(
          ['adminA', 'securityA'],
          'creates an account in the zone',
          (as) => post('/api/users', as, body(w.zone.code)),
          grantNotAllowed,
        ),
        ...each(['adminA'], 'creates an administrator', (as) => post('/api/users', as, body(w.streetA.code, 'admin')), grantNotAllowed),
        ...each(
          ['coordinatorA', 'handlerA', 'worker', 'auditA', 'citySystem'],
          'creates an account',
          (as) => post('/api/users', as, body(w.streetA.code)),
          forbidden,
        ),
      ];
    },
  },
  'GET /api/users/:id': {
    entitled: async (w) => get(`/api/users/${w.userA.id}`, 'adminA'),
    probes: (w) => [
      ...each(['adminA', 'securityA'], 'reads street B’s handler', (as) => get(`/api/users/${w.userB.id}`, as), userNotFound),
      ...each(
        ['adminA', 'securityA'],
        'reads the city’s security administrator',
        (as) => get(`/api/users/${w.users.citySecurity}`, as),
        userNotFound,
      ),
      ...each(['coordinatorA', 'handlerA', 'worker', 'auditA'], 'reads an account', (as) => get(`/api/users/${w.userA.id}`, as), forbidden),
    ],
  },
  'POST /api/users/:id/grants': {
    entitled: async (w) => post(`/api/users/${w.userA.id}/grants`, 'adminA', { role: 'grid_member', regionCode: w.streetA.code }),
    probes: (w) => [
      ...each(
        ['adminA', 'securityA'],
        'grants to street B’s handler',
        (as) => post(`/api/users/${w.userB.id}/grants`, as, { role: 'mediator', regionCode: w.streetA.code }),
        userNotFound,
      ),
      ...each(
        ['adminA', 'securityA'],
        'grants a role in street B',
        (as) => post(`/api/users/${w.userA.id}/grants`, as, { role: 'mediator', regionCode: w.streetB.code }),
        grantNotAllowed,
      ),
      ...each(
        ['coordinatorA', 'handlerA', 'worker', 'auditA', 'citySystem'],
        'grants a role',
        (as) => post(`/api/users/${w.userA.id}/grants`, as, { role: 'mediator', regionCode: w.streetA.code }),
        forbidden,
      ),
    ],
  },
  'DELETE /api/users/:id/grants/:grantId': {
    entitled: async (w) => {
      const user = await json<{ grants: { id: string; role: string }[] }>(
        w,
        post(`/api/users/${w.userA.id}/grants`, 'adminA', { role: 'station_staff', regionCode: w.streetA.code }),
      );
      return del(`/api/users/${w.userA.id}/grants/${user.grants.find((g) => g.role === 'station_staff')?.id}`, 'adminA');
    },
    probes: async (w) => {
      const grantA = (await w.t.ctx.db.selectFrom('role_grants').select('id').where('user_id', '=', w.userA.id).executeTakeFirstOrThrow())
        .id;
      return [
        ...each(
          ['adminA', 'securityA'],
          'takes street B’s role away',
          (as) => del(`/api/users/${w.userB.id}/grants/${w.userB.grantId}`, as),
          userNotFound,
        ),
        ...each(
          ['adminA', 'securityA'],
          'takes street B’s grant away through a street A account',
          (as) => del(`/api/users/${w.userA.id}/grants/${w.userB.grantId}`, as),
          grantNotAllowed,
        ),
        ...each(
          ['coordinatorA', 'handlerA', 'worker', 'auditA'],
          'takes a role away',
          (as) => del(`/api/users/${w.userA.id}/grants/${grantA}`, as),
          forbidden,
        ),
      ];
    },
  },
  'POST /api/users/:id/status': {
    entitled: async (w) => post(`/api/users/${w.userA.id}/status`, 'adminA', { status: 'active' }),
    probes: (w) => [
      ...each(
        ['adminA', 'securityA'],
        'disables street B’s handler',
        (as) => post(`/api/users/${w.userB.id}/status`, as, { status: 'disabled' }),
        userNotFound,
      ),
      ...each(
        ['adminA'],
        'disables a security administrator',
        (as) => post(`/api/users/${w.users.securityA}/status`, as, { status: 'disabled' }),
        forbidden,
      ),
      ...each(
        ['adminA', 'securityA'],
        'disables themselves',
        (as) => post(`/api/users/${w.users[as]}/status`, as, { status: 'disabled' }),
        forbidden,
      ),
      ...each(
        ['coordinatorA', 'handlerA', 'worker', 'auditA'],
        'disables an account',
        (as) => post(`/api/users/${w.userA.id}/status`, as, { status: 'disabled' }),
        forbidden,
      ),
    ],
  },
  'POST /api/users/:id/reveal': {
    entitled: async (w) => post(`/api/users/${w.userA.id}/reveal`, 'adminA', { field: 'phone', reason: '核实调解员联系方式' }),
    probes: (w) => [
      ...each(
        ['adminA', 'securityA'],
        'reveals street B’s phone number',
        (as) => post(`/api/users/${w.userB.id}/reveal`, as, { field: 'phone', reason: '核实联系方式' }),
        userNotFound,
      ),
      ...each(
        ['coordinatorA', 'handlerA', 'worker', 'auditA'],
        'reveals a phone number',
        (as) => post(`/api/users/${w.userA.id}/reveal`, as, { field: 'phone', reason: '核实联系方式' }),
        forbidden,
      ),
    ],
  },
  'GET /api/grantable-roles': {
    entitled: async (w) => get(`/api/grantable-roles?region=${w.streetA.code}`, 'adminA'),
    probes: (w) => [
      ...each(['adminA', 'securityA'], 'asks about street B', (as) => get(`/api/grantable-roles?region=${w.streetB.code}`, as), 'empty'),
      ...each(
        ['adminA', 'securityA'],
        'asks about the district',
        (as) => get(`/api/grantable-roles?region=${w.district.code}`, as),
        'empty',
      ),
      ...each(
        ['coordinatorA', 'handlerA', 'worker', 'auditA'],
        'asks about street A',
        (as) => get(`/api/grantable-roles?region=${w.streetA.code}`, as),
        forbidden,
      ),
    ],
  },

  // ---- organisations: staff, within their subtree --------------------------------------------
  'GET /api/organisations': {
    entitled: async () => get('/api/organisations', 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'handlerA', 'adminA'],
        'lists street B',
        (as) => get(`/api/organisations?region=${w.streetB.code}`, as),
        'empty',
      ),
      ...each(
        ['coordinatorA', 'handlerA'],
        'searches for street B’s office',
        (as) => get(`/api/organisations?q=${q(w.streetB.name)}`, as),
        'empty',
      ),
      ...each(['worker', 'otherWorker'], 'lists organisations', (as) => get('/api/organisations', as), 'empty'),
    ],
    filtered: async (w) => {
      for (const name of ['coordinatorA', 'handlerA', 'adminA', 'zoneCoordinator'] as ActorName[]) {
        const scope = await scopeOfUser(w, w.users[name], STAFF);
        const res = await json<{ items: { id: string; regionCode: string }[]; total: number }>(
          w,
          get('/api/organisations?limit=200', name),
        );
        expect(res.items.length, name).toBeGreaterThan(0);
        expect(res.total).toBe(res.items.length);
        for (const o of res.items) expect(covers(scope, await pathOf(w, o.regionCode)), `${name} sees ${o.regionCode}`).toBe(true);
        for (let offset = 0; offset < res.total; offset += 1) {
          const page = await json<{ items: { id: string }[]; total: number }>(w, get(`/api/organisations?limit=1&offset=${offset}`, name));
          expect(page.total).toBe(res.total);
          expect(page.items.map((o) => o.id)).toEqual([res.items[offset]?.id]);
        }
      }
      const a = await json<{ items: { id: string }[] }>(w, get('/api/organisations?limit=200', 'coordinatorA'));
      expect(a.items.map((o) => o.id)).toContain(w.orgA);
      expect(a.items.map((o) => o.id)).not.toContain(w.orgB);
      const district = await json<{ items: { id: string }[] }>(w, get('/api/organisations?limit=200', 'districtCoordinator'));
      expect(district.items.map((o) => o.id)).toContain(w.orgB);
    },
  },
  'POST /api/organisations': {
    entitled: async (w) =>
      post('/api/organisations', 'coordinatorA', {
        name: `海滨志愿队${freshPhone().slice(-4)}`,
        kind: 'social_organisation',
        regionCode: w.streetA.code,
      }),
    probes: (w) => {
      const body = (regionCode: string, extra: object = {}) => ({
        name: `越权组织${freshPhone().slice(-4)}`,
        kind: 'enterprise',
        regionCode,
        ...extra,
      });
      return [
        ...each(['coordinatorA'], 'creates one in street B', (as) => post('/api/organisations', as, body(w.streetB.code)), forbidden),
        ...each(['coordinatorA'], 'creates one for the district', (as) => post('/api/organisations', as, body(w.district.code)), forbidden),
        ...each(
          ['coordinatorA'],
          'hangs one under street B’s office',
          (as) => post('/api/organisations', as, body(w.streetA.code, { parentId: w.orgB })),
          organisationNotFound,
        ),
        ...each(
          ['handlerA', 'worker', 'auditA', 'cityAudit', 'securityA'],
          'creates one',
          (as) => post('/api/organisations', as, body(w.streetA.code)),
          forbidden,
        ),
      ];
    },
  },
  'GET /api/organisations/:id': {
    entitled: async (w) => get(`/api/organisations/${w.orgA}`, 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'handlerA', 'adminA', 'zoneCoordinator'],
        'reads street B’s office',
        (as) => get(`/api/organisations/${w.orgB}`, as),
        organisationNotFound,
      ),
      ...each(['worker', 'otherWorker'], 'reads an office', (as) => get(`/api/organisations/${w.orgB}`, as), organisationNotFound),
    ],
  },

  // ---- the audit log: audit administrators only, within their subtree -------------------------
  'GET /api/audit': {
    entitled: async () => get('/api/audit', 'auditA'),
    probes: (w) => [
      ...each(['auditA'], 'reads street B’s handler’s record', (as) => get(`/api/audit?targetId=${w.userB.id}`, as), 'empty'),
      ...each(
        ['coordinatorA', 'handlerA', 'adminA', 'securityA', 'citySecurity', 'cityAdmin', 'citySystem', 'worker'],
        'reads the audit log',
        (as) => get('/api/audit', as),
        forbidden,
      ),
    ],
    filtered: async (w) => {
      const scope = await scopeOfUser(w, w.users.auditA, ['audit_admin']);
      const seen = (await json<{ items: { seq: number }[] }>(w, get('/api/audit?limit=200', 'auditA'))).items.map((r) => r.seq);
      expect(seen.length).toBeGreaterThan(0);
      const rows = await w.t.ctx.db.selectFrom('audit_log').select(['seq', 'region_path']).where('seq', 'in', seen).execute();
      for (const row of rows) expect(row.region_path !== null && covers(scope, row.region_path), `row ${row.seq}`).toBe(true);
      const paged: number[] = [];
      let before: number | null = null;
      do {
        const page: { items: { seq: number }[]; next: number | null } = await json(
          w,
          get(`/api/audit?limit=1${before ? `&before=${before}` : ''}`, 'auditA'),
        );
        expect(page.items).toHaveLength(1);
        paged.push(...page.items.map((r) => r.seq));
        before = page.next;
      } while (before !== null);
      expect(paged).toEqual(seen);
      // The filter has something to do: the city's audit administrator sees street B's rows.
      const city = (await json<{ items: { targetId: string | null }[] }>(w, get(`/api/audit?targetId=${w.userB.id}`, 'cityAudit'))).items;
      expect(city.length).toBeGreaterThan(0);
    },
  },
  'GET /api/audit/verify': {
    entitled: async () => get('/api/audit/verify', 'auditA'),
    unscoped: 'the chain is one for the whole installation; verify reports whether it holds, not what the rows say',
    probes: () =>
      each(
        ['coordinatorA', 'handlerA', 'adminA', 'securityA', 'citySecurity', 'cityAdmin', 'citySystem', 'worker'],
        'verifies the audit log',
        (as) => get('/api/audit/verify', as),
        forbidden,
      ),
  },

  // ---- matters: the person who raised one, its owner, and staff over its region --------------
  'GET /api/matter-kinds': {
    public: 'the kinds of matter with their states and steps, for drawing forms; no matter itself',
    entitled: async () => get('/api/matter-kinds', null),
  },
  'POST /api/matters': {
    entitled: async (w) => post('/api/matters', 'coordinatorA', deskBody(w.streetA.code)),
    probes: async (w) => [
      ...each(
        ['coordinatorA', 'adminA'],
        'registers at street B’s desk',
        (as) => post('/api/matters', as, deskBody(w.streetB.code)),
        forbidden,
      ),
      ...each(
        ['handlerA', 'worker', 'auditA', 'citySecurity', 'citySystem'],
        'registers for somebody at a desk',
        (as) => post('/api/matters', as, deskBody(w.streetA.code)),
        forbidden,
      ),
      {
        what: 'a worker attaches another person’s upload',
        call: post('/api/matters', 'worker', { ...ownBody(w.streetA.code), files: [w.fileA] }),
        expect: { status: 400, code: 'file_not_attachable' },
      },
    ],
  },
  'GET /api/matters': {
    entitled: async () => get('/api/matters', 'coordinatorA'),
    probes: (w) => [
      ...each(['coordinatorA', 'handlerA', 'adminA'], 'lists street B', (as) => get(`/api/matters?region=${w.streetB.code}`, as), 'empty'),
      ...each(
        ['coordinatorA', 'handlerA'],
        'searches for street B’s appeal',
        (as) => get(`/api/matters?q=${q('乙街道站点乱罚款')}`, as),
        'empty',
      ),
      ...each(['worker', 'handlerA'], 'opens an inbox of nothing owned', (as) => get('/api/matters?view=inbox', as), 'empty'),
      ...each(
        ['worker', 'otherWorker', 'auditA', 'cityAudit', 'citySecurity', 'citySystem'],
        'reads the ledger',
        (as) => get('/api/matters', as),
        forbidden,
      ),
    ],
    filtered: async (w) => {
      for (const name of ['coordinatorA', 'handlerA', 'adminA', 'zoneCoordinator'] as ActorName[]) {
        const scope = await scopeOfUser(w, w.users[name], MATTER_STAFF);
        const all = await ledgerOf(w, name, 100);
        for (const m of all) expect(covers(scope, await pathOf(w, m.regionCode)), `${name} sees ${m.regionCode}`).toBe(true);
        // Paged seven at a time, every page is full until the last: the filter is in the query.
        expect((await ledgerOf(w, name, 7)).map((m) => m.id)).toEqual(all.map((m) => m.id));
      }
      const a = (await ledgerOf(w, 'coordinatorA', 100)).map((m) => m.id);
      expect(a).toContain(w.deskA);
      expect(a).not.toContain(w.matterB);
      // A worker's own view holds what they raised, and only that.
      const mine = await json<{ items: { id: string }[] }>(w, get('/api/matters?view=mine&limit=100', 'otherWorker'));
      expect(mine.items.map((m) => m.id)).toEqual([w.matterB]);
    },
  },
  'GET /api/matters/export.xlsx': {
    entitled: async () => get('/api/matters/export.xlsx', 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'handlerA'],
        'exports street B',
        (as) => get(`/api/matters/export.xlsx?region=${w.streetB.code}`, as),
        'empty',
      ).map((p) => ({ ...p, audited: 'matter.export' })),
      ...each(
        ['worker', 'otherWorker', 'auditA', 'citySecurity', 'citySystem'],
        'exports the ledger',
        (as) => get('/api/matters/export.xlsx', as),
        forbidden,
      ),
    ],
    filtered: async (w) => {
      // The export is the ledger row for row: the same numbers, so the same subtree.
      const ledger = await ledgerOf(w, 'coordinatorA', 100);
      expect(ledger.length).toBeGreaterThan(0);
      const rows = (await shownIn(await send(w, get('/api/matters/export.xlsx', 'coordinatorA')))) as unknown[][];
      expect(rows.map((r) => Number(r[1])).sort((x, y) => x - y)).toEqual(ledger.map((m) => m.number).sort((x, y) => x - y));
    },
  },
  'GET /api/matters/figures': {
    entitled: async () => get(`/api/matters/figures?kind=appeal&from=2020-01-01&to=2030-12-31`, 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'handlerA'],
        'counts street B',
        (as) => get(`/api/matters/figures?kind=appeal&from=2020-01-01&to=2030-12-31&region=${w.streetB.code}`, as),
        'empty',
      ),
      ...each(
        ['worker', 'auditA', 'citySecurity'],
        'counts the ledger',
        (as) => get('/api/matters/figures?kind=appeal&from=2020-01-01&to=2030-12-31', as),
        forbidden,
      ),
    ],
  },
  'GET /api/matters/:id': {
    entitled: async (w) => get(`/api/matters/${w.deskA}`, 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'handlerA', 'adminA'],
        'reads street B’s appeal',
        (as) => get(`/api/matters/${w.matterB}`, as),
        matterNotFound,
      ),
      ...each(
        ['worker', 'otherWorker', 'auditA', 'cityAudit', 'citySecurity', 'citySystem'],
        'reads a desk appeal',
        (as) => get(`/api/matters/${w.deskA}`, as),
        matterNotFound,
      ),
    ],
  },
  'POST /api/matters/:id/transitions/:name': {
    entitled: async (w) => {
      const { version } = await json<{ version: number }>(w, get(`/api/matters/${w.deskA}`, 'coordinatorA'));
      return post(`/api/matters/${w.deskA}/transitions/comment`, 'coordinatorA', { version, note: '已电话联系当事人' });
    },
    probes: async (w) => {
      const version = async (id: string) =>
        (await w.t.ctx.db.selectFrom('matters').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
      const [a, b] = [await version(w.deskA), await version(w.matterB)];
      return [
        ...each(
          ['coordinatorA', 'adminA'],
          'comments on street B’s appeal',
          (as) => post(`/api/matters/${w.matterB}/transitions/comment`, as, { version: b, note: '越权' }),
          matterNotFound,
        ),
        ...each(
          ['worker', 'auditA', 'citySecurity'],
          'comments on a desk appeal',
          (as) => post(`/api/matters/${w.deskA}/transitions/comment`, as, { version: a, note: '越权' }),
          matterNotFound,
        ),
        ...each(
          ['handlerA'],
          'comments without a desk role',
          (as) => post(`/api/matters/${w.deskA}/transitions/comment`, as, { version: a, note: '越权' }),
          forbidden,
        ),
        ...each(
          ['otherWorker'],
          'assigns their own appeal',
          (as) => post(`/api/matters/${w.matterB}/transitions/assign`, as, { version: b, input: { ownerOrgId: w.orgB } }),
          forbidden,
        ),
      ];
    },
  },
  'GET /api/matters/:id/owner-candidates': {
    entitled: async (w) => get(`/api/matters/${w.deskA}/owner-candidates`, 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'adminA'],
        'lists owners for street B’s matter',
        (as) => get(`/api/matters/${w.matterB}/owner-candidates`, as),
        matterNotFound,
      ),
      ...each(
        ['worker', 'auditA', 'cityAudit', 'citySecurity'],
        'lists owners for a desk matter',
        (as) => get(`/api/matters/${w.deskA}/owner-candidates`, as),
        matterNotFound,
      ),
      ...each(
        ['otherWorker'],
        'lists owners for their own appeal',
        (as) => get(`/api/matters/${w.matterB}/owner-candidates`, as),
        forbidden,
      ),
    ],
  },
  'POST /api/matters/:id/reveal-contact': {
    entitled: async (w) => post(`/api/matters/${w.deskA}/reveal-contact`, 'coordinatorA', { reason: '回访需要电话' }),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'adminA'],
        'reveals street B’s contact',
        (as) => post(`/api/matters/${w.matterB}/reveal-contact`, as, { reason: '回访需要电话' }),
        matterNotFound,
      ),
      ...each(
        ['worker', 'auditA', 'cityAudit', 'citySecurity'],
        'reveals a desk contact',
        (as) => post(`/api/matters/${w.deskA}/reveal-contact`, as, { reason: '回访需要电话' }),
        matterNotFound,
      ),
      ...each(
        ['otherWorker'],
        'reveals a contact on their own appeal',
        (as) => post(`/api/matters/${w.matterB}/reveal-contact`, as, { reason: '回访需要电话' }),
        forbidden,
      ),
    ],
  },

  // ---- files: the uploader, then whoever may see what a file is attached to --------------------
  'POST /api/files': {
    own: true,
    entitled: async () => uploadCall('worker'),
  },
  'GET /api/files/:id': {
    entitled: async (w) => get(`/api/files/${w.fileA}`, 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['worker', 'otherWorker', 'handlerA', 'adminA', 'districtCoordinator'],
        'downloads another person’s unattached upload',
        (as) => get(`/api/files/${w.fileA}`, as),
        fileNotFound,
      ),
      ...each(
        ['coordinatorA', 'handlerA', 'worker', 'auditA'],
        'downloads the photo of street B’s appeal',
        (as) => get(`/api/files/${w.fileB}`, as),
        fileNotFound,
      ),
    ],
  },
  'GET /api/files/:id/thumbnail': {
    entitled: async (w) => get(`/api/files/${w.imageA}/thumbnail`, 'coordinatorA'),
    probes: (w) => [
      ...each(
        ['worker', 'handlerA', 'districtCoordinator'],
        'looks at another person’s unattached photo',
        (as) => get(`/api/files/${w.imageA}/thumbnail`, as),
        fileNotFound,
      ),
      ...each(
        ['coordinatorA', 'adminA'],
        'looks at the photo of street B’s appeal',
        (as) => get(`/api/files/${w.fileB}/thumbnail`, as),
        fileNotFound,
      ),
    ],
  },

  // ---- templates: a library for everyone signed in, published by staff over a region ----------
  'GET /api/templates': {
    everyone: 'the template library is for everyone signed in',
    entitled: async () => get('/api/templates', 'worker'),
  },
  // ---- places: service points are public (a rider without an account must find one); staff keep their own region's
  'GET /api/places': {
    public: 'service points are public information: a rider without an account must find one',
    entitled: async () => get(`/api/places?q=${q('驿站')}`, null),
  },
  'GET /api/places/nearest': {
    public: 'service points are public information: a rider without an account must find one',
    entitled: async () => get('/api/places/nearest?lat=24.91&lng=118.58', null),
  },
  'GET /api/places/:id': {
    public: 'service points are public information (inactive ones only for their region’s editors)',
    entitled: async (w) => get(`/api/places/${await placeIn(w, w.streetB.code)}`, null),
  },
  'POST /api/places': {
    entitled: async (w) => post('/api/places', 'coordinatorA', placeBody(w.streetA.code)),
    probes: (w) => [
      ...each(['coordinatorA'], 'creates a place in street B', (as) => post('/api/places', as, placeBody(w.streetB.code)), forbidden),
      ...each(
        ['worker', 'auditA', 'citySecurity'],
        'creates a place',
        (as) => post('/api/places', as, placeBody(w.streetA.code)),
        forbidden,
      ),
    ],
  },
  'PUT /api/places/:id': {
    entitled: async (w) => ({
      method: 'PUT',
      url: `/api/places/${await placeIn(w, w.streetA.code)}`,
      as: 'coordinatorA',
      payload: placeBody(w.streetA.code),
    }),
    probes: async (w) => {
      const inB = await placeIn(w, w.streetB.code);
      const inA = await placeIn(w, w.streetA.code);
      return [
        ...each(
          ['coordinatorA'],
          'edits a place of street B',
          (as) => ({ method: 'PUT', url: `/api/places/${inB}`, as, payload: placeBody(w.streetB.code) }),
          forbidden,
        ),
        ...each(
          ['coordinatorA'],
          'moves its place into street B',
          (as) => ({ method: 'PUT', url: `/api/places/${inA}`, as, payload: placeBody(w.streetB.code) }),
          forbidden,
        ),
        ...each(
          ['worker', 'auditA'],
          'edits a place',
          (as) => ({ method: 'PUT', url: `/api/places/${inA}`, as, payload: placeBody(w.streetA.code) }),
          forbidden,
        ),
      ];
    },
  },
  'GET /api/places/coverage': {
    entitled: async (w) => get(`/api/places/coverage?regionCode=${w.district.code}&suggest=1`, 'districtCoordinator'),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'adminA', 'handlerA', 'zoneCoordinator', 'worker'],
        'plans the coverage of the whole district',
        (as) => get(`/api/places/coverage?regionCode=${w.district.code}`, as),
        forbidden,
      ),
      ...each(['coordinatorA'], 'plans the coverage of street B', (as) => get(`/api/places/coverage?regionCode=${w.streetB.code}`, as), forbidden),
      ...each(['districtCoordinator'], 'plans the coverage of the zone', (as) => get(`/api/places/coverage?regionCode=${w.zone.code}`, as), forbidden),
    ],
  },
  'POST /api/places/import': {
    entitled: async (w) => importCall('coordinatorA', w.streetA.code),
    probes: (w) => [...each(['worker', 'auditA'], 'imports places', (as) => importCall(as, w.streetA.code), forbidden)],
  },
  'GET /api/templates/:id': {
    everyone: 'the template library is for everyone signed in',
    entitled: async (w) => get(`/api/templates/${w.templateB}`, 'worker'),
  },
  'GET /api/templates/:id/download': {
    everyone: 'the template library is for everyone signed in',
    entitled: async (w) => get(`/api/templates/${w.templateB}/download`, 'worker'),
  },
  'POST /api/templates': {
    entitled: async (w) =>
      post('/api/templates', 'coordinatorA', {
        title: '海滨街道工资结算说明',
        category: 'pay',
        fileId: await upload(w, 'coordinatorA'),
        regionCode: w.streetA.code,
      }),
    probes: async (w) => {
      const body = async (as: ActorName, regionCode: string) => ({
        title: '越权模板',
        category: 'other',
        fileId: await upload(w, as),
        regionCode,
      });
      return [
        {
          what: 'coordinatorA: publishes for street B',
          call: post('/api/templates', 'coordinatorA', await body('coordinatorA', w.streetB.code)),
          expect: forbidden,
        },
        {
          what: 'coordinatorA: publishes for the district',
          call: post('/api/templates', 'coordinatorA', await body('coordinatorA', w.district.code)),
          expect: forbidden,
        },
        {
          what: 'coordinatorA: publishes another person’s upload',
          call: post('/api/templates', 'coordinatorA', {
            title: '越权模板',
            category: 'other',
            fileId: await upload(w, 'worker'),
            regionCode: w.streetA.code,
          }),
          expect: { status: 400, code: 'file_not_attachable' },
        },
        ...(await Promise.all(
          (['handlerA', 'worker', 'auditA'] as ActorName[]).map(async (as) => ({
            what: `${as}: publishes a template`,
            call: post('/api/templates', as, await body(as, w.streetA.code)),
            expect: forbidden,
          })),
        )),
      ];
    },
  },
  'DELETE /api/templates/:id': {
    entitled: async (w) => {
      const fileId = await upload(w, 'coordinatorA');
      const { id } = await json<{ id: string }>(
        w,
        post('/api/templates', 'coordinatorA', { title: '海滨临时模板', category: 'other', fileId, regionCode: w.streetA.code }),
      );
      return del(`/api/templates/${id}`, 'coordinatorA');
    },
    probes: (w) =>
      each(
        ['coordinatorA', 'handlerA', 'adminA', 'worker', 'auditA'],
        'withdraws street B’s template',
        (as) => del(`/api/templates/${w.templateB}`, as),
        forbidden,
      ),
  },

  // ---- the working calendar and jobs: one for the installation, run from the top ---------------
  'GET /api/calendar': {
    everyone: 'holidays and workdays are the same for everyone',
    entitled: async () => get('/api/calendar?year=2026', 'worker'),
  },
  'PUT /api/calendar/days/:day': {
    unscoped: 'one calendar for the whole installation: only administrators of the whole tree change it',
    entitled: async () => ({
      method: 'PUT',
      url: '/api/calendar/days/2027-01-04',
      as: 'cityAdmin',
      payload: { isWorkday: false, name: '安全测试' },
    }),
    probes: () =>
      each(
        ['adminA', 'districtCoordinator', 'citySecurity', 'cityAudit', 'auditA', 'worker'],
        'changes a day',
        (as) => ({ method: 'PUT', url: '/api/calendar/days/2027-01-05', as, payload: { isWorkday: false, name: '越权' } }),
        forbidden,
      ),
  },
  'DELETE /api/calendar/days/:day': {
    unscoped: 'one calendar for the whole installation: only administrators of the whole tree change it',
    entitled: async () => del('/api/calendar/days/2027-01-04', 'cityAdmin'),
    probes: () =>
      each(
        ['adminA', 'districtCoordinator', 'citySecurity', 'cityAudit', 'worker'],
        'resets a day',
        (as) => del('/api/calendar/days/2027-01-04', as),
        forbidden,
      ),
  },
  'POST /api/admin/jobs/:name': {
    unscoped: 'jobs run over the whole installation: only administrators of the whole tree run them',
    entitled: async () => post('/api/admin/jobs/outbox', 'cityAdmin'),
    probes: () =>
      each(
        ['adminA', 'securityA', 'citySecurity', 'cityAudit', 'auditA', 'districtCoordinator', 'worker'],
        'runs a job',
        (as) => post('/api/admin/jobs/outbox', as),
        forbidden,
      ),
  },

  // ---- reports (随手拍): workers send them; routes and categories kept by staff over a region ---
  'POST /api/reports': {
    everyone: 'any worker or grid member sends reports of what they see; each is their own and lands in the region where it happened',
    entitled: async () => post('/api/reports', 'worker', reportBody()),
    probes: (w) => [
      ...each(['coordinatorA', 'handlerA', 'auditA', 'citySecurity'], 'sends a report', (as) => post('/api/reports', as, reportBody()), forbidden),
      {
        what: 'a worker attaches another person’s photo',
        call: post('/api/reports', 'worker', { ...reportBody(), photos: [w.imageA] }),
        expect: { status: 400, code: 'file_not_attachable' },
      },
    ],
  },
  'POST /api/reports/duplicates': {
    everyone: 'that a report exists nearby is shown to anyone writing one; its id and title only to those who may open it',
    entitled: async () => post('/api/reports/duplicates', 'worker', { lat: 24.9079, lng: 118.5869, category: 'guardrails', text: '护栏' }),
    probes: (w) => [
      ...each(
        ['coordinatorA', 'handlerA', 'adminA'],
        'looks for duplicates of street B’s matter',
        (as) => post('/api/reports/duplicates', as, { matterId: w.matterB }),
        matterNotFound,
      ),
      ...each(['worker', 'auditA'], 'looks for duplicates of a desk matter', (as) => post('/api/reports/duplicates', as, { matterId: w.deskA }), matterNotFound),
    ],
  },
  'GET /api/me/reports': {
    own: true,
    entitled: async () => get('/api/me/reports', 'worker'),
    filtered: async (w) => {
      await json(w, post('/api/reports', 'worker', reportBody()));
      const { items } = await json<{ items: { id: string }[] }>(w, get('/api/me/reports?limit=100', 'worker'));
      expect(items.length).toBeGreaterThan(0);
      const raisers = await w.t.ctx.db.selectFrom('matters').select('raised_by').where('id', 'in', items.map((i) => i.id)).execute();
      expect(new Set(raisers.map((r) => r.raised_by))).toEqual(new Set([w.users.worker]));
      expect((await json<{ items: unknown[] }>(w, get('/api/me/reports', 'otherWorker'))).items).toEqual([]);
    },
  },
  'GET /api/public/reports': {
    public: 'the public map: category, state, dates and a point rounded to about 100 m; no reporter, text or photo',
    entitled: async () => get('/api/public/reports?bbox=24.8,118.5,25.0,118.7', null),
  },
  'GET /api/report-categories': {
    everyone: 'the categories a report may have are the same for everyone',
    entitled: async () => get('/api/report-categories', 'worker'),
  },
  'PUT /api/report-categories/:code': {
    unscoped: 'one list of categories for the whole installation: only administrators of the whole tree change it',
    entitled: async () => ({
      method: 'PUT',
      url: '/api/report-categories/street_lights',
      as: 'cityAdmin',
      payload: { labelZh: '路灯不亮', labelEn: 'Street lights out', handleDays: 3 },
    }),
    probes: () =>
      each(
        ['adminA', 'districtCoordinator', 'citySecurity', 'cityAudit', 'worker'],
        'changes a category',
        (as) => ({ method: 'PUT', url: '/api/report-categories/other', as, payload: { labelZh: '越权', labelEn: 'x', handleDays: 1 } }),
        forbidden,
      ),
  },
  'GET /api/report-routes': {
    entitled: async () => get('/api/report-routes', 'coordinatorA'),
    probes: (w) => [
      ...each(['coordinatorA', 'adminA'], 'lists street B’s routes', (as) => get(`/api/report-routes?region=${w.streetB.code}`, as), 'empty'),
      ...each(['handlerA', 'worker', 'auditA', 'citySecurity'], 'reads the routing table', (as) => get('/api/report-routes', as), forbidden),
    ],
    filtered: async (w) => {
      await json(w, routeCall('districtCoordinator', 'sanitation', w.streetA.code, w.orgA));
      await json(w, routeCall('districtCoordinator', 'sanitation', w.streetB.code, w.orgB));
      const scope = await scopeOfUser(w, w.users.coordinatorA, ['coordinator', 'admin']);
      const { items } = await json<{ items: { regionCode: string }[] }>(w, get('/api/report-routes', 'coordinatorA'));
      expect(items.map((r) => r.regionCode)).toContain(w.streetA.code);
      for (const r of items) expect(covers(scope, await pathOf(w, r.regionCode))).toBe(true);
    },
  },
  'PUT /api/report-routes': {
    entitled: async (w) => routeCall('coordinatorA', 'guardrails', w.streetA.code, w.orgA),
    probes: (w) => [
      ...each(['coordinatorA', 'adminA'], 'routes street B’s reports', (as) => routeCall(as, 'guardrails', w.streetB.code, w.orgB), forbidden),
      ...each(['handlerA', 'worker', 'auditA', 'citySecurity'], 'sets a route', (as) => routeCall(as, 'guardrails', w.streetA.code, w.orgA), forbidden),
    ],
  },
  'DELETE /api/report-routes/:id': {
    entitled: async (w) => {
      const { id } = await json<{ id: string }>(w, routeCall('coordinatorA', 'road_signs', w.streetA.code, w.orgA));
      return del(`/api/report-routes/${id}`, 'coordinatorA');
    },
    probes: async (w) => {
      const { id } = await json<{ id: string }>(w, routeCall('districtCoordinator', 'road_signs', w.streetB.code, w.orgB));
      return each(
        ['coordinatorA', 'adminA', 'handlerA', 'worker', 'auditA'],
        'removes street B’s route',
        (as) => del(`/api/report-routes/${id}`, as),
        { status: 404, code: 'route_not_found' },
      );
    },
  },

  // ---- Open311 keys: one set for the installation, kept by its administrators -----------------
  'GET /api/open311/keys': {
    unscoped: 'the keys open the whole installation’s Open311 interface: only administrators of the whole tree see them',
    entitled: async () => get('/api/open311/keys', 'cityAdmin'),
    probes: () =>
      each(['adminA', 'districtCoordinator', 'citySecurity', 'cityAudit', 'worker'], 'lists the keys', (as) => get('/api/open311/keys', as), forbidden),
  },
  'POST /api/open311/keys': {
    unscoped: 'the keys open the whole installation’s Open311 interface: only administrators of the whole tree issue them',
    entitled: async () => post('/api/open311/keys', 'cityAdmin', { name: '安全测试' }),
    probes: () =>
      each(
        ['adminA', 'districtCoordinator', 'citySecurity', 'cityAudit', 'worker'],
        'issues a key',
        (as) => post('/api/open311/keys', as, { name: '越权' }),
        forbidden,
      ),
  },
  'DELETE /api/open311/keys/:id': {
    unscoped: 'the keys open the whole installation’s Open311 interface: only administrators of the whole tree revoke them',
    entitled: async (w) => {
      const { id } = await json<{ id: string }>(w, post('/api/open311/keys', 'cityAdmin', { name: '待撤销' }));
      return del(`/api/open311/keys/${id}`, 'cityAdmin');
    },
    probes: async (w) => {
      const { id } = await json<{ id: string }>(w, post('/api/open311/keys', 'cityAdmin', { name: '保留' }));
      return each(['adminA', 'districtCoordinator', 'citySecurity', 'cityAudit', 'worker'], 'revokes a key', (as) => del(`/api/open311/keys/${id}`, as), forbidden);
    },
  },

  // ---- in-app messages: one's own ------------------------------------------------------------
  'GET /api/me/notifications': {
    own: true,
    entitled: async () => get('/api/me/notifications', 'worker'),
    filtered: async (w) => {
      const { items } = await json<{ items: { id: string }[] }>(w, get('/api/me/notifications?limit=100', 'otherWorker'));
      expect(items.length).toBeGreaterThan(0);
      const owners = await w.t.ctx.db
        .selectFrom('notifications')
        .select('user_id')
        .where(
          'id',
          'in',
          items.map((n) => n.id),
        )
        .execute();
      expect(new Set(owners.map((o) => o.user_id))).toEqual(new Set([w.users.otherWorker]));
    },
  },
  'POST /api/me/notifications/read': {
    own: true,
    entitled: async () => post('/api/me/notifications/read', 'worker', { all: true }),
    probes: async (w) => {
      const theirs = await w.t.ctx.db.selectFrom('notifications').select('id').where('user_id', '=', w.users.otherWorker).execute();
      return each(
        ['worker', 'coordinatorA'],
        'marks another person’s messages read',
        (as) => post('/api/me/notifications/read', as, { ids: theirs.map((n) => n.id) }),
        'empty',
      );
    },
  },
  // ---- points and rewards: see test/points/security-matrix.ts ----------------------------------
  ...POINT_ROUTES,
  ...PLACE_ROUTES,
};

/** A worker's report in 鲤城区, with no photo. */
function reportBody() {
  return { category: 'other', text: '安全测试', location: { lat: 24.9079, lng: 118.5869 } };
}

function routeCall(as: Call['as'], category: string, regionCode: string, organisationId: string): Call {
  return { method: 'PUT', url: '/api/report-routes', as, payload: { category, regionCode, organisationId } };
}

function deskBody(regionCode: string) {
  return {
    kind: 'appeal',
    regionCode,
    category: 'contract',
    title: '窗口登记：合同不规范',
    body: '当事人反映未签书面劳动合同。',
    channel: 'walk_in',
    contact: { name: '路人乙', phone: freshPhone() },
  };
}

function ownBody(regionCode: string) {
  return { kind: 'appeal', regionCode, category: 'settlement', title: '结算规则不透明', body: '平台结算规则频繁变动。' };
}

/** Routes that work on records of others: not public, not for everyone, not the caller's own account. */
export function recordRoutes(): string[] {
  return Object.entries(ROUTES)
    .filter(([, spec]) => !spec.public && !spec.own && !spec.everyone)
    .map(([key]) => key);
}
