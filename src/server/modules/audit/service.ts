// The tamper-evident audit log: who did what, when, from where, with before and after.
// Callers pass masked values in before/after: the log holds no personal data in clear.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import { inTransaction } from '../../db/transaction.js';
import type { Origin } from '../../context.js';
import { errors } from '../../errors.js';
import { actorScope, requireActor, type Actor } from '../identity/access.js';
import * as q from './queries.js';
import type { AuditRow, NewAuditRow } from './tables.js';

export const GENESIS_HASH = '0'.repeat(64);
export const MIN_RETENTION_DAYS = 180;

export interface AuditEntry {
  /** Who acted: a signed-in actor, or just a user id (a failed sign-in names no actor). */
  actor: Pick<Actor, 'userId' | 'grants'> | { userId: string | null; role?: string | null } | null;
  action: string;
  target?: { type: string; id: string; regionPath?: string | null; districtCode?: string | null };
  before?: unknown;
  after?: unknown;
  note?: string | null;
  origin: Origin | null;
}

/** JSON with keys sorted at every level, so a value hashes the same after a jsonb round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type Hashed = Omit<NewAuditRow, 'hash' | 'before' | 'after'> & { before: unknown; after: unknown };

function hashRow(row: Hashed): string {
  const content = canonicalJson([
    row.seq,
    row.at,
    row.actor_id,
    row.actor_role,
    row.action,
    row.target_type,
    row.target_id,
    row.region_path,
    row.district_code,
    row.ip,
    row.user_agent,
    row.request_id,
    row.before,
    row.after,
    row.note,
  ]);
  return createHash('sha256').update(`${row.prev_hash}|${content}`).digest('hex');
}

function actorFields(actor: AuditEntry['actor']): { id: string | null; role: string | null } {
  if (!actor) return { id: null, role: null };
  if ('grants' in actor) return { id: actor.userId, role: actor.grants.map((g) => g.role).join(',') || null };
  return { id: actor.userId, role: actor.role ?? null };
}

/** Appends one row at the end of the chain, inside the caller's transaction when there is one. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  const append = async (trx: Db) => {
    await q.lockAuditChain(trx);
    const last = await q.findLastAuditLink(trx);
    const actor = actorFields(entry.actor);
    const row: Hashed = {
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      actor_id: actor.id,
      actor_role: actor.role,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      region_path: entry.target?.regionPath ?? null,
      district_code: entry.target?.districtCode ?? null,
      ip: entry.origin?.ip ?? null,
      user_agent: entry.origin?.userAgent ?? null,
      request_id: entry.origin?.requestId ?? null,
      // Through JSON once, so what is hashed is what jsonb gives back.
      before: entry.before === undefined ? null : JSON.parse(JSON.stringify(entry.before)),
      after: entry.after === undefined ? null : JSON.parse(JSON.stringify(entry.after)),
      note: entry.note ?? null,
      prev_hash: last?.hash ?? GENESIS_HASH,
    };
    await q.insertAuditRow(trx, {
      ...row,
      before: row.before === null ? null : JSON.stringify(row.before),
      after: row.after === null ? null : JSON.stringify(row.after),
      hash: hashRow(row),
    });
  };
  await inTransaction(db, append);
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: 'hash_mismatch' | 'gap' | 'broken_link' | null;
}

/** Walks the chain from its oldest kept row (pruning trims the start) and recomputes every hash. */
export async function verifyAuditChain(db: Db): Promise<ChainCheck> {
  let checked = 0;
  let previous: AuditRow | null = null;
  for (;;) {
    const page = await q.findAuditRowsAfter(db, previous?.seq ?? 0, 1000);
    for (const row of page) {
      if (previous && row.seq !== previous.seq + 1) return { ok: false, checked, firstBadSeq: previous.seq + 1, problem: 'gap' };
      if (previous && row.prev_hash !== previous.hash) return { ok: false, checked, firstBadSeq: row.seq, problem: 'broken_link' };
      if (hashRow(row) !== row.hash) return { ok: false, checked, firstBadSeq: row.seq, problem: 'hash_mismatch' };
      previous = row;
      checked += 1;
    }
    if (page.length < 1000) return { ok: true, checked, firstBadSeq: null, problem: null };
  }
}

export async function pruneAudit(db: Db, retentionDays: number, now = new Date()): Promise<number> {
  if (!Number.isInteger(retentionDays) || retentionDays < MIN_RETENTION_DAYS) {
    throw errors.invalidRequest({ retentionDays, minimum: MIN_RETENTION_DAYS });
  }
  return db.transaction().execute(async (trx) => {
    await q.lockAuditChain(trx);
    return q.deleteAuditHead(trx, new Date(now.getTime() - retentionDays * 24 * 3600_000));
  });
}

export interface AuditQuery {
  from?: Date;
  to?: Date;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  text?: string;
  before?: number;
  limit: number;
}

/** For audit administrators only, within their subtree; rows of no region for a city-level grant. */
export async function listAudit(db: Db, actor: Actor | null, query: AuditQuery): Promise<{ items: q.AuditListRow[]; next: number | null }> {
  const me = requireActor(actor);
  const scope = actorScope(me, ['audit_admin']);
  if (scope.length === 0) throw errors.forbidden();
  const includeUnplaced = scope.some((path) => !path.includes('.'));
  const rows = await q.findAuditRows(db, {
    scope,
    includeUnplaced,
    from: query.from,
    to: query.to,
    actorId: query.actorId,
    actionPrefix: query.action,
    targetType: query.targetType,
    targetId: query.targetId,
    text: query.text,
    beforeSeq: query.before,
    limit: query.limit + 1,
  });
  const items = rows.slice(0, query.limit);
  return { items, next: rows.length > query.limit ? (items.at(-1)?.seq ?? null) : null };
}

export async function verifyAuditChainAs(db: Db, actor: Actor | null): Promise<ChainCheck> {
  const me = requireActor(actor);
  if (actorScope(me, ['audit_admin']).length === 0) throw errors.forbidden();
  return verifyAuditChain(db);
}
