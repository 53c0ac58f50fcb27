// The double-entry ledger. Every movement is a transfer whose entries sum to zero; a balance is
// the sum of an account's entries. Worker and merchant accounts also cache that sum on their
// row, changed only with the entries, in the same statement: here, and in the redemption
// statement (rewards/queries.ts redeemInOneStatement). checkLedger proves cache = sum.
import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { TransferKind } from './tables.js';

export interface EntryInput {
  accountId: string;
  amount: number;
  /** For a credit that starts a lot: when it expires. */
  expiresAt?: Date | null;
}

export interface TransferInput {
  kind: TransferKind;
  source?: string | null;
  sourceId?: string | null;
  points: number;
  regionCode?: string | null;
  actorId?: string | null;
  note?: string | null;
}

/**
 * Writes a transfer and its entries and moves the cached balances. The caller holds the row
 * locks of the worker/merchant accounts whose balance it checked; the balance >= 0 constraint
 * is the last line against an overdraft. An award whose (source, sourceId) is already recorded
 * (by a transaction that committed meanwhile) writes nothing and returns null.
 */
export async function postTransfer(trx: Db, transfer: TransferInput, entries: EntryInput[]): Promise<string | null> {
  const live = entries.filter((e) => e.amount !== 0);
  if (live.reduce((sum, e) => sum + e.amount, 0) !== 0) throw new Error('ledger: entries of a transfer must sum to zero');
  const once = transfer.kind === 'award' ? sql`on conflict (source, source_id) where kind = 'award' do nothing` : sql``;
  const head = sql`insert into point_transfers (kind, source, source_id, points, region_code, actor_id, note)
    values (${transfer.kind}, ${transfer.source ?? null}, ${transfer.sourceId ?? null}, ${transfer.points}, ${transfer.regionCode ?? null},
      ${transfer.actorId ?? null}, ${transfer.note ?? null})
    ${once}
    returning id`;
  if (live.length === 0) return (await sql<{ id: string }>`${head}`.execute(trx)).rows[0]?.id ?? null;
  // One statement: the transfer, its entries and the cached balances (one round trip under the locks).
  const values = sql.join(live.map((e) => sql`(${e.accountId}::uuid, ${e.amount}::int, ${e.expiresAt ?? null}::timestamptz)`));
  const result = await sql<{ id: string }>`
    with t as (${head}),
    v (account_id, amount, expires_at) as (values ${values}),
    e as (insert into point_entries (transfer_id, account_id, amount, expires_at) select t.id, v.account_id, v.amount, v.expires_at from t, v),
    b as (update point_accounts a set balance = a.balance + v.amount from v
          where a.id = v.account_id and a.balance is not null and exists (select 1 from t))
    select id from t`.execute(trx);
  return result.rows[0]?.id ?? null;
}

/** postTransfer for movements that cannot clash (everything but awards). */
export async function postMovement(trx: Db, transfer: TransferInput, entries: EntryInput[]): Promise<string> {
  const id = await postTransfer(trx, transfer, entries);
  if (!id) throw new Error('ledger: transfer not written');
  return id;
}

export interface LedgerCheck {
  /** Sum over all entries: zero when every transfer balances. */
  total: number;
  /** Transfers whose entries do not sum to zero. */
  unbalancedTransfers: number;
  /** Accounts whose cached balance differs from the sum of their entries. */
  cacheMismatches: { accountId: string; cached: number; sum: number }[];
}

/** Rebuilds every balance from the entries and compares it with the cached one. */
export async function checkLedger(db: Db): Promise<LedgerCheck> {
  const total = await sql<{ total: number }>`select coalesce(sum(amount), 0)::int8 as total from point_entries`.execute(db);
  const unbalanced = await sql<{ n: number }>`
    select count(*)::int8 as n from (
      select transfer_id from point_entries group by transfer_id having sum(amount) <> 0
    ) t`.execute(db);
  const mismatches = await sql<{ account_id: string; cached: number; sum: number }>`
    select a.id as account_id, a.balance as cached, coalesce(s.sum, 0)::int8 as sum
    from point_accounts a
    left join (select account_id, sum(amount) as sum from point_entries group by account_id) s on s.account_id = a.id
    where a.balance is not null and a.balance <> coalesce(s.sum, 0)`.execute(db);
  return {
    total: Number(total.rows[0]?.total ?? 0),
    unbalancedTransfers: Number(unbalanced.rows[0]?.n ?? 0),
    cacheMismatches: mismatches.rows.map((r) => ({ accountId: r.account_id, cached: Number(r.cached), sum: Number(r.sum) })),
  };
}
