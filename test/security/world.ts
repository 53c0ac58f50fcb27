// The world the security tests work in: two streets of 鲤城区 (A = 海滨街道, B = another one)
// with staff and records in each, plus the city's separated administrators; the list of routes
// read from the app itself; and the checks every refusal must pass (one error format, a 4xx,
// nothing written).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { App } from '../../src/server/context.js';
import { DEMO_PASSWORD } from '../../src/server/demo/accounts.js';
import { multipart, pdf, pngWithAlpha } from '../files/fixtures.js';
import { createTestApp, totpCode, type SessionHeaders, type TestApp } from '../helpers/app.js';

export type ActorName =
  | 'worker'
  | 'otherWorker'
  | 'handlerA'
  | 'coordinatorA'
  | 'adminA'
  | 'securityA'
  | 'auditA'
  | 'handlerB'
  | 'cityAdmin'
  | 'citySecurity'
  | 'cityAudit'
  | 'citySystem'
  | 'districtCoordinator'
  | 'zoneCoordinator';

/** A region and the subtree(s) a grant there covers (a zone also covers the towns it spans). */
export interface Place {
  code: string;
  name: string;
  path: string;
  scope: string[];
}

export interface World {
  t: TestApp;
  /** Closes the app and removes its files. */
  close(): Promise<void>;
  city: Place;
  district: Place;
  streetA: Place;
  streetB: Place;
  zone: Place;
  sessions: Record<ActorName, SessionHeaders>;
  users: Record<ActorName, string>;
  phones: Record<ActorName, string>;
  /** A mediator of street A: the record street A's administrators legitimately work on. */
  userA: { id: string; phone: string };
  /** Street B's handler as a record, with the id of their grant at B. */
  userB: { id: string; grantId: string };
  orgA: string;
  orgB: string;
  /** An appeal registered at street A's desk by its coordinator for someone without an account. */
  deskA: string;
  /** An appeal street B's worker raised themselves, with a photo attached. */
  matterB: string;
  /** Uploads of street A's coordinator, not attached to anything: a document and a photo. */
  fileA: string;
  imageA: string;
  /** The photo attached to matterB. */
  fileB: string;
  /** A template the district published for street B. */
  templateB: string;
}

export interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  payload?: unknown;
  /** Who makes it: a person of the world, a session of its own, or nobody. */
  as: ActorName | SessionHeaders | null;
  remoteAddress?: string;
  /** Headers of the request itself (a multipart content type), sent whoever makes it. */
  headers?: Record<string, string>;
}

// ---- requests ---------------------------------------------------------------------------------

let addressCounter = 0;
/** A fresh client address, so the per-address limits of sign-in and codes never get in the way. */
export function freshAddress(): string {
  addressCounter += 1;
  return `10.77.${Math.floor(addressCounter / 250)}.${(addressCounter % 250) + 1}`;
}

let phoneCounter = 0;
export function freshPhone(): string {
  phoneCounter += 1;
  return `1390077${String(phoneCounter).padStart(4, '0')}`;
}

export function headersOf(w: World, as: Call['as']): Record<string, string> {
  if (as === null) return {};
  return typeof as === 'string' ? w.sessions[as] : as;
}

/** Sends a call; `headers` replaces the caller's own headers when given. */
export function send(w: World, c: Call, headers?: Record<string, string>): Promise<LightMyRequestResponse> {
  return w.t.app.inject({
    method: c.method,
    url: c.url,
    headers: { ...(headers ?? headersOf(w, c.as)), ...c.headers },
    ...(c.payload === undefined ? {} : { payload: c.payload as object }),
    remoteAddress: c.remoteAddress ?? '127.0.0.1',
  });
}

export async function json<T>(w: World, c: Call): Promise<T> {
  const res = await send(w, c);
  if (res.statusCode >= 300) throw new Error(`${c.method} ${c.url} failed: ${res.statusCode} ${res.body}`);
  return res.json() as T;
}

/** What a list-like answer shows: its items (or roles), a workbook's data rows, or a count of zero for figures. */
export async function shownIn(res: LightMyRequestResponse): Promise<unknown[]> {
  if (String(res.headers['content-type']).includes('spreadsheetml')) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const rows: unknown[] = [];
    book.worksheets[0]?.eachRow((row, n) => {
      if (n > 1) rows.push(row.values);
    });
    return rows;
  }
  const body = res.json() as { items?: unknown[]; roles?: unknown[]; received?: number; marked?: number; total?: number | null };
  // An empty page with a total above zero is not empty.
  if (body.items) return body.items.length === 0 && body.total ? Array<unknown>(body.total) : body.items;
  if (body.roles) return body.roles;
  if (typeof body.received === 'number') return Array<unknown>(body.received);
  if (typeof body.marked === 'number') return Array<unknown>(body.marked);
  throw new Error(`not a list: ${res.body.slice(0, 200)}`);
}

// ---- the one error format ---------------------------------------------------------------------

export interface ErrorJson {
  error: { code: string; message: { zh: string; en: string }; details?: unknown };
}

/** A 4xx in the one error format: `{ error: { code, message: { zh, en }, details? } }` and nothing else. */
export function expectError(res: LightMyRequestResponse, status?: number, code?: string, what = ''): ErrorJson {
  const label = `${what} → ${res.statusCode} ${res.body.slice(0, 300)}`;
  expect(res.statusCode, label).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, label).toBeLessThan(500);
  if (status !== undefined) expect(res.statusCode, label).toBe(status);
  expect(res.headers['content-type'], label).toMatch(/^application\/json/);
  const body = res.json() as ErrorJson;
  expect(Object.keys(body), label).toEqual(['error']);
  const keys = Object.keys(body.error);
  expect(
    keys.filter((k) => !['code', 'message', 'details'].includes(k)),
    label,
  ).toEqual([]);
  expect(body.error.code, label).toMatch(/^[a-z][a-z0-9_]*$/);
  expect(Object.keys(body.error.message).sort(), label).toEqual(['en', 'zh']);
  expect(body.error.message.zh.length, label).toBeGreaterThan(0);
  expect(body.error.message.en.length, label).toBeGreaterThan(0);
  if (code !== undefined) expect(body.error.code, label).toBe(code);
  return body;
}

// ---- nothing written --------------------------------------------------------------------------

/** Projections that leave out what merely reading touches (a session's last-seen time). */
const PROJECTIONS: Record<string, string> = {
  sessions: 'select id, token_hash, user_id, expires_at, idle_minutes, revoked_at, pending, actor from sessions',
  // Sealing links rows into the chain (seq, hashes) after they are written, a read may do it: the content is what counts.
  audit_log: 'select id, at, actor_id, actor_role, action, target_type, target_id, region_path, ip, before, after, note from audit_log',
};

/**
 * A count and a digest of every table, so a refused request can be shown to have written nothing
 * at all, not only no new rows. Rate-limit counters are left out: counting attempts is their job.
 * With `notOf`, the rows of that person (and the audit log, which records their act) are left out.
 */
export async function fingerprint(w: World, options: { except?: string[]; notOf?: string } = {}): Promise<Record<string, string>> {
  // No transaction has written since the last look (reads assign no transaction id): same answer.
  const next = (await sql<{ xid: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xid`.execute(w.t.ctx.db)).rows[0]?.xid;
  const key = JSON.stringify(options);
  const cache = fingerprints.get(w.t.ctx.db) ?? new Map<string, { next: string | undefined; value: Record<string, string> }>();
  fingerprints.set(w.t.ctx.db, cache);
  const cached = cache.get(key);
  if (cached && cached.next === next) return cached.value;
  const value = await digestTables(w, options);
  cache.set(key, { next, value });
  return value;
}

const fingerprints = new WeakMap<object, Map<string, { next: string | undefined; value: Record<string, string> }>>();

async function digestTables(w: World, options: { except?: string[]; notOf?: string }): Promise<Record<string, string>> {
  const skip = new Set(['rate_limits', 'kysely_migration', 'kysely_migration_lock', ...(options.except ?? [])]);
  if (options.notOf) skip.add('audit_log');
  const parts = (await tablesOf(w))
    .filter((t) => !skip.has(t.name))
    .map(({ name, owner }) => {
      const projection = PROJECTIONS[name];
      // Every insert or update gives a row the newest transaction id (xmin) and a delete lowers
      // the count, so count and newest xmin show any write without reading whole rows; tables
      // whose reads touch a column are digested by content instead.
      let source = projection ?? `select xmin::text::bigint as nx_row_version${owner ? `, ${owner}` : ''} from ${name}`;
      if (options.notOf && owner)
        source = `select * from (${source}) t where ${owner}::text <> '${options.notOf.replace(/[^0-9a-f-]/g, '')}'`;
      const digest = projection ? 'sum(hashtextextended(x::text, 0))' : 'max(x.nx_row_version)';
      return `select '${name}' as name, count(*)::text || ':' || coalesce(${digest}, 0)::text as digest from (${source}) x`;
    });
  const rows = await sql<{ name: string; digest: string }>`${sql.raw(parts.join(' union all '))}`.execute(w.t.ctx.db);
  return Object.fromEntries(rows.rows.map((r) => [r.name, r.digest]));
}

const tableLists = new WeakMap<object, { name: string; owner: string | null }[]>();

/** The app's tables and the column naming whose row each is (read once: the catalogue is slow on PGlite). */
async function tablesOf(w: World): Promise<{ name: string; owner: string | null }[]> {
  const known = tableLists.get(w.t.ctx.db);
  if (known) return known;
  const columns = await sql<{ table: string }>`
    select table_name as table from information_schema.columns where table_schema = 'public' and column_name = 'user_id'`.execute(
    w.t.ctx.db,
  );
  const withUser = new Set(columns.rows.map((c) => c.table));
  const tables = await sql<{
    name: string;
  }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(w.t.ctx.db);
  const list = tables.rows.map(({ name }) => ({
    name,
    owner: name === 'users' ? 'id' : name === 'files' ? 'uploaded_by' : withUser.has(name) ? 'user_id' : null,
  }));
  tableLists.set(w.t.ctx.db, list);
  return list;
}

export interface Refusal {
  headers?: Record<string, string>;
  status?: number;
  code?: string;
  label?: string;
  /** The refusal is itself recorded: exactly one audit row with this action, and nothing else. */
  audited?: string;
  /** Tables a refusal may rightly touch (a failed sign-in counts against the account). */
  except?: string[];
}

/** Runs a request that must be refused, checks the error format and that the database is exactly as before. */
export async function expectRefused(w: World, c: Call, o: Refusal = {}): Promise<ErrorJson> {
  const label = o.label ?? `${c.method} ${c.url}`;
  const except = [...(o.except ?? []), ...(o.audited ? ['audit_log'] : [])];
  const lastId = async () =>
    Number(
      (
        await w.t.ctx.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.max('id').as('id'))
          .executeTakeFirst()
      )?.id ?? 0,
    );
  const [before, lastBefore] = [await fingerprint(w, { except }), await lastId()];
  const res = await send(w, c, o.headers);
  const body = expectError(res, o.status, o.code, label);
  expect(await fingerprint(w, { except }), `${label}: refused, yet something was written`).toEqual(before);
  if (o.audited) {
    const rows = await w.t.ctx.db.selectFrom('audit_log').select('action').where('id', '>', lastBefore).execute();
    expect(
      rows.map((r) => r.action),
      label,
    ).toEqual([o.audited]);
  }
  return body;
}

// ---- routes -----------------------------------------------------------------------------------

/** Every API route of the app as "METHOD /path" (HEAD left out: Fastify adds it to each GET). */
export function apiRoutes(app: App): string[] {
  const found = new Set<string>();
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = (m[1] ?? '').length / 4;
    stack.length = depth;
    const path = `${stack[depth - 1] ?? ''}${m[2] ?? ''}`;
    stack[depth] = path;
    if (!path.startsWith('/api/')) continue;
    for (const method of (m[3] ?? '').split(', ')) if (method && method !== 'HEAD') found.add(`${method} ${path}`);
  }
  return [...found].sort();
}

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path';
  schema: JsonSchema;
}
export interface JsonSchema {
  type?: string | string[];
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  maxLength?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean;
  anyOf?: JsonSchema[];
  items?: JsonSchema;
}
export interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema } } };
}

/** The OpenAPI operations keyed like apiRoutes ("POST /api/users/:id/grants"). */
export async function openApiOperations(app: App): Promise<Map<string, OpenApiOperation>> {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, OpenApiOperation>>;
  };
  const operations = new Map<string, OpenApiOperation>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (method === 'head') continue;
      operations.set(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`, operation);
    }
  }
  return operations;
}

// ---- scope arithmetic (independent of the code under test) ------------------------------------

export function covers(scope: readonly string[], path: string): boolean {
  return scope.some((root) => path === root || path.startsWith(`${root}.`));
}

async function placeOf(t: TestApp, code: string): Promise<Place> {
  const region = await t.ctx.db
    .selectFrom('regions')
    .select(['code', 'name', 'path', 'kind'])
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  const members =
    region.kind === 'zone'
      ? await t.ctx.db
          .selectFrom('region_zone_members as z')
          .innerJoin('regions as m', 'm.code', 'z.member_code')
          .select('m.path')
          .where('z.zone_code', '=', code)
          .execute()
      : [];
  return { code: region.code, name: region.name, path: region.path, scope: [region.path, ...members.map((m) => m.path)] };
}

/** The union of the subtrees where the user holds one of the roles, read from the tables. */
export async function scopeOfUser(w: World, userId: string, roles?: string[]): Promise<string[]> {
  const grants = await w.t.ctx.db.selectFrom('role_grants').select(['role', 'region_code']).where('user_id', '=', userId).execute();
  const scope: string[] = [];
  for (const g of grants) if (!roles || roles.includes(g.role)) scope.push(...(await placeOf(w.t, g.region_code)).scope);
  return scope;
}

export async function pathOf(w: World, regionCode: string): Promise<string> {
  return (await placeOf(w.t, regionCode)).path;
}

// ---- people -----------------------------------------------------------------------------------

/** Signs in with a password from a fresh address; the session may still owe a second factor. */
export async function signIn(app: App, phone: string, password = DEMO_PASSWORD): Promise<SessionHeaders> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { phone, password }, remoteAddress: freshAddress() });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${phone} failed: ${res.statusCode} ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'nx_session');
  const csrf = res.cookies.find((c) => c.name === 'nx_csrf');
  if (!session || !csrf) throw new Error('no session cookies');
  return { cookie: `nx_session=${session.value}; nx_csrf=${csrf.value}`, 'x-csrf-token': csrf.value };
}

/** Signs in an account that has not enrolled yet and enrols it; returns the session and the secret. */
export async function signInEnrolling(app: App, phone: string): Promise<{ session: SessionHeaders; secret: string }> {
  const session = await signIn(app, phone);
  const setup = await app.inject({ method: 'POST', url: '/api/me/two-factor/setup', headers: session });
  const { secret } = setup.json() as { secret: string };
  const enabled = await app.inject({
    method: 'POST',
    url: '/api/me/two-factor/enable',
    headers: session,
    payload: { code: totpCode(secret) },
  });
  if (enabled.statusCode !== 200) throw new Error(`enrolment of ${phone} failed: ${enabled.body}`);
  return { session, secret };
}

export interface UserJson {
  id: string;
  displayName: string;
  status: string;
  grants: { id: string; role: string; regionCode: string }[];
}

/** A new staff account made through the API by the city's security administrator. */
export async function createStaff(
  w: Pick<World, 't' | 'sessions'>,
  role: string,
  regionCode: string,
  phone = freshPhone(),
): Promise<UserJson & { phone: string }> {
  const res = await w.t.app.inject({
    method: 'POST',
    url: '/api/users',
    headers: w.sessions.citySecurity,
    payload: {
      phone,
      displayName: `${role.replaceAll('_', '-')}-${phone.slice(-4)}`,
      password: DEMO_PASSWORD,
      grants: [{ role, regionCode }],
    },
  });
  if (res.statusCode !== 201) throw new Error(`creating ${role} failed: ${res.statusCode} ${res.body}`);
  return { ...(res.json() as UserJson), phone };
}

/** Someone who may be signed out, enrolled or closed without disturbing the rest of the world. */
export async function throwaway(w: World): Promise<{ id: string; phone: string; session: SessionHeaders }> {
  const user = await createStaff(w, 'mediator', w.streetA.code);
  return { id: user.id, phone: user.phone, session: await signIn(w.t.app, user.phone) };
}

/** Uploads a document (or, with `photo`, a PNG) as someone; returns the file's id. */
export async function upload(w: Pick<World, 't' | 'sessions'>, as: ActorName | SessionHeaders, photo = false): Promise<string> {
  const body = multipart(
    photo ? { filename: 'photo.png', data: await pngWithAlpha(400, 300) } : { filename: 'agreement.pdf', data: pdf() },
  );
  const res = await w.t.app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { ...(typeof as === 'string' ? w.sessions[as] : as), ...body.headers },
    payload: body.payload,
  });
  if (res.statusCode !== 201) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** The call that uploads a document, for the matrix. */
export function uploadCall(as: Call['as']): Call {
  const body = multipart({ filename: 'agreement.pdf', data: pdf() });
  return { method: 'POST', url: '/api/files', as, payload: body.payload, headers: body.headers };
}

/** An appeal registered at a desk by staff for someone without an account. */
export async function deskAppeal(w: Pick<World, 't' | 'sessions'>, as: ActorName, regionCode: string): Promise<string> {
  const res = await w.t.app.inject({
    method: 'POST',
    url: '/api/matters',
    headers: w.sessions[as],
    payload: {
      kind: 'appeal',
      regionCode,
      category: 'unpaid_fees',
      title: '窗口登记：配送费拖欠',
      body: '当事人到站反映平台拖欠两个月配送费。',
      channel: 'desk',
      contact: { name: '路人甲', phone: freshPhone() },
    },
  });
  if (res.statusCode !== 201) throw new Error(`desk registration failed: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: string }).id;
}

/** A registration code for a fresh phone, read from the text message as the person would. */
export async function registrationCode(t: TestApp, phone: string, remoteAddress: string): Promise<string> {
  const sent = await t.app.inject({ method: 'POST', url: '/api/auth/codes', payload: { phone, purpose: 'register' }, remoteAddress });
  if (sent.statusCode !== 204) throw new Error(`no code: ${sent.body}`);
  const message = t.sms.filter((m) => m.phone === phone && m.template === 'one_time_code').at(-1);
  return message?.template === 'one_time_code' ? message.params.code : '';
}

async function registerWorker(t: TestApp, phone: string, regionCode: string): Promise<SessionHeaders> {
  const remoteAddress = freshAddress();
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/register',
    remoteAddress,
    payload: {
      phone,
      code: await registrationCode(t, phone, remoteAddress),
      password: 'ride-2026-b',
      displayName: '乙街骑手',
      role: 'worker',
      regionCode,
      privacyVersion: (await t.app.inject({ method: 'GET', url: '/api/privacy-notice' })).json<{ version: string }>().version,
      locationConsent: false,
    },
  });
  if (res.statusCode !== 201) throw new Error(`registration failed: ${res.statusCode} ${res.body}`);
  return signIn(t.app, phone, 'ride-2026-b');
}

const DEMO = {
  worker: '13800000001',
  districtCoordinator: '13800000008',
  cityAdmin: '13800000009',
  citySystem: '13800000010',
  citySecurity: '13800000011',
  cityAudit: '13800000012',
  zoneCoordinator: '13800000013',
  coordinatorA: '13800000014',
} as const;

export async function buildWorld(): Promise<World> {
  const filesDir = mkdtempSync(path.join(tmpdir(), 'nx-security-'));
  const t = await createTestApp({ demo: true, config: { filesDir } });
  const streets = (await t.app.inject({ method: 'GET', url: '/api/regions?parent=350502' })).json() as {
    items: { code: string; name: string }[];
  };
  const a = streets.items.find((s) => s.name === '海滨街道');
  const b = streets.items.find((s) => s.name !== '海滨街道');
  const zoneCode = (await t.ctx.db.selectFrom('regions').select('code').where('name', '=', '泉州台商投资区').executeTakeFirstOrThrow())
    .code;
  if (!a || !b) throw new Error('the demo district lacks two streets');

  const sessions = {} as Record<ActorName, SessionHeaders>;
  const phones = {} as Record<ActorName, string>;
  for (const [name, phone] of Object.entries(DEMO) as [ActorName, string][]) {
    phones[name] = phone;
    sessions[name] = ['cityAdmin', 'citySystem', 'citySecurity', 'cityAudit'].includes(name)
      ? (await signInEnrolling(t.app, phone)).session
      : await signIn(t.app, phone);
  }
  const partial = { t, sessions };
  const made = {
    adminA: await createStaff(partial, 'admin', a.code),
    securityA: await createStaff(partial, 'security_admin', a.code),
    auditA: await createStaff(partial, 'audit_admin', a.code),
    handlerA: await createStaff(partial, 'department_handler', a.code),
    handlerB: await createStaff(partial, 'department_handler', b.code),
  };
  for (const [name, user] of Object.entries(made) as [ActorName, UserJson & { phone: string }][]) {
    phones[name] = user.phone;
    sessions[name] = name.startsWith('handler') ? await signIn(t.app, user.phone) : (await signInEnrolling(t.app, user.phone)).session;
  }
  phones.otherWorker = freshPhone();
  sessions.otherWorker = await registerWorker(t, phones.otherWorker, b.code);
  const profile = await t.app.inject({
    method: 'PUT',
    url: '/api/me/profile',
    headers: sessions.otherWorker,
    payload: { occupation: 'courier', platform: '乙街道专送队', idNumber: '11010519491231002X' },
  });
  if (profile.statusCode !== 200) throw new Error(profile.body);

  const users = {} as Record<ActorName, string>;
  for (const name of Object.keys(sessions) as ActorName[]) {
    users[name] = ((await t.app.inject({ method: 'GET', url: '/api/me', headers: sessions[name] })).json() as { id: string }).id;
  }
  const mediatorA = await createStaff(partial, 'mediator', a.code);

  const orgs = (
    await t.app.inject({
      method: 'GET',
      url: '/api/organisations?region=350502&kind=street_office&limit=200',
      headers: sessions.districtCoordinator,
    })
  ).json() as { items: { id: string; regionCode: string }[] };
  const orgA = orgs.items.find((o) => o.regionCode === a.code)?.id;
  const orgB = orgs.items.find((o) => o.regionCode === b.code)?.id;
  if (!orgA || !orgB) throw new Error('the demo district lacks street offices');
  // A record of street B written by someone entitled, so street B has audit rows of its own.
  const placed = await t.app.inject({
    method: 'POST',
    url: '/api/organisations',
    headers: sessions.districtCoordinator,
    payload: { name: '乙街道快递驿站', kind: 'station_operator', regionCode: b.code },
  });
  if (placed.statusCode !== 201) throw new Error(placed.body);

  // Matters, files and a template on each side.
  const deskA = await deskAppeal(partial, 'coordinatorA', a.code);
  const fileB = await upload(partial, 'otherWorker', true);
  const raised = await t.app.inject({
    method: 'POST',
    url: '/api/matters',
    headers: sessions.otherWorker,
    payload: {
      kind: 'appeal',
      regionCode: b.code,
      category: 'penalty',
      title: '乙街道站点乱罚款',
      body: '站长以超时为由每单罚款五元。',
      files: [fileB],
    },
  });
  if (raised.statusCode !== 201) throw new Error(`raising matterB failed: ${raised.body}`);
  // The district answers it, so its raiser has a message waiting.
  const matterB = (raised.json() as { id: string; version: number }).id;
  const commented = await t.app.inject({
    method: 'POST',
    url: `/api/matters/${matterB}/transitions/comment`,
    headers: sessions.districtCoordinator,
    payload: { version: (raised.json() as { version: number }).version, note: '已转街道核实' },
  });
  if (commented.statusCode !== 200) throw new Error(`commenting on matterB failed: ${commented.body}`);
  const templateFile = await upload(partial, 'districtCoordinator');
  const published = await t.app.inject({
    method: 'POST',
    url: '/api/templates',
    headers: sessions.districtCoordinator,
    payload: { title: '乙街道调解申请书', category: 'mediation', fileId: templateFile, regionCode: b.code },
  });
  if (published.statusCode !== 201) throw new Error(`publishing templateB failed: ${published.body}`);

  return {
    t,
    async close() {
      await t.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
    city: await placeOf(t, '350500'),
    district: await placeOf(t, '350502'),
    streetA: await placeOf(t, a.code),
    streetB: await placeOf(t, b.code),
    zone: await placeOf(t, zoneCode),
    sessions,
    users,
    phones,
    userA: { id: mediatorA.id, phone: mediatorA.phone },
    userB: { id: made.handlerB.id, grantId: made.handlerB.grants[0]?.id ?? '' },
    orgA,
    orgB,
    deskA,
    matterB,
    fileA: await upload(partial, 'coordinatorA'),
    imageA: await upload(partial, 'coordinatorA', true),
    fileB,
    templateB: (published.json() as { id: string }).id,
  };
}
