// The tamper-evident audit log: who did what, when, from where, with before and after.
// Callers pass masked values in before/after: the log holds no personal data in clear.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect.js';
import { runStatement, type Sql } from '../../db/statement.js';
import { inTransaction } from '../../db/transaction.js';
import type { Origin } from '../../context.js';
import { errors } from '../../errors.js';
import { actorScope, requireActor, type Actor } from '../identity/access.js';
import * as q from './queries.js';
import type { AuditRow, SealedAuditRow } from './tables.js';

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

type Hashed = Omit<AuditRow, 'id' | 'seq' | 'prev_hash' | 'hash'> & { seq: number; prev_hash: string };

/** sha256 over the previous row's hash and this row's content; what verify recomputes. */
export function hashAuditRow(row: Hashed): string {
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

export interface AuditLink {
  seq: number;
  hash: string;
}

/** Told of every append, so a process's sealer (startAuditSealer) runs soon after. */
const written = new Set<() => void>();

/**
 * Writes one row, inside the caller's transaction when there is one. No lock and no read: appends
 * never wait for each other. The row joins the hash chain when it is sealed, within moments of its
 * commit (see sealAudit); a rolled-back append leaves nothing to seal.
 */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<void> {
  await runStatement(db, auditWrite(entry), 'audit');
}

/** The insert of one row, for a caller that sends it together with its own writes (db/together.ts). */
export function auditWrite(entry: AuditEntry): Sql {
  const actor = actorFields(entry.actor);
  for (const wake of written) wake();
  return q.insertAuditRowQuery({
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
    before: entry.before === undefined || entry.before === null ? null : JSON.stringify(entry.before),
    after: entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
    note: entry.note ?? null,
  });
}

const SEAL_BATCH = 500;

/**
 * Links the committed rows that are not yet in the chain, in the order they were written: each
 * gets the next seq, the previous row's hash and its own hash over what is stored (read back, so
 * it is exactly what verify recomputes). One sealer at a time across processes (an advisory lock
 * held for the sealing transaction only); returns the last link, or null for an empty log.
 */
export async function sealAudit(db: Db): Promise<AuditLink | null> {
  return inTransaction(db, async (trx) => {
    await q.lockAuditChain(trx);
    let last = (await q.findLastAuditLink(trx)) ?? null;
    for (;;) {
      const rows = await q.findUnsealedAuditRows(trx, SEAL_BATCH);
      const links: { id: number; seq: number; prev_hash: string; hash: string }[] = [];
      for (const row of rows) {
        const seq = (last?.seq ?? 0) + 1;
        const prev_hash = last?.hash ?? GENESIS_HASH;
        const hash = hashAuditRow({ ...row, seq, prev_hash });
        links.push({ id: row.id, seq, prev_hash, hash });
        last = { seq, hash };
      }
      await q.sealAuditRows(trx, links);
      if (rows.length < SEAL_BATCH) return last;
    }
  });
}

/** Seals when there is something to seal: one cheap look when there is not. */
export async function sealAuditIfNeeded(db: Db): Promise<void> {
  if (await q.hasUnsealedAuditRows(db)) await sealAudit(db);
}

/**
 * Seals a moment after rows are written in this process (batching a burst into one sealing) and
 * every few seconds for rows written by other processes. Returns a stop function.
 */
export function startAuditSealer(db: Db, log: { error(o: object, m: string): void }, delayMs = 200, sweepMs = 5_000): () => void {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  const run = () => {
    timer = null;
    if (running) return void schedule();
    running = sealAuditIfNeeded(db)
      .catch((error: unknown) => log.error({ err: error }, 'sealing the audit log failed'))
      .finally(() => (running = null));
  };
  const schedule = () => {
    if (timer) return;
    timer = setTimeout(run, delayMs);
    timer.unref();
  };
  written.add(schedule);
  const sweep = setInterval(schedule, sweepMs);
  sweep.unref();
  return () => {
    written.delete(schedule);
    clearInterval(sweep);
    if (timer) clearTimeout(timer);
  };
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: 'hash_mismatch' | 'gap' | 'broken_link' | null;
}

const VERIFY_PAGE = 1000;
const PRUNE_ACTION = 'audit.prune';

const bad = (checked: number, firstBadSeq: number, problem: NonNullable<ChainCheck['problem']>): ChainCheck => ({
  ok: false,
  checked,
  firstBadSeq,
  problem,
});

/**
 * The oldest row must be where the chain starts (seq 1 after the genesis hash) or where the
 * latest prune said it kept from; anything else means rows were deleted from the start.
 */
async function checkHead(db: Db, head: SealedAuditRow): Promise<ChainCheck | null> {
  if (head.seq === 1) return head.prev_hash === GENESIS_HASH ? null : bad(0, 1, 'broken_link');
  const prune = await q.findLatestPruneRecord(db);
  const after = prune?.after;
  const keptFrom =
    after !== null && typeof after === 'object' && 'firstSeq' in after && typeof after.firstSeq === 'number' ? after.firstSeq : 1;
  return head.seq > keptFrom ? bad(0, keptFrom, 'gap') : null;
}

/**
 * Walks the chain in seq order from its oldest kept row, recomputing every hash. Pruning trims
 * the start, so the oldest row's prev_hash is trusted; the prune record in the chain says where
 * that start must be. Rows cut from the end leave no trace here: that needs an anchor kept
 * outside the database (e.g. the last seq and hash noted by the operator).
 */
export async function verifyAuditChain(db: Db): Promise<ChainCheck> {
  await sealAudit(db);
  let checked = 0;
  let previous: SealedAuditRow | null = null;
  let headChecked = false;
  for (;;) {
    const page = await q.findAuditRowsAfter(db, previous?.seq ?? 0, VERIFY_PAGE);
    for (const row of page) {
      if (!previous && !headChecked) {
        const problem = await checkHead(db, row);
        if (problem) return problem;
        headChecked = true;
      }
      if (previous && row.seq !== previous.seq + 1) {
        // A prune that ran while we walked removes rows from the start only: go on from the new start.
        const first = await q.findFirstAuditSeq(db);
        if (first === null || first <= previous.seq) return bad(checked, previous.seq + 1, 'gap');
        previous = null;
      }
      if (previous && row.prev_hash !== previous.hash) return bad(checked, row.seq, 'broken_link');
      if (hashAuditRow(row) !== row.hash) return bad(checked, row.seq, 'hash_mismatch');
      previous = row;
      checked += 1;
    }
    if (page.length < VERIFY_PAGE) return { ok: true, checked, firstBadSeq: null, problem: null };
  }
}

export interface PruneResult {
  deleted: number;
  /** The oldest row left, or null when the log is empty. */
  firstSeq: number | null;
}

/**
 * Deletes the rows older than the retention period from the start of the chain (never from the
 * middle; the newest row always stays) and records the prune in the chain itself, so verify can
 * tell a prune from rows deleted at the start.
 */
export async function pruneAudit(db: Db, retentionDays: number, now = new Date()): Promise<PruneResult> {
  if (!Number.isInteger(retentionDays) || retentionDays < MIN_RETENTION_DAYS) {
    throw errors.invalidRequest({ retentionDays, minimum: MIN_RETENTION_DAYS });
  }
  return inTransaction(db, async (trx) => {
    // The chain is whole up to now before its start is cut; the prune record is sealed with it.
    await sealAudit(trx);
    const { deleted, firstKept } = await q.deleteAuditHead(trx, new Date(now.getTime() - retentionDays * 24 * 3600_000));
    if (deleted > 0) {
      await appendAudit(trx, {
        actor: null,
        action: PRUNE_ACTION,
        after: { retentionDays, deleted, firstSeq: firstKept },
        origin: null,
      });
      await sealAudit(trx);
    }
    return { deleted, firstSeq: firstKept };
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
  // What was just written is in the chain, and so in the list, before it is read.
  await sealAuditIfNeeded(db);
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
