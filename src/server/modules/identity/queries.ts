import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { NewUser, Role, User } from './tables.js';

export function findUserByPhoneIndex(db: Db, phoneIndex: string): Promise<User | undefined> {
  return db.selectFrom('users').selectAll().where('phone_index', '=', phoneIndex).executeTakeFirst();
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
  await db.insertInto('role_grants').values(grant).onConflict((oc) => oc.columns(['user_id', 'role', 'region_code']).doNothing()).execute();
}

export interface GrantRow {
  role: Role;
  regionCode: string;
  regionName: string;
  regionNameEn: string | null;
  regionLevel: string;
  regionKind: string;
  regionPath: string;
  memberPaths: string[] | null;
}

export interface SessionActorRow {
  session_id: string;
  last_seen_at: Date;
  idle_minutes: number;
  user_id: string;
  display_name: string;
  phone_masked: string;
  grants: GrantRow[];
}

/** The signed-in actor behind a session token, in one round trip (it runs on every request). */
export function findActiveSessionActor(db: Db, tokenHash: string): Promise<SessionActorRow | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id as session_id',
      's.last_seen_at',
      's.idle_minutes',
      'u.id as user_id',
      'u.display_name',
      'u.phone_masked',
      sql<GrantRow[]>`coalesce((
        select json_agg(json_build_object(
          'role', g.role, 'regionCode', r.code, 'regionName', r.name, 'regionNameEn', r.name_en,
          'regionLevel', r.level, 'regionKind', r.kind, 'regionPath', r.path::text,
          'memberPaths', case when r.kind = 'zone' then (
            select json_agg(m.path::text) from region_zone_members z join regions m on m.code = z.member_code
            where z.zone_code = r.code) end
        ) order by g.created_at)
        from role_grants g join regions r on r.code = g.region_code
        where g.user_id = u.id), '[]'::json)`.as('grants'),
    ])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where(sql<boolean>`s.last_seen_at > now() - make_interval(mins => s.idle_minutes)`)
    .where('u.status', '=', 'active')
    .executeTakeFirst();
}

export async function insertSession(
  db: Db,
  session: { token_hash: string; user_id: string; expires_at: Date; idle_minutes: number; ip: string | null; user_agent: string | null },
): Promise<void> {
  await db.insertInto('sessions').values(session).execute();
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
  await db.updateTable('sessions').set({ revoked_at: sql<Date>`now()` }).where('token_hash', '=', tokenHash).execute();
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
