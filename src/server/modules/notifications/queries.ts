import { sql } from 'kysely';
import { insertRows, join, sql as text, type Sql } from '../../db/statement.js';
import type { Db } from '../../db/connect.js';

export interface NewNotification {
  user_id: string;
  matter_id: string | null;
  event_seq: number | null;
  template: string;
  params: Record<string, unknown>;
}

/**
 * One row per person, event and template: a retried transaction cannot write a message twice.
 * `numberFromMain`: the matter is being inserted by the same statement (db/together.ts), so its
 * number is taken from there.
 */
export function insertNotificationsQuery(rows: NewNotification[], numberFromMain = false): Sql {
  if (!numberFromMain) {
    return text`${insertRows(
      'notifications',
      rows.map((r) => ({ ...r, params: JSON.stringify(r.params) })),
    )} on conflict (user_id, matter_id, event_seq, template) do nothing`;
  }
  const values = join(rows.map((r) => text`(${r.user_id}::uuid, ${r.event_seq}::int, ${r.template}, ${JSON.stringify(r.params)}::jsonb)`));
  return text`insert into notifications (user_id, matter_id, event_seq, template, params)
    select v.user_id, main.id, v.event_seq, v.template, v.params || jsonb_build_object('number', main.number)
    from main, (values ${values}) v (user_id, event_seq, template, params)
    on conflict (user_id, matter_id, event_seq, template) do nothing`;
}

/** A message to whoever raised the matter the same statement inserts, when it found someone. */
export interface RaiserNotice {
  /** Who acted: not told of their own step. */
  exceptUserId: string | null;
  eventSeq: number;
  template: string;
  params: Record<string, unknown>;
}

export function insertRaiserNotificationQuery(n: RaiserNotice): Sql {
  return text`insert into notifications (user_id, matter_id, event_seq, template, params)
    select main.raised_by, main.id, ${n.eventSeq}::int, ${n.template}, ${JSON.stringify(n.params)}::jsonb || jsonb_build_object('number', main.number)
    from main where main.raised_by is not null and main.raised_by is distinct from ${n.exceptUserId}::uuid
    on conflict (user_id, matter_id, event_seq, template) do nothing`;
}

export interface MemberNotice {
  organisationId: string;
  /** Who acted: not told of their own step. */
  exceptUserId: string | null;
  matterId: string;
  eventSeq: number;
  template: string;
  params: Record<string, unknown>;
}

/** The same message to everyone who works for an organisation (active accounts), but one person. */
export function insertMemberNotificationsQuery(m: MemberNotice): Sql {
  return text`insert into notifications (user_id, matter_id, event_seq, template, params)
    select distinct g.user_id, ${m.matterId}::uuid, ${m.eventSeq}::int, ${m.template}::text, ${JSON.stringify(m.params)}::jsonb
    from role_grants g join users u on u.id = g.user_id
    where g.organisation_id = ${m.organisationId}::uuid and u.status = 'active' and g.user_id is distinct from ${m.exceptUserId}::uuid
    on conflict (user_id, matter_id, event_seq, template) do nothing`;
}

export function findNotifications(db: Db, userId: string, limit: number, before: Date | null) {
  let query = db
    .selectFrom('notifications')
    .select(['id', 'matter_id', 'template', 'params', 'read_at', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (before) query = query.where('created_at', '<', before);
  return query.execute();
}

export async function countUnread(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function markRead(db: Db, userId: string, ids: string[] | 'all'): Promise<number> {
  let query = db.updateTable('notifications').set({ read_at: sql<Date>`now()` }).where('user_id', '=', userId).where('read_at', 'is', null);
  if (ids !== 'all') query = query.where('id', 'in', ids.length ? ids : ['00000000-0000-0000-0000-000000000000']);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface NewOutboxMessage {
  channel: 'sms' | 'wechat';
  user_id: string;
  template: string;
  params: Record<string, unknown>;
  dedupe_key: string;
}

export function insertOutboxQuery(rows: NewOutboxMessage[]): Sql {
  return text`${insertRows(
    'outbox',
    rows.map((r) => ({ ...r, params: JSON.stringify(r.params) })),
  )} on conflict (dedupe_key) do nothing`;
}

/** Claims due messages; SKIP LOCKED lets several app processes dispatch side by side. */
export function claimDueOutbox(db: Db, limit: number) {
  return db
    .selectFrom('outbox as o')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .select(['o.id', 'o.channel', 'o.template', 'o.params', 'o.attempts', 'u.phone_cipher', 'u.status as user_status'])
    .where('o.status', '=', 'pending')
    .where('o.next_attempt_at', '<=', sql<Date>`now()`)
    .orderBy('o.next_attempt_at')
    .limit(limit)
    .forUpdate('o')
    .skipLocked()
    .execute();
}

export async function markOutboxSent(db: Db, id: string): Promise<void> {
  await db.updateTable('outbox').set({ status: 'sent', sent_at: sql<Date>`now()`, attempts: sql<number>`attempts + 1` }).where('id', '=', id).execute();
}

export async function markOutboxFailed(db: Db, id: string, error: string, giveUp: boolean, retryInSeconds: number): Promise<void> {
  await db
    .updateTable('outbox')
    .set({
      status: giveUp ? 'failed' : 'pending',
      attempts: sql<number>`attempts + 1`,
      last_error: error.slice(0, 500),
      next_attempt_at: sql<Date>`now() + make_interval(secs => ${retryInSeconds})`,
    })
    .where('id', '=', id)
    .execute();
}
