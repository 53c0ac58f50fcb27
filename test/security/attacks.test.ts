// Attacks and bad input, on every route they apply to: wrong passwords past the limit, forged and
// stale sessions, half-finished sign-ins, cross-site requests, SQL-shaped search strings, a 1 MB
// name, oversized and wrong-typed fields. Each gets its 4xx in the one error format and leaves
// nothing half-written.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import type { SessionHeaders } from '../helpers/app.js';
import { csrfTokenFor, hashToken } from '../../src/server/modules/identity/service.js';
import { ROUTES } from './matrix.js';
import {
  buildWorld,
  createStaff,
  expectError,
  expectRefused,
  fingerprint,
  json,
  openApiOperations,
  send,
  shownIn,
  signIn,
  signInEnrolling,
  throwaway,
  type Call,
  type JsonSchema,
  type OpenApiOperation,
  type World,
} from './world.js';

let w: World;
/** One prepared, valid request per route (never sent as is), so refusals are not validation errors. */
const shapes = new Map<string, Call>();
let operations: Map<string, OpenApiOperation>;

beforeAll(async () => {
  w = await buildWorld();
  for (const [key, spec] of Object.entries(ROUTES)) shapes.set(key, await spec.entitled(w));
  operations = await openApiOperations(w.t.app);
}, 120_000);
afterAll(async () => w.close());

const keys = Object.keys(ROUTES).sort();
const signedInRoutes = keys.filter((k) => !ROUTES[k]?.public);
const changingRoutes = keys.filter((k) => !k.startsWith('GET '));

function shape(key: string): Call {
  const found = shapes.get(key);
  if (!found) throw new Error(`no request prepared for ${key}`);
  return found;
}

function tokenOf(headers: Record<string, string>): string {
  return /nx_session=([^;]+)/.exec(headers.cookie ?? '')?.[1] ?? '';
}

/** The headers a browser would send for this session token, CSRF token included. */
function withToken(token: string): Record<string, string> {
  return { cookie: `nx_session=${token}; nx_csrf=${csrfTokenFor(token)}`, 'x-csrf-token': csrfTokenFor(token) };
}

describe('wrong passwords past the limit', () => {
  it('each wrong password is a 401 in the one format that opens no session; after five even the right one is refused', async () => {
    const user = await createStaff(w, 'mediator', w.streetA.code);
    const signInWith = (password: string): Call => ({
      method: 'POST',
      url: '/api/auth/sign-in',
      as: null,
      payload: { phone: user.phone, password },
      remoteAddress: '10.99.0.1',
    });
    // A failed sign-in is counted against the account and recorded; nothing else is written.
    const refusal = { status: 401, code: 'sign_in_failed', except: ['users'], audited: 'auth.sign_in_failed' };
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await expectRefused(w, signInWith(`wrong-${i}`), refusal));
    const locked = await w.t.ctx.db.selectFrom('users').select(['locked_until']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(locked.locked_until?.getTime()).toBeGreaterThan(Date.now());
    const right = await expectRefused(w, signInWith(DEMO_PASSWORD), refusal);
    expect(right).toEqual(answers[0]);
    const reason = await w.t.ctx.db.selectFrom('audit_log').select('after').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(reason.after).toMatchObject({ reason: 'locked' });
  });
});

interface SessionVariant {
  name: string;
  headers(w: World): Promise<Record<string, string>>;
}

const staleSessions: SessionVariant[] = [
  { name: 'a made-up token', headers: async () => withToken(randomBytes(32).toString('base64url')) },
  {
    name: 'a token of the wrong shape',
    headers: async () => ({ cookie: `nx_session=${encodeURIComponent("' OR 1=1 --")}`, 'x-csrf-token': 'x' }),
  },
  { name: 'a token far too long', headers: async () => withToken('A'.repeat(20_000)) },
  {
    name: 'a live token with one character changed',
    headers: async (w) => {
      const token = tokenOf(await signIn(w.t.app, w.phones.handlerA));
      return withToken(`${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`);
    },
  },
  {
    name: 'the stored hash of a live session used as its token',
    headers: async (w) => withToken(hashToken(tokenOf(await signIn(w.t.app, w.phones.handlerA)))),
  },
  {
    name: 'a signed-out session',
    headers: async (w) => {
      const session = await signIn(w.t.app, w.phones.handlerA);
      expect((await send(w, { method: 'POST', url: '/api/auth/sign-out', as: session })).statusCode).toBe(204);
      return session;
    },
  },
  {
    name: 'an expired session',
    headers: async (w) => {
      const session = await signIn(w.t.app, w.phones.handlerA);
      await w.t.ctx.db
        .updateTable('sessions')
        .set({ expires_at: new Date(Date.now() - 1000) })
        .where('token_hash', '=', hashToken(tokenOf(session)))
        .execute();
      return session;
    },
  },
  {
    name: 'a staff session idle for 31 minutes',
    headers: async (w) => {
      const session = await signIn(w.t.app, w.phones.handlerA);
      await w.t.ctx.db
        .updateTable('sessions')
        .set({ last_seen_at: new Date(Date.now() - 31 * 60_000) })
        .where('token_hash', '=', hashToken(tokenOf(session)))
        .execute();
      return session;
    },
  },
  {
    name: 'a session of an account since disabled',
    headers: async (w) => {
      const user = await throwaway(w);
      await json(w, { method: 'POST', url: `/api/users/${user.id}/status`, as: 'securityA', payload: { status: 'disabled' } });
      return user.session;
    },
  },
];

describe.each(staleSessions)('$name is no session at all', (variant) => {
  let headers: Record<string, string>;
  beforeAll(async () => {
    headers = await variant.headers(w);
  });
  it.each(signedInRoutes)('%s: 401', async (key) => {
    await expectRefused(w, shape(key), { headers, status: 401, code: 'unauthenticated' });
  });
});

describe('a sign-in that still owes its second factor reaches only the steps that finish it', () => {
  const owing: { name: string; open: string[]; headers(w: World): Promise<Record<string, string>> }[] = [
    {
      name: 'an administrator who has not enrolled',
      open: ['GET /api/me', 'POST /api/me/two-factor/setup', 'POST /api/me/two-factor/enable', 'POST /api/auth/second-factor'],
      headers: async (w) => signIn(w.t.app, (await createStaff(w, 'admin', w.streetA.code)).phone),
    },
    {
      name: 'an enrolled administrator without the code',
      open: ['GET /api/me', 'POST /api/auth/second-factor'],
      headers: async (w) => {
        const admin = await createStaff(w, 'security_admin', w.streetA.code);
        await signInEnrolling(w.t.app, admin.phone);
        return signIn(w.t.app, admin.phone);
      },
    },
  ];
  describe.each(owing)('$name', ({ open, headers: make }) => {
    let headers: Record<string, string>;
    beforeAll(async () => {
      headers = await make(w);
    });
    // Signing out is always open; every other route answers 401 until the second factor is given.
    const closed = signedInRoutes.filter((k) => !open.includes(k) && !k.startsWith('POST /api/auth/sign-out'));
    it.each(closed)('%s: 401 second_factor_required', async (key) => {
      await expectRefused(w, shape(key), { headers, status: 401, code: 'second_factor_required' });
    });
  });
});

describe('a cross-site request without the CSRF token changes nothing', () => {
  let live: SessionHeaders;
  let other: SessionHeaders;
  beforeAll(async () => {
    live = await signIn(w.t.app, w.phones.handlerA);
    other = await signIn(w.t.app, w.phones.coordinatorA);
  });
  const variants: [string, (call: Call) => { call: Call; headers: Record<string, string> }][] = [
    ['no token', (call) => ({ call, headers: { cookie: live.cookie } })],
    ['an empty token', (call) => ({ call, headers: { cookie: live.cookie, 'x-csrf-token': '' } })],
    ['a made-up token', (call) => ({ call, headers: { cookie: live.cookie, 'x-csrf-token': randomBytes(32).toString('base64url') } })],
    ['another session’s token', (call) => ({ call, headers: { cookie: live.cookie, 'x-csrf-token': other['x-csrf-token'] } })],
    ['the session token itself', (call) => ({ call, headers: { cookie: live.cookie, 'x-csrf-token': tokenOf(live) } })],
    [
      'the token in the address instead of the header',
      (call) => ({
        call: { ...call, url: `${call.url}${call.url.includes('?') ? '&' : '?'}x-csrf-token=${live['x-csrf-token']}` },
        headers: { cookie: live.cookie },
      }),
    ],
  ];
  describe.each(variants)('%s', (_name, make) => {
    it.each(changingRoutes)('%s: 403 csrf_failed', async (key) => {
      const { call, headers } = make(shape(key));
      await expectRefused(w, call, { headers, status: 403, code: 'csrf_failed' });
    });
  });
});

// ---- search strings and path parameters ----------------------------------------------------

const SQL_SHAPED = ["' OR 1=1 --", '%', '_', '\\', "1' OR '1'='1", '"; drop table users; --'];
/** Parameters that carry a server-made cursor rather than text to match. */
const CURSORS = ['after', 'cursor'];

/** Text to match: a string parameter whose schema accepts this value as it is. */
function takesText(name: string, schema: JsonSchema, value: string): boolean {
  if (schema.type === 'array' && schema.items) return takesText(name, schema.items, value);
  if (CURSORS.includes(name) || schema.type !== 'string' || schema.format || schema.enum || schema.const !== undefined) return false;
  return !schema.pattern || new RegExp(schema.pattern, 'u').test(value);
}

function withParam(url: string, name: string, value: string): string {
  const [path, query = ''] = url.split('?');
  const params = new URLSearchParams(query);
  params.set(name, value);
  return `${path}?${params.toString()}`;
}

const queryParams = (): [string, string, JsonSchema][] =>
  keys
    .filter((k) => k.startsWith('GET '))
    .flatMap((key) =>
      (operations.get(key)?.parameters ?? [])
        .filter((p) => p.in === 'query')
        .map((p): [string, string, JsonSchema] => [key, p.name, p.schema]),
    );

describe('SQL-shaped strings in every search and list parameter are plain text', () => {
  it('the parameters are read from the API description', () => {
    expect(queryParams().length).toBeGreaterThan(20);
  });

  it.each(keys.filter((k) => k.startsWith('GET ')))('%s', async (key) => {
    const params = queryParams().filter(([k]) => k === key);
    if (params.length === 0) return;
    const base = await send(w, shape(key));
    expect(base.statusCode).toBe(200);
    // An export is an audited read: the one row it appends is not a half-written change.
    const except = key.endsWith('.xlsx') ? ['audit_log'] : [];
    for (const [, name, schema] of params) {
      // A text filter must have something to filter, or an empty answer would prove nothing.
      if (takesText(name, schema, '%')) expect((await shownIn(base)).length, `${key} without ${name}`).toBeGreaterThan(0);
      for (const value of SQL_SHAPED) {
        const call = { ...shape(key), url: withParam(shape(key).url, name, value) };
        const label = `${key} ${name}=${value}`;
        if (!takesText(name, schema, value)) {
          await expectRefused(w, call, { status: 400, code: 'invalid_request', label });
          continue;
        }
        const before = await fingerprint(w, { except });
        const res = await send(w, call);
        expect(res.statusCode, `${label}: ${res.body.slice(0, 200)}`).toBe(200);
        expect(await shownIn(res), label).toEqual([]);
        expect(await fingerprint(w, { except })).toEqual(before);
      }
      // A NUL character cannot be stored or compared by the database: refused, never a 500.
      const nul = await send(w, { ...shape(key), url: withParam(shape(key).url, name, 'a\u0000b') });
      if (nul.statusCode !== 200) expectError(nul, 400, 'invalid_request', `${key} ${name}=NUL`);
      else expect(await shownIn(nul)).toEqual([]);
      // Past its length, or a megabyte long: 400.
      const long = 'x'.repeat(schema.maxLength ? schema.maxLength + 1 : 1024 * 1024);
      await expectRefused(w, { ...shape(key), url: withParam(shape(key).url, name, long) }, { status: 400, code: 'invalid_request' });
      await expectRefused(w, { ...shape(key), url: withParam(shape(key).url, name, 'x'.repeat(1024 * 1024)) }, { status: 400 });
    }
  });
});

describe('SQL-shaped path parameters find nothing', () => {
  const withPathParams = keys.filter((k) => k.includes('/:'));
  it.each(withPathParams)('%s', async (key) => {
    const call = shape(key);
    const pattern = key.split(' ')[1]?.split('/') ?? [];
    const actual = call.url.split('?')[0]?.split('/') ?? [];
    expect(actual).toHaveLength(pattern.length);
    for (const [i, segment] of pattern.entries()) {
      if (!segment.startsWith(':')) continue;
      for (const value of [...SQL_SHAPED, 'a\u0000b', 'x'.repeat(90)]) {
        const url = actual.map((part, j) => (j === i ? encodeURIComponent(value) : part)).join('/');
        const body = await expectRefused(w, { ...call, url }, { label: `${key} ${segment}=${value.slice(0, 20)}` });
        expect(body.error.code).toMatch(/^(invalid_request|transition_unknown|[a-z]*_?not_found)$/);
      }
    }
  });
});

describe('values the schema lets through but the database cannot hold are a 400, never a 500', () => {
  const cursor = (text: string) => Buffer.from(text).toString('base64url');
  const someone = '00000000-0000-4000-8000-000000000000';
  const cases: [string, (w: World) => Call, 'refused' | 'answered or refused'][] = [
    [
      'a paging cursor from before the calendar',
      () => ({ method: 'GET', url: `/api/users?after=${cursor(`-271821-04-20T00:00:00.000Z|${someone}`)}`, as: 'adminA' }),
      'refused',
    ],
    [
      'a paging cursor from the far future',
      () => ({ method: 'GET', url: `/api/users?after=${cursor(`+275760-09-13T00:00:00.000Z|${someone}`)}`, as: 'adminA' }),
      'refused',
    ],
    [
      'a paging cursor with an SQL-shaped id',
      () => ({ method: 'GET', url: `/api/users?after=${cursor("2026-01-01T00:00:00.000Z|' OR 1=1 --")}`, as: 'adminA' }),
      'refused',
    ],
    ['a leap second', () => ({ method: 'GET', url: '/api/audit?from=2016-12-31T23:59:60Z', as: 'auditA' }), 'refused'],
    ['a sequence number past 64 bits', () => ({ method: 'GET', url: '/api/audit?before=100000000000000000000', as: 'auditA' }), 'refused'],
    [
      'a NUL character in a name',
      (w) => ({
        method: 'POST',
        url: '/api/organisations',
        as: 'coordinatorA',
        payload: { name: 'a\u0000b', kind: 'enterprise', regionCode: w.streetA.code },
      }),
      'refused',
    ],
    // The year 0 is a real (proleptic) date to PostgreSQL.
    ['the year 0', () => ({ method: 'GET', url: '/api/audit?to=0000-01-01T00:00:00Z', as: 'auditA' }), 'answered or refused'],
  ];
  it.each(cases)('%s', async (_name, build, expected) => {
    if (expected === 'refused') {
      await expectRefused(w, build(w), { status: 400, code: 'invalid_request' });
      return;
    }
    const res = await send(w, build(w));
    if (res.statusCode !== 200) expectError(res, 400, 'invalid_request');
  });
});

describe('URLs the router itself refuses', () => {
  // Fastify answers these before any hook or error handler runs; `frameworkErrors` in
  // src/server/app.ts puts them in the one format.
  it('a path parameter past the router’s limit, and a broken percent-escape, are in the one error format', async () => {
    for (const url of [`/api/regions/${'x'.repeat(200)}`, '/api/regions/%E0%A4%A']) {
      expectError(await w.t.app.inject({ method: 'GET', url }), undefined, undefined, url);
    }
  });

  it('they are still 4xx answers, never a 500, and write nothing', async () => {
    for (const url of [`/api/regions/${'x'.repeat(200)}`, '/api/regions/%E0%A4%A', `/api/users/${'x'.repeat(200)}/status`]) {
      const before = await fingerprint(w);
      const res = await w.t.app.inject({
        method: url.endsWith('status') ? 'POST' : 'GET',
        url,
        headers: w.sessions.adminA,
        payload: url.endsWith('status') ? { status: 'disabled' } : undefined,
      });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(await fingerprint(w)).toEqual(before);
    }
  });
});

describe('search text is matched literally', () => {
  it('a name with % and _ is found by those characters, and nothing else is', async () => {
    const name = '利润率100%_互助社';
    expect(
      (
        await send(w, {
          method: 'POST',
          url: '/api/organisations',
          as: 'coordinatorA',
          payload: { name, kind: 'social_organisation', regionCode: w.streetA.code },
        })
      ).statusCode,
    ).toBe(201);
    for (const text of ['%', '_', '0%_']) {
      const found = await json<{ items: { name: string }[] }>(w, {
        method: 'GET',
        url: `/api/organisations?q=${encodeURIComponent(text)}`,
        as: 'coordinatorA',
      });
      expect(
        found.items.map((o) => o.name),
        text,
      ).toEqual([name]);
    }
  });
});

describe('an SQL-shaped name is stored as written', () => {
  it('an organisation named like an injection is created with exactly that name, and nothing else happens', async () => {
    const name = "x'); drop table users; --";
    const users = await w.t.ctx.db.selectFrom('users').select('id').execute();
    const res = await send(w, {
      method: 'POST',
      url: '/api/organisations',
      as: 'coordinatorA',
      payload: { name, kind: 'enterprise', regionCode: w.streetA.code },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name });
    expect(await w.t.ctx.db.selectFrom('users').select('id').execute()).toHaveLength(users.length);
  });
});

// ---- bodies: a 1 MB name, oversized and wrong-typed fields ----------------------------------

const bodyFields = (): [string, string, JsonSchema][] =>
  changingRoutes.flatMap((key) =>
    Object.entries(operations.get(key)?.requestBody?.content['application/json'].schema.properties ?? {}).map(
      ([name, schema]): [string, string, JsonSchema] => [key, name, schema],
    ),
  );

function withField(call: Call, name: string, value: unknown): Call {
  return { ...call, payload: { ...(call.payload as object), [name]: value } };
}

function firstIssue(body: { error: { details?: unknown } }): string {
  const details = body.error.details as { issues?: { field: string }[] } | undefined;
  return details?.issues?.[0]?.field ?? '';
}

describe('bodies', () => {
  it('the fields are read from the API description, and every body refuses fields it does not know', () => {
    expect(bodyFields().length).toBeGreaterThan(30);
    for (const key of changingRoutes) {
      const schema = operations.get(key)?.requestBody?.content['application/json'].schema;
      if (schema) expect(schema.additionalProperties, key).toBe(false);
    }
  });

  const bodies = () => changingRoutes.filter((k) => operations.get(k)?.requestBody);

  it.each(changingRoutes)('%s: a 1 MB name is a 413', async (key) => {
    const schema = operations.get(key)?.requestBody?.content['application/json'].schema;
    // A route without a JSON body (an upload, a deletion) is sent a JSON one all the same.
    const call: Call = schema ? shape(key) : { ...shape(key), payload: {}, headers: {} };
    // A route that reads only a file of its own type (an import) refuses JSON of any size by its type.
    const fileOnly = key === 'POST /api/places/import';
    for (const name of Object.keys(schema?.properties ?? { name: {} })) {
      await expectRefused(w, withField(call, name, 'x'.repeat(1024 * 1024)), {
        status: fileOnly ? 415 : 413,
        code: fileOnly ? 'unsupported_media_type' : 'payload_too_large',
        label: `${key} ${name}`,
      });
    }
  });

  it.each(changingRoutes)('%s: each field past its length, or of the wrong type, is a 400 naming it', async (key) => {
    if (!bodies().includes(key)) return;
    const call = shape(key);
    for (const [, name, schema] of bodyFields().filter(([k]) => k === key)) {
      // Of another type than the field's: an object where it wants none, else a string.
      const wrong: unknown[] = schema.type === 'object' ? ['x', [{}]] : [{}, [{}]];
      if (schema.type === 'string' || schema.anyOf?.some((s) => s.type === 'string') || schema.enum) {
        wrong.push('x'.repeat(schema.maxLength ? schema.maxLength + 1 : 10_000));
      }
      for (const value of wrong) {
        const body = await expectRefused(w, withField(call, name, value), {
          status: 400,
          code: 'invalid_request',
          label: `${key} ${name}=${JSON.stringify(value).slice(0, 20)}`,
        });
        expect(firstIssue(body), `${key} ${name}`).toMatch(new RegExp(`^body\\.${name}(\\.|$)`));
      }
    }
  });

  it.each(changingRoutes)('%s: a NUL character in a text field is a 400 that writes nothing, never a 500', async (key) => {
    if (!bodies().includes(key)) return;
    const call = shape(key);
    // Passwords and one-time codes are hashed or compared, never stored as text: a NUL in one is
    // just a wrong password (their own tests cover them).
    const secret = (name: string) => /password|^code$/i.test(name);
    const texts = bodyFields().filter(
      ([k, name, schema]) => k === key && schema.type === 'string' && !schema.enum && !schema.format && !secret(name),
    );
    for (const [, name] of texts) {
      const good = (call.payload as Record<string, unknown>)[name];
      // The character inside a value of the field's own shape, so that only the NUL is wrong.
      const value = typeof good === 'string' && good.length > 1 ? `${good.slice(0, 1)}\u0000${good.slice(2)}` : 'a\u0000b';
      await expectRefused(w, withField(call, name, value), { status: 400, label: `${key} ${name}` });
    }
  });

  it.each(changingRoutes)('%s: an unknown field, a missing body, an array, null, a prototype key or broken JSON is a 400', async (key) => {
    if (!bodies().includes(key)) return;
    const call = shape(key);
    const raw = (payload: string): Call => ({ ...call, payload });
    const headersOf = (c: Call): Record<string, string> => ({
      ...(typeof c.as === 'string' ? w.sessions[c.as] : (c.as ?? {})),
      'content-type': 'application/json',
    });
    const attempts: [string, Call, string][] = [
      ['an unknown field', withField(call, 'isAdmin', true), 'invalid_request'],
      ['a missing body', { ...call, payload: undefined }, 'invalid_request'],
      ['an array', raw(JSON.stringify([call.payload])), 'invalid_request'],
      ['null', raw('null'), 'invalid_request'],
      ['a __proto__ key', raw(JSON.stringify(call.payload).replace(/^\{/, '{"__proto__":{"isAdmin":true},')), 'malformed_json'],
      [
        'a constructor.prototype key',
        raw(JSON.stringify(call.payload).replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},')),
        'malformed_json',
      ],
      ['broken JSON', raw(JSON.stringify(call.payload).slice(0, -1)), 'malformed_json'],
    ];
    for (const [what, attempt, code] of attempts) {
      // Without a body there is no content type to send (an empty JSON body is a different mistake).
      const headers = attempt.payload === undefined ? undefined : headersOf(attempt);
      await expectRefused(w, attempt, { headers, status: 400, code, label: `${key}: ${what}` });
    }
  });

  it('a body in another format than JSON is a 415', async () => {
    const call = shape('POST /api/organisations');
    const headers = { ...w.sessions.coordinatorA, 'content-type': 'application/x-www-form-urlencoded' };
    await expectRefused(w, { ...call, payload: 'name=x&kind=enterprise' }, { headers, status: 415, code: 'unsupported_media_type' });
  });
});
