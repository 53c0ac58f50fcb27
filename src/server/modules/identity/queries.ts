import { sql } from 'kysely';
import type { Database } from '../../db/database.js';
import { inScope, likeContains, type Scope } from '../../db/scope.js';
import type { Db } from '../../db/connect.js';
import { runStatement, sql as text } from '../../db/statement.js';
import { sessionsChanged } from './session-cache.js';
import type { Consent, ConsentKind, NewUser, Role, SessionPending, User, WorkerProfile, WorkerProfileTable } from './tables.js';
import type { Insertable, Updateable } from 'kysely';

/** At every sign-in and every desk registration: a named statement. */
export async function findUserByPhoneIndex(db: Db, phoneIndex: string): Promise<User | undefined> {
  return (await runStatement<User>(db, text`select * from users where phone_index = ${phoneIndex}`, 'user_by_phone'))[0];
}

export function insertUser(db: Db, user: NewUser): Promise<User> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function findRolesOfUser(db: Db, userId: string): Promise<Role[]> {
  const rows = await db.selectFrom('role_grants').select('role').where('user_id', '=', userId).execute();
  return rows.map((r) => r.role);
}

export async function insertGrant(
  db: Db,
  grant: { user_id: string; role: Role; region_code: string; organisation_id?: string | null; granted_by?: string | null },
): Promise<void> {
  await db
    .insertInto('role_grants')
    .values(grant)
    .onConflict((oc) => oc.columns(['user_id', 'role', 'region_code']).doNothing())
    .execute();
}

/** What a session remembers of its person, so a request needs one look-up (see snapshots.ts). */
export interface ActorSnapshot {
  displayName: string;
  phoneMasked: string;
  twoFactorEnabled: boolean;
  grants: {
    role: Role;
    regionCode: string;
    regionName: string;
    regionNameEn: string | null;
    regionLevel: string;
    regionKind: string;
    scope: string[];
    /** The organisation the grant works for (a mediation team, a bureau), if any. */
    organisationId?: string | null;
  }[];
}

export interface SessionActorRow {
  session_id: string;
  pending: SessionPending | null;
  last_seen_at: Date;
  user_id: string;
  actor: ActorSnapshot | null;
  expires_at: Date;
  idle_minutes: number;
}

/**
 * The live session behind a token: one indexed single-row look-up, on every signed-in request;
 * a named statement, so PostgreSQL does not parse and plan it each time.
 */
export async function findActiveSessionActor(db: Db, tokenHash: string): Promise<SessionActorRow | undefined> {
  const query = text`select id as session_id, pending, last_seen_at, user_id, actor, expires_at, idle_minutes from sessions
    where token_hash = ${tokenHash} and revoked_at is null and expires_at > now() and last_seen_at > now() - make_interval(mins => idle_minutes)`;
  return (await runStatement<SessionActorRow>(db, query, 'session_actor'))[0];
}

export interface GrantRow {
  role: Role;
  region_code: string;
  region_name: string;
  region_name_en: string | null;
  region_level: string;
  region_kind: string;
  region_path: string;
  organisation_id: string | null;
}

export function findGrantRegions(db: Db, userId: string): Promise<GrantRow[]> {
  return db
    .selectFrom('role_grants as g')
    .innerJoin('regions as r', 'r.code', 'g.region_code')
    .select([
      'g.role',
      'g.organisation_id',
      'r.code as region_code',
      'r.name as region_name',
      'r.name_en as region_name_en',
      'r.level as region_level',
      'r.kind as region_kind',
      'r.path as region_path',
    ])
    .where('g.user_id', '=', userId)
    .orderBy('g.created_at')
    .execute();
}

/** Puts a fresh snapshot on every live session of the person. */
export async function updateSessionSnapshots(db: Db, userId: string, snapshot: ActorSnapshot): Promise<void> {
  await db.updateTable('sessions').set({ actor: JSON.stringify(snapshot) }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
  sessionsChanged();
}

export async function insertSession(
  db: Db,
  session: {
    token_hash: string;
    user_id: string;
    expires_at: Date;
    idle_minutes: number;
    ip: string | null;
    user_agent: string | null;
    pending: SessionPending | null;
    actor: ActorSnapshot;
  },
): Promise<void> {
  await db.insertInto('sessions').values({ ...session, actor: JSON.stringify(session.actor) }).execute();
}

/** Idle time is tracked to the minute: at most one write a minute per session. */
export async function touchSession(db: Db, sessionId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('id', '=', sessionId)
    .where('last_seen_at', '<', sql<Date>`now() - interval '1 minute'`)
    .execute();
}

export async function revokeSessionByTokenHash(db: Db, tokenHash: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .execute();
  sessionsChanged(tokenHash);
}

/** Counts a failed sign-in; the one that reaches `max` locks the account for `lockMinutes`. */
export async function recordFailedSignIn(db: Db, userId: string, max: number, lockMinutes: number): Promise<void> {
  await db
    .updateTable('users')
    .set({
      failed_sign_ins: sql<number>`case when failed_sign_ins + 1 >= ${max} then 0 else failed_sign_ins + 1 end`,
      locked_until: sql<Date | null>`case when failed_sign_ins + 1 >= ${max} then now() + make_interval(mins => ${lockMinutes}) else locked_until end`,
    })
    .where('id', '=', userId)
    .execute();
}

export async function clearFailedSignIns(db: Db, userId: string): Promise<void> {
  await db.updateTable('users').set({ failed_sign_ins: 0, locked_until: null }).where('id', '=', userId).execute();
}

export function findUserById(db: Db, id: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateUser(db: Db, id: string, changes: Updateable<Database['users']>): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

// ---- sessions ------------------------------------------------------------------------------

export async function clearSessionPending(db: Db, sessionId: string): Promise<void> {
  await db.updateTable('sessions').set({ pending: null }).where('id', '=', sessionId).execute();
  sessionsChanged();
}

export function findActiveSessionsOfUser(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .where(sql<boolean>`last_seen_at > now() - make_interval(mins => idle_minutes)`)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Revokes one session of the user; false when there is no such live session of theirs. */
export async function revokeSessionOfUser(db: Db, userId: string, sessionId: string): Promise<boolean> {
  const result = await db
    .updateTable('sessions')
    .set({ revoked_at: sql<Date>`now()` })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  sessionsChanged();
  return Number(result.numUpdatedRows) > 0;
}

export async function revokeAllSessionsOfUser(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
  sessionsChanged();
}

// ---- two-factor ----------------------------------------------------------------------------

export async function replaceRecoveryCodes(db: Db, userId: string, codeHashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (codeHashes.length === 0) return;
  await db
    .insertInto('recovery_codes')
    .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash })))
    .execute();
}

/** Marks an unused recovery code used; false when there is none with this hash. */
export async function useRecoveryCode(db: Db, userId: string, codeHash: string): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: sql<Date>`now()` })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Accepts a TOTP time step only if it is newer than the last one accepted (no replays). */
export async function advanceTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

// ---- one-time codes ------------------------------------------------------------------------

export async function insertOneTimeCode(
  db: Db,
  code: { phone_index: string; purpose: 'register'; code_hash: string; expires_at: Date },
): Promise<void> {
  await db.insertInto('one_time_codes').values(code).execute();
}

/** The newest live code for the phone and purpose, locked for the check. */
export function lockLatestOneTimeCode(db: Db, phoneIndex: string, purpose: 'register') {
  return db
    .selectFrom('one_time_codes')
    .selectAll()
    .where('phone_index', '=', phoneIndex)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .orderBy('created_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function countOneTimeCodeAttempt(db: Db, id: string): Promise<void> {
  await db
    .updateTable('one_time_codes')
    .set({ attempts: sql<number>`attempts + 1` })
    .where('id', '=', id)
    .execute();
}

export async function markOneTimeCodeUsed(db: Db, id: string): Promise<void> {
  await db
    .updateTable('one_time_codes')
    .set({ used_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

// ---- grants --------------------------------------------------------------------------------

export interface GrantWithRegion {
  id: string;
  user_id: string;
  role: Role;
  region_code: string;
  region_name: string;
  region_path: string;
  organisation_id: string | null;
  organisation_name: string | null;
}

export function findGrantsOfUsers(db: Db, userIds: string[]): Promise<GrantWithRegion[]> {
  if (userIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('role_grants as g')
    .innerJoin('regions as r', 'r.code', 'g.region_code')
    .leftJoin('organisations as o', 'o.id', 'g.organisation_id')
    .select([
      'g.id',
      'g.user_id',
      'g.role',
      'g.region_code',
      'r.name as region_name',
      sql<string>`r.path::text`.as('region_path'),
      'g.organisation_id',
      'o.name as organisation_name',
    ])
    .where('g.user_id', 'in', userIds)
    .orderBy('g.created_at')
    .execute();
}

export async function deleteGrant(db: Db, userId: string, grantId: string): Promise<GrantWithRegion | undefined> {
  const [grant] = await findGrantsOfUsers(db, [userId]).then((grants) => grants.filter((g) => g.id === grantId));
  if (!grant) return undefined;
  await db.deleteFrom('role_grants').where('id', '=', grantId).execute();
  return grant;
}

export async function deleteGrantsOfUser(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('role_grants').where('user_id', '=', userId).execute();
}

export interface UserListFilter {
  scope: Scope;
  role?: Role;
  text?: string;
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** Users holding a grant inside the scope, newest first, keyset-paged. */
export function findUsersInScope(db: Db, filter: UserListFilter): Promise<User[]> {
  let query = db
    .selectFrom('users as u')
    .selectAll('u')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('role_grants as g')
          .innerJoin('regions as r', 'r.code', 'g.region_code')
          .select(sql`1`.as('one'))
          .whereRef('g.user_id', '=', 'u.id')
          .where(inScope('r.path', filter.scope))
          .$if(filter.role !== undefined, (qb) => qb.where('g.role', '=', filter.role as Role)),
      ),
    );
  if (filter.text) query = query.where('u.display_name', 'ilike', likeContains(filter.text));
  // The cursor carries milliseconds (a JavaScript Date) and PostgreSQL keeps microseconds: order
  // and compare at the cursor's precision, or rows created in the same millisecond are skipped.
  const createdMs = sql<Date>`date_trunc('milliseconds', u.created_at)`;
  if (filter.after) {
    const { createdAt, id } = filter.after;
    query = query.where((eb) => eb.or([eb(createdMs, '<', createdAt), eb.and([eb(createdMs, '=', createdAt), eb('u.id', '<', id)])]));
  }
  return query.orderBy(createdMs, 'desc').orderBy('u.id', 'desc').limit(filter.limit).execute();
}

// ---- profiles and consents -----------------------------------------------------------------

export function findProfile(db: Db, userId: string): Promise<(WorkerProfile & { home_region_name: string | null }) | undefined> {
  return db
    .selectFrom('worker_profiles as p')
    .leftJoin('regions as r', 'r.code', 'p.home_region_code')
    .selectAll('p')
    .select('r.name as home_region_name')
    .where('p.user_id', '=', userId)
    .executeTakeFirst();
}

export async function upsertProfile(db: Db, profile: Insertable<WorkerProfileTable>): Promise<void> {
  const { user_id: _userId, ...changes } = profile;
  await db
    .insertInto('worker_profiles')
    .values(profile)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ ...changes, updated_at: sql<Date>`now()` }))
    .execute();
}

export async function deleteProfile(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('worker_profiles').where('user_id', '=', userId).execute();
}

export const MIN_PEOPLE_FOR_SUGGESTION = 3;

export async function findPlatformNames(db: Db, text: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('worker_profiles')
    .select('platform')
    .where('platform', 'is not', null)
    .where('platform', 'ilike', likeContains(text))
    .groupBy('platform')
    // Free text one or two people typed could say anything about them: only names in common use.
    .having(sql`count(*)`, '>=', MIN_PEOPLE_FOR_SUGGESTION)
    .orderBy(sql`count(*)`, 'desc')
    .limit(limit)
    .execute();
  return rows.flatMap((r) => (r.platform ? [r.platform] : []));
}

export async function insertConsent(
  db: Db,
  consent: { user_id: string; kind: ConsentKind; version: string; granted: boolean; ip: string | null },
): Promise<Consent> {
  return db.insertInto('consents').values(consent).returningAll().executeTakeFirstOrThrow();
}

export function findConsents(db: Db, userId: string): Promise<Consent[]> {
  return db.selectFrom('consents').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').execute();
}

/** The current answer for each kind: the newest consent row. */
export async function findCurrentConsents(db: Db, userId: string): Promise<Map<ConsentKind, Consent>> {
  const current = new Map<ConsentKind, Consent>();
  for (const consent of await findConsents(db, userId)) if (!current.has(consent.kind)) current.set(consent.kind, consent);
  return current;
}

export function findSessionsForExport(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['created_at', 'last_seen_at', 'ip', 'user_agent', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}
