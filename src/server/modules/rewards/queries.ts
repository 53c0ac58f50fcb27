// SQL of rewards and their redemptions.
import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { RedemptionStatus, RewardTable } from './tables.js';

export interface RewardRow {
  id: string;
  organisation_id: string;
  organisation_name: string;
  region_code: string;
  region_path: string;
  title: string;
  description: string;
  points_price: number;
  stock: number;
  valid_from: Date | null;
  valid_until: Date | null;
  is_active: boolean;
  created_at: Date;
  updated_at: Date;
}

function rewards(db: Db) {
  return db
    .selectFrom('rewards as w')
    .innerJoin('organisations as o', 'o.id', 'w.organisation_id')
    .select([
      'w.id',
      'w.organisation_id',
      'o.name as organisation_name',
      'o.region_code',
      sql<string>`w.region_path::text`.as('region_path'),
      'w.title',
      'w.description',
      'w.points_price',
      sql<number>`(select coalesce(sum(s.stock), 0)::int8 from reward_stock s where s.reward_id = w.id)`.as('stock'),
      'w.valid_from',
      'w.valid_until',
      'w.is_active',
      'w.created_at',
      'w.updated_at',
    ]);
}

export async function findReward(db: Db, id: string): Promise<RewardRow | null> {
  return (await rewards(db).where('w.id', '=', id).executeTakeFirst()) ?? null;
}

/** Rewards a worker can redeem now: active, in stock, inside their dates; cheapest first. */
export async function findAvailableRewards(db: Db, now: Date, limit: number): Promise<RewardRow[]> {
  return rewards(db)
    .where('w.is_active', '=', true)
    .where(sql<boolean>`exists (select 1 from reward_stock s where s.reward_id = w.id and s.stock > 0)`)
    .where((eb) => eb.or([eb('w.valid_from', 'is', null), eb('w.valid_from', '<=', now)]))
    .where((eb) => eb.or([eb('w.valid_until', 'is', null), eb('w.valid_until', '>', now)]))
    .orderBy('w.points_price')
    .orderBy('w.id')
    .limit(limit)
    .execute();
}

export async function findRewardsOf(db: Db, organisationIds: string[]): Promise<RewardRow[]> {
  if (organisationIds.length === 0) return [];
  return rewards(db).where('w.organisation_id', 'in', organisationIds).orderBy('w.created_at', 'desc').limit(500).execute();
}

/** Slots a stock is spread over (see the migration): about as many as redemptions run at once. */
const STOCK_SLOTS = 16;

export async function insertReward(
  db: Db,
  row: Omit<RewardTable, 'id' | 'created_at' | 'updated_at' | 'is_active' | 'is_demo'> & { is_active: boolean; is_demo?: boolean; stock: number },
): Promise<string> {
  const { stock, ...fields } = row;
  const made = await db
    .insertInto('rewards')
    .values({ ...fields, region_path: sql`${row.region_path}::ltree` as unknown as string })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setStock(db, made.id, stock);
  return made.id;
}

/** Sets the stock, spread evenly over the slots; the caller holds the reward's row lock. */
export async function setStock(trx: Db, rewardId: string, stock: number): Promise<void> {
  // Waits for redemptions holding a slot, so none of their takings is overwritten.
  await trx.selectFrom('reward_stock').select('slot').where('reward_id', '=', rewardId).forUpdate().execute();
  await trx.deleteFrom('reward_stock').where('reward_id', '=', rewardId).execute();
  const slots = Math.max(1, Math.min(STOCK_SLOTS, stock));
  await trx
    .insertInto('reward_stock')
    .values(
      Array.from({ length: slots }, (_, slot) => ({
        reward_id: rewardId,
        slot,
        stock: Math.floor(stock / slots) + (slot < stock % slots ? 1 : 0),
      })),
    )
    .execute();
}

export async function updateReward(
  db: Db,
  id: string,
  row: Pick<RewardTable, 'title' | 'description' | 'points_price' | 'valid_from' | 'valid_until'> & { is_active: boolean; stock: number },
): Promise<void> {
  const { stock, ...fields } = row;
  await db
    .updateTable('rewards')
    .set({ ...fields, updated_at: sql`now()` as unknown as Date })
    .where('id', '=', id)
    .execute();
  await setStock(db, id, stock);
}

/**
 * Takes one item off the stock; false when sold out. First from a slot nobody holds; when every
 * slot with stock is held, waits for one (the guarded update re-reads it after the wait) unless
 * the committed stock is gone.
 */
export async function takeOneFromStock(trx: Db, id: string): Promise<boolean> {
  for (let round = 0; round < 100; round += 1) {
    const free = await sql<{ slot: number }>`
      update reward_stock set stock = stock - 1
      where reward_id = ${id} and slot = (
        select slot from reward_stock where reward_id = ${id} and stock > 0
        order by random() limit 1 for update skip locked)
      returning slot`.execute(trx);
    if (free.rows.length === 1) return true;
    const left = await sql<{ n: number }>`select coalesce(sum(stock), 0)::int8 as n from reward_stock where reward_id = ${id}`.execute(trx);
    if (Number(left.rows[0]?.n ?? 0) === 0) return false;
    const waited = await sql<{ slot: number }>`
      update reward_stock set stock = stock - 1
      where reward_id = ${id} and slot = (select slot from reward_stock where reward_id = ${id} and stock > 0 limit 1) and stock > 0
      returning slot`.execute(trx);
    if (waited.rows.length === 1) return true;
  }
  return false;
}

/**
 * The common case of a redemption in one statement (one round trip while the slot is held):
 * one item from a stock slot nobody holds, the hold transfer (worker → hold) with its two
 * entries and the worker's cached balance, and the redemption. False, with nothing written,
 * when no free slot has stock; the caller then takes the patient way.
 */
export async function holdFromFreeSlot(
  trx: Db,
  r: {
    id: string;
    reward_id: string;
    organisation_id: string;
    user_id: string;
    points: number;
    token_hash: string;
    short_code_hash: string;
    short_code_attempt: number;
    idempotency_key: string | null;
    expires_at: Date;
    worker_account_id: string;
    hold_account_id: string;
  },
): Promise<boolean> {
  const result = await sql<{ id: string }>`
    with s as (
      update reward_stock set stock = stock - 1
      where reward_id = ${r.reward_id} and slot = (
        select slot from reward_stock where reward_id = ${r.reward_id} and stock > 0
        order by random() limit 1 for update skip locked)
      returning slot
    ), t as (
      insert into point_transfers (kind, source, source_id, points, actor_id)
      select 'hold', 'redemption', ${r.id}, ${r.points}, ${r.user_id}::uuid where exists (select 1 from s)
      returning id
    ), e as (
      insert into point_entries (transfer_id, account_id, amount)
      select t.id, v.account_id, v.amount
      from t, (values (${r.worker_account_id}::uuid, ${-r.points}::int), (${r.hold_account_id}::uuid, ${r.points}::int)) v (account_id, amount)
    ), b as (
      update point_accounts set balance = balance - ${r.points} where id = ${r.worker_account_id} and exists (select 1 from t)
    ), d as (
      insert into redemptions (id, reward_id, organisation_id, user_id, points, token_hash, short_code_hash, short_code_attempt,
        idempotency_key, hold_transfer_id, expires_at)
      select ${r.id}::uuid, ${r.reward_id}::uuid, ${r.organisation_id}::uuid, ${r.user_id}::uuid, ${r.points}, ${r.token_hash}, ${r.short_code_hash},
        ${r.short_code_attempt}, ${r.idempotency_key}, t.id, ${r.expires_at}::timestamptz
      from t
    )
    select id from t`.execute(trx);
  return result.rows.length === 1;
}

export async function returnOneToStock(trx: Db, id: string): Promise<void> {
  await sql`update reward_stock set stock = stock + 1 where reward_id = ${id} and slot = 0`.execute(trx);
}

export interface RedemptionRow {
  id: string;
  reward_id: string;
  reward_title: string;
  organisation_id: string;
  organisation_name: string;
  user_id: string;
  points: number;
  status: RedemptionStatus;
  short_code_attempt: number;
  expires_at: Date;
  confirmed_at: Date | null;
  created_at: Date;
}

function redemptions(db: Db) {
  return db
    .selectFrom('redemptions as d')
    .innerJoin('rewards as w', 'w.id', 'd.reward_id')
    .innerJoin('organisations as o', 'o.id', 'd.organisation_id')
    .select([
      'd.id',
      'd.reward_id',
      'w.title as reward_title',
      'd.organisation_id',
      'o.name as organisation_name',
      'd.user_id',
      'd.points',
      'd.status',
      'd.short_code_attempt',
      'd.expires_at',
      'd.confirmed_at',
      'd.created_at',
    ]);
}

export async function findRedemption(db: Db, id: string): Promise<RedemptionRow | null> {
  return (await redemptions(db).where('d.id', '=', id).executeTakeFirst()) ?? null;
}

export async function findRedemptionByKey(db: Db, userId: string, key: string): Promise<RedemptionRow | null> {
  return (await redemptions(db).where('d.user_id', '=', userId).where('d.idempotency_key', '=', key).executeTakeFirst()) ?? null;
}

export async function findRedemptionsOfUser(db: Db, userId: string, limit: number): Promise<RedemptionRow[]> {
  return redemptions(db).where('d.user_id', '=', userId).orderBy('d.created_at', 'desc').limit(limit).execute();
}

export async function findRedemptionsOfOrganisations(
  db: Db,
  organisationIds: string[],
  status: RedemptionStatus | null,
  limit: number,
): Promise<RedemptionRow[]> {
  if (organisationIds.length === 0) return [];
  let query = redemptions(db).where('d.organisation_id', 'in', organisationIds);
  if (status) query = query.where('d.status', '=', status);
  return query.orderBy('d.created_at', 'desc').limit(limit).execute();
}

/** A redemption of one of these merchants by the hash of its QR token or 8-digit code (latest first). */
export async function findByCodeHash(
  trx: Db,
  column: 'token_hash' | 'short_code_hash',
  hash: string,
  organisationIds: string[],
): Promise<{ id: string; status: RedemptionStatus } | null> {
  if (organisationIds.length === 0) return null;
  const row = await trx
    .selectFrom('redemptions')
    .select(['id', 'status'])
    .where(column, '=', hash)
    .where('organisation_id', 'in', organisationIds)
    // A pending one first: an 8-digit code may have been used before by an older redemption.
    .orderBy(sql`status = 'pending'`, 'desc')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}

export async function lockRedemption(trx: Db, id: string, skipLocked = false) {
  let query = trx.selectFrom('redemptions').selectAll().where('id', '=', id).forUpdate();
  if (skipLocked) query = query.skipLocked();
  return query.executeTakeFirst();
}

export async function duePendingRedemptions(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('redemptions')
    .select('id')
    .where('status', '=', 'pending')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

export interface StatementRow {
  day: string;
  reward_id: string;
  reward_title: string;
  redemptions: number;
  points: number;
}

/** Points received per day (Beijing time) and reward, over [from, to). */
export async function statement(db: Db, organisationIds: string[], from: Date, to: Date): Promise<StatementRow[]> {
  if (organisationIds.length === 0) return [];
  const rows = await sql<StatementRow>`
    select to_char((d.confirmed_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD') as day, d.reward_id, w.title as reward_title,
      count(*)::int8 as redemptions, sum(d.points)::int8 as points
    from redemptions d join rewards w on w.id = d.reward_id
    where d.status = 'confirmed' and d.organisation_id in (${sql.join(organisationIds)})
      and d.confirmed_at >= ${from} and d.confirmed_at < ${to}
    group by 1, 2, 3 order by 1, 3`.execute(db);
  return rows.rows.map((r) => ({ ...r, redemptions: Number(r.redemptions), points: Number(r.points) }));
}
