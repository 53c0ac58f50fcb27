// SQL of the points ledger and its rules.
import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { PointAccountKind, PointRuleTable, TransferKind } from './tables.js';

export async function platformAccountId(db: Db, kind: Extract<PointAccountKind, 'issuing' | 'hold' | 'expiry'>): Promise<string> {
  const row = await db.selectFrom('point_accounts').select('id').where('kind', '=', kind).executeTakeFirstOrThrow();
  return row.id;
}

export interface LockedAccount {
  id: string;
  balance: number;
}

/** The worker's account, created on first use, locked for the rest of the transaction. */
export async function lockWorkerAccount(trx: Db, userId: string): Promise<LockedAccount> {
  const found = await selectForUpdate(trx, 'user_id', userId);
  if (found) return found;
  await trx
    .insertInto('point_accounts')
    .values({ kind: 'worker', user_id: userId, balance: 0 })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  const made = await selectForUpdate(trx, 'user_id', userId);
  if (!made) throw new Error('point account vanished');
  return made;
}

/** The merchant organisation's account, created on first use, locked. */
export async function lockMerchantAccount(trx: Db, organisationId: string): Promise<LockedAccount> {
  const found = await selectForUpdate(trx, 'organisation_id', organisationId);
  if (found) return found;
  await trx
    .insertInto('point_accounts')
    .values({ kind: 'merchant', organisation_id: organisationId, balance: 0 })
    .onConflict((oc) => oc.column('organisation_id').doNothing())
    .execute();
  const made = await selectForUpdate(trx, 'organisation_id', organisationId);
  if (!made) throw new Error('point account vanished');
  return made;
}

async function selectForUpdate(trx: Db, column: 'user_id' | 'organisation_id', value: string): Promise<LockedAccount | null> {
  const row = await trx.selectFrom('point_accounts').select(['id', 'balance']).where(column, '=', value).forUpdate().executeTakeFirst();
  return row ? { id: row.id, balance: Number(row.balance ?? 0) } : null;
}

export async function findAccountOfUser(db: Db, userId: string): Promise<LockedAccount | null> {
  const row = await db.selectFrom('point_accounts').select(['id', 'balance']).where('user_id', '=', userId).executeTakeFirst();
  return row ? { id: row.id, balance: Number(row.balance ?? 0) } : null;
}

export async function findAccountOfOrganisation(db: Db, organisationId: string): Promise<LockedAccount | null> {
  const row = await db.selectFrom('point_accounts').select(['id', 'balance']).where('organisation_id', '=', organisationId).executeTakeFirst();
  return row ? { id: row.id, balance: Number(row.balance ?? 0) } : null;
}

export async function findAwardBySource(trx: Db, source: string, sourceId: string): Promise<{ id: string; points: number } | null> {
  const row = await trx
    .selectFrom('point_transfers')
    .select(['id', 'points'])
    .where('kind', '=', 'award')
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  return row ?? null;
}

/** Points awarded to the account since a moment (for the monthly cap). */
export async function awardedSince(trx: Db, accountId: string, since: Date): Promise<number> {
  const row = await sql<{ total: number }>`
    select coalesce(sum(e.amount), 0)::int8 as total
    from point_entries e join point_transfers t on t.id = e.transfer_id
    where e.account_id = ${accountId} and t.kind = 'award' and e.created_at >= ${since}`.execute(trx);
  return Number(row.rows[0]?.total ?? 0);
}

export async function userStatus(trx: Db, userId: string): Promise<string | null> {
  const row = await trx.selectFrom('users').select('status').where('id', '=', userId).executeTakeFirst();
  return row?.status ?? null;
}

export type RuleRow = Omit<PointRuleTable, 'updated_at'> & { updated_at: Date; region_path: string };

/** The rules of the nearest city or district at or above the region. */
export async function findRulesFor(db: Db, regionCode: string): Promise<RuleRow | null> {
  const row = await sql<RuleRow>`
    select pr.*, rr.path::text as region_path
    from regions r
    join regions rr on rr.path @> r.path
    join point_rules pr on pr.region_code = rr.code
    where r.code = ${regionCode}
    order by nlevel(rr.path) desc
    limit 1`.execute(db);
  return row.rows[0] ?? null;
}

export async function upsertRules(db: Db, row: Omit<PointRuleTable, 'updated_at'>): Promise<void> {
  const { region_code: _code, ...rest } = row;
  await db
    .insertInto('point_rules')
    .values({ ...row, updated_at: new Date() })
    .onConflict((oc) => oc.column('region_code').doUpdateSet({ ...rest, updated_at: new Date() }))
    .execute();
}

export async function findOwnRules(db: Db, regionCode: string) {
  return db.selectFrom('point_rules').selectAll().where('region_code', '=', regionCode).executeTakeFirst();
}

/** Lots (credits that expire) of an account, oldest first, with the account's other movements summed. */
export async function lotsOf(db: Db, accountId: string): Promise<{ lots: { amount: number; created_at: Date; expires_at: Date }[]; otherSum: number }> {
  const lots = await db
    .selectFrom('point_entries')
    .select(['amount', 'created_at', 'expires_at'])
    .where('account_id', '=', accountId)
    .where('expires_at', 'is not', null)
    .orderBy('id')
    .execute();
  const other = await sql<{ total: number }>`
    select coalesce(sum(amount), 0)::int8 as total from point_entries where account_id = ${accountId} and expires_at is null`.execute(db);
  return {
    lots: lots.map((l) => ({ amount: l.amount, created_at: l.created_at, expires_at: l.expires_at as Date })),
    otherSum: Number(other.rows[0]?.total ?? 0),
  };
}

/** Worker accounts holding a lot that has expired (candidates for the expiry job). */
export async function accountsWithExpiredLots(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await sql<{ account_id: string }>`
    select distinct e.account_id from point_entries e
    join point_accounts a on a.id = e.account_id
    where e.expires_at is not null and e.expires_at <= ${now} and a.balance > 0
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.account_id);
}

export async function lockAccountById(trx: Db, accountId: string): Promise<LockedAccount | null> {
  const row = await trx.selectFrom('point_accounts').select(['id', 'balance']).where('id', '=', accountId).forUpdate().executeTakeFirst();
  return row ? { id: row.id, balance: Number(row.balance ?? 0) } : null;
}

export interface HistoryRow {
  id: number;
  transfer_id: string;
  kind: TransferKind;
  source: string | null;
  source_id: string | null;
  amount: number;
  note: string | null;
  expires_at: Date | null;
  created_at: Date;
}

/** An account's entries, newest first, keyset-paged by entry id. */
export async function historyOf(db: Db, accountId: string, before: number | null, limit: number): Promise<HistoryRow[]> {
  let query = db
    .selectFrom('point_entries as e')
    .innerJoin('point_transfers as t', 't.id', 'e.transfer_id')
    .select(['e.id', 'e.transfer_id', 't.kind', 't.source', 't.source_id', 'e.amount', 't.note', 'e.expires_at', 'e.created_at'])
    .where('e.account_id', '=', accountId);
  if (before !== null) query = query.where('e.id', '<', before);
  const rows = await query.orderBy('e.id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}
