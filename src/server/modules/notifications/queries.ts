import { sql } from 'kysely';
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
export function insertNotificationsQuery(db: Db, rows: NewNotification[], numberFromMain = false) {
  if (!numberFromMain) {
    return db
      .insertInto('notifications')
      .values(rows.map((r) => ({ ...r, params: JSON.stringify(r.params) })))
      .onConflict((oc) => oc.columns(['user_id', 'matter_id', 'event_seq', 'template']).doNothing());
  }
  const values = sql.join(
    rows.map((r) => sql`(${r.user_id}::uuid, ${r.event_seq}::int, ${r.template}, ${JSON.stringify(r.params)}::jsonb)`),
  );
  return sql`insert into notifications (user_id, matter_id, event_seq, template, params)
    select v.user_id, main.id, v.event_seq, v.template, v.params || jsonb_build_object('number', main.number)
    from main, (values ${values}) v (user_id, event_seq, template, params)
    on conflict (user_id, matter_id, event_seq, template) do nothing`;
}

/** The same message to everyone who works for an organisation (active accounts), but one person. */
export function insertMemberNotificationsQuery(
  db: Db,
  m: { organisationId: string; exceptUserId: string | null; matterId: string; eventSeq: number; template: string; params: Record<string, unknown> },
) {
  return db
    .insertInto('notifications')
    .columns(['user_id', 'matter_id', 'event_seq', 'template', 'params'])
    .expression(
      db
        .selectFrom('role_grants as g')
        .innerJoin('users as u', 'u.id', 'g.user_id')
        .select([
          'g.user_id',
          sql<string>`${m.matterId}::uuid`.as('matter_id'),
          sql<number>`${m.eventSeq}::int`.as('event_seq'),
          sql<string>`${m.template}::text`.as('template'),
          sql<string>`${JSON.stringify(m.params)}::jsonb`.as('params'),
        ])
        .distinct()
        .where('g.organisation_id', '=', m.organisationId)
        .where('u.status', '=', 'active')
        .where((eb) => (m.exceptUserId ? eb('g.user_id', '<>', m.exceptUserId) : eb.val(true))),
    )
    .onConflict((oc) => oc.columns(['user_id', 'matter_id', 'event_seq', 'template']).doNothing());
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

export function insertOutboxQuery(db: Db, rows: NewOutboxMessage[]) {
  return db
    .insertInto('outbox')
    .values(rows.map((r) => ({ ...r, params: JSON.stringify(r.params) })))
    .onConflict((oc) => oc.column('dedupe_key').doNothing());
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
