// In-app messages and the outbox. Both are written in the transaction of the change they report,
// so a crash never loses one and a retry never doubles one (unique keys). Text messages leave
// through the outbox: a dispatcher claims due rows, sends them and marks them sent.
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { requireActor, type Actor } from '../identity/access.js';
import { renderMessage } from './messages.js';
import * as q from './queries.js';
import type { Write } from '../../db/together.js';

export type { MemberNotice, NewNotification, NewOutboxMessage, RaiserNotice } from './queries.js';

/**
 * The writes that queue messages, to send with the change they report (db/together.ts): to
 * people by id, to everyone of an organisation, and text messages through the outbox.
 */
export function notificationWrites(n: {
  rows: q.NewNotification[];
  members?: q.MemberNotice[];
  outbox?: q.NewOutboxMessage[];
  numberFromMain?: boolean;
  raiserFromMain?: q.RaiserNotice;
}): Write[] {
  const writes: Write[] = [];
  if (n.rows.length > 0) writes.push(q.insertNotificationsQuery(n.rows, n.numberFromMain));
  if (n.raiserFromMain) writes.push(q.insertRaiserNotificationQuery(n.raiserFromMain));
  for (const m of n.members ?? []) writes.push(q.insertMemberNotificationsQuery(m));
  if (n.outbox?.length) writes.push(q.insertOutboxQuery(n.outbox));
  return writes;
}

export async function listNotifications(db: Db, actor: Actor | null, input: { limit: number; before?: string }) {
  const me = requireActor(actor);
  const [rows, unread] = await Promise.all([
    q.findNotifications(db, me.userId, input.limit, input.before ? new Date(input.before) : null),
    q.countUnread(db, me.userId),
  ]);
  return {
    unread,
    items: rows.map((r) => ({
      id: r.id,
      matterId: r.matter_id,
      text: renderMessage(r.template, r.params),
      readAt: r.read_at?.toISOString() ?? null,
      createdAt: r.created_at.toISOString(),
    })),
  };
}

export async function markNotificationsRead(db: Db, actor: Actor | null, ids: string[] | 'all'): Promise<number> {
  return q.markRead(db, requireActor(actor).userId, ids);
}

const MAX_ATTEMPTS = 5;

/** Sends what is due in the outbox; returns how many were sent. Safe to run in several processes. */
export async function dispatchOutbox(ctx: AppContext, limit = 50): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  await ctx.db.transaction().execute(async (trx) => {
    for (const row of await q.claimDueOutbox(trx, limit)) {
      if (row.user_status !== 'active') {
        await q.markOutboxFailed(trx, row.id, 'recipient is not active', true, 0);
        failed += 1;
        continue;
      }
      try {
        const params = row.params as { number: string; step: string };
        if (row.channel === 'sms') {
          await ctx.sms.send({ phone: ctx.crypto.decrypt(row.phone_cipher), template: 'matter_update', params });
        } else {
          // WeChat template messages need an official account; until one is configured they are logged.
          ctx.log.info({ outbox: row.id, template: row.template }, 'WeChat message not configured: skipped');
        }
        await q.markOutboxSent(trx, row.id);
        sent += 1;
      } catch (error) {
        const giveUp = row.attempts + 1 >= MAX_ATTEMPTS;
        await q.markOutboxFailed(trx, row.id, error instanceof Error ? error.message : String(error), giveUp, 60 * 2 ** row.attempts);
        failed += 1;
      }
    }
  });
  return { sent, failed };
}
