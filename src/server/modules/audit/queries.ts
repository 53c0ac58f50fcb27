import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import { inScope, likeContains, type Scope } from '../../db/scope.js';
import { insertRow, type Sql } from '../../db/statement.js';
import type { AuditRow, NewAuditRow, SealedAuditRow } from './tables.js';

/** Serialises sealing (and pruning) across every process: one chain, no forks. Lasts until the commit. */
export async function lockAuditChain(db: Db): Promise<void> {
  await sql`select pg_advisory_xact_lock(7746001)`.execute(db);
}

export async function findLastAuditLink(db: Db): Promise<{ seq: number; hash: string } | undefined> {
  const row = await db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .where('seq', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: String(row.hash) } : undefined;
}

/** Committed rows not yet in the chain, in the order they were written. */
export function findUnsealedAuditRows(db: Db, limit: number): Promise<AuditRow[]> {
  return db.selectFrom('audit_log').selectAll().where('seq', 'is', null).orderBy('id').limit(limit).execute();
}

export async function hasUnsealedAuditRows(db: Db): Promise<boolean> {
  return (await db.selectFrom('audit_log').select('id').where('seq', 'is', null).limit(1).executeTakeFirst()) !== undefined;
}

/** Gives rows their place in the chain: one statement for a batch. */
export async function sealAuditRows(db: Db, links: { id: number; seq: number; prev_hash: string; hash: string }[]): Promise<void> {
  if (links.length === 0) return;
  const values = sql.join(links.map((l) => sql`(${l.id}::bigint, ${l.seq}::bigint, ${l.prev_hash}, ${l.hash})`));
  await sql`update audit_log a set seq = v.seq, prev_hash = v.prev_hash, hash = v.hash
    from (values ${values}) v (id, seq, prev_hash, hash) where a.id = v.id and a.seq is null`.execute(db);
}

export function insertAuditRowQuery(row: NewAuditRow): Sql {
  return insertRow('audit_log', row);
}

export async function findFirstAuditSeq(db: Db): Promise<number | null> {
  const row = await db.selectFrom('audit_log').select('seq').where('seq', 'is not', null).orderBy('seq').limit(1).executeTakeFirst();
  return row?.seq ?? null;
}

/** The newest record a prune left behind: it names the first row the prune kept. */
export function findLatestPruneRecord(db: Db): Promise<Pick<AuditRow, 'seq' | 'after'> | undefined> {
  return db
    .selectFrom('audit_log')
    .select(['seq', 'after'])
    .where('action', '=', 'audit.prune')
    .where('seq', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findAuditRowsAfter(db: Db, afterSeq: number, limit: number): Promise<SealedAuditRow[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  return rows as SealedAuditRow[];
}

export interface AuditFilter {
  scope: Scope;
  /** Also rows that belong to no region (sign-ins, system events). */
  includeUnplaced: boolean;
  from?: Date;
  to?: Date;
  actorId?: string;
  actionPrefix?: string;
  targetType?: string;
  targetId?: string;
  text?: string;
  beforeSeq?: number;
  limit: number;
}

export type AuditListRow = SealedAuditRow & { actor_name: string | null };

export async function findAuditRows(db: Db, f: AuditFilter): Promise<AuditListRow[]> {
  let query = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .selectAll('a')
    .select('u.display_name as actor_name')
    .where('a.seq', 'is not', null)
    .where((eb) =>
      f.includeUnplaced ? eb.or([eb('a.region_path', 'is', null), inScope('a.region_path', f.scope)]) : inScope('a.region_path', f.scope),
    );
  if (f.from) query = query.where('a.at', '>=', f.from);
  if (f.to) query = query.where('a.at', '<', f.to);
  if (f.actorId) query = query.where('a.actor_id', '=', f.actorId);
  if (f.actionPrefix) query = query.where('a.action', 'like', `${f.actionPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (f.targetType) query = query.where('a.target_type', '=', f.targetType);
  if (f.targetId) query = query.where('a.target_id', '=', f.targetId);
  if (f.text) query = query.where('a.note', 'ilike', likeContains(f.text));
  if (f.beforeSeq !== undefined) query = query.where('a.seq', '<', f.beforeSeq);
  return (await query.orderBy('a.seq', 'desc').limit(f.limit).execute()) as AuditListRow[];
}

/**
 * Deletes rows older than the cut-off from the start of the chain only, always keeping the
 * newest row so the chain goes on from it; returns how many were deleted and the first row kept.
 */
export async function deleteAuditHead(db: Db, olderThan: Date): Promise<{ deleted: number; firstKept: number | null }> {
  const firstKept =
    (await db
      .selectFrom('audit_log')
      .select('seq')
      .where('at', '>=', olderThan)
      .where('seq', 'is not', null)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst()) ?? (await findLastAuditLink(db));
  if (!firstKept?.seq) return { deleted: 0, firstKept: null };
  const result = await db.deleteFrom('audit_log').where('seq', '<', firstKept.seq).executeTakeFirst();
  return { deleted: Number(result.numDeletedRows), firstKept: firstKept.seq };
}
