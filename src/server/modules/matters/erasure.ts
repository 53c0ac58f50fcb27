// A person's data in matters: what their export holds, and what closing their account removes.
// Matters keep their statistics (kind, category, region, timeline, times, outcome) but lose what
// the person wrote and who they are. The timeline is append-only; erasure is the one exception,
// allowed by the database only inside a transaction that says so (see migration 0008).
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/connect.js';

export const ERASED_TITLE = '（当事人已注销）';
export const ERASED_TEXT = '（内容已随账号注销删除）';

/** Must run inside the transaction that anonymises the account. */
export async function forgetPersonInMatters(trx: Db, userId: string, phoneIndex: string): Promise<number> {
  const matters = await trx
    .selectFrom('matters')
    .select('id')
    .where((eb) => eb.or([eb('raised_by', '=', userId), eb('contact_phone_index', '=', phoneIndex)]))
    .execute();
  const ids = matters.map((m) => m.id);
  await sql`select set_config('nuanxin.erasure', 'on', true)`.execute(trx);
  if (ids.length > 0) {
    await trx
      .updateTable('matters')
      .set({
        title: ERASED_TITLE,
        body: ERASED_TEXT,
        contact_name: null,
        contact_phone_cipher: null,
        contact_phone_index: null,
        contact_phone_masked: null,
      })
      .where('id', 'in', ids)
      .execute();
    // The register event carries the same title and body: the row must still be its fold.
    await trx
      .updateTable('matter_events')
      .set({ data: sql`data || ${JSON.stringify({ title: ERASED_TITLE, body: ERASED_TEXT })}::jsonb` })
      .where('matter_id', 'in', ids)
      .where('type', '=', 'register')
      .execute();
  }
  // What they wrote on any timeline (comments, ratings' remarks).
  await trx
    .updateTable('matter_events')
    .set({ note: null, data: sql`data - 'comment'` })
    .where('actor_id', '=', userId)
    .execute();
  await sql`select set_config('nuanxin.erasure', 'off', true)`.execute(trx);
  await trx.deleteFrom('notifications').where('user_id', '=', userId).execute();
  await trx.deleteFrom('outbox').where('user_id', '=', userId).where('status', '=', 'pending').execute();
  return ids.length;
}

/** The matters a person raised, for the download of their data. */
export async function mattersForExport(ctx: Pick<AppContext, 'db'>, userId: string) {
  const rows = await ctx.db
    .selectFrom('matters')
    .select([
      'id',
      'number',
      'kind',
      'category',
      'status',
      'title',
      'body',
      'payload',
      'region_code',
      'created_at',
      'closed_at',
      'satisfaction',
    ])
    .where('raised_by', '=', userId)
    .orderBy('created_at')
    .execute();
  const events = rows.length
    ? await ctx.db
        .selectFrom('matter_events')
        .select(['matter_id', 'seq', 'type', 'to_status', 'note', 'at'])
        .where(
          'matter_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('matter_id')
        .orderBy('seq')
        .execute()
    : [];
  return rows.map((r) => ({
    number: Number(r.number),
    kind: r.kind,
    category: r.category,
    status: r.status,
    title: r.title,
    body: r.body,
    details: r.payload,
    regionCode: r.region_code,
    createdAt: r.created_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
    satisfaction: r.satisfaction,
    timeline: events
      .filter((e) => e.matter_id === r.id)
      .map((e) => ({ step: e.type, state: e.to_status, note: e.note, at: e.at.toISOString() })),
  }));
}
