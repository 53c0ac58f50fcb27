// SQL of rewards and their redemptions.
import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import { executePrepared } from '../../db/prepared.js';
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

/** The merchant's region of a reward (for the code lifetime its rules set); null: no such reward. */
export async function regionOfReward(db: Db, id: string): Promise<string | null> {
  const row = await db
    .selectFrom('rewards as w')
    .innerJoin('organisations as o', 'o.id', 'w.organisation_id')
    .select('o.region_code')
    .where('w.id', '=', id)
    .executeTakeFirst();
  return row?.region_code ?? null;
}

export interface RedeemInput {
  /** The redemption's id, chosen by the caller: its codes derive from it. */
  id: string;
  transferId: string;
  rewardId: string;
  userId: string;
  holdAccountId: string;
  tokenHash: string;
  shortCodeHash: string;
  shortCodeAttempt: number;
  idempotencyKey: string | null;
  now: Date;
  expiresAt: Date;
}

/** What the redemption statement did, or which rule stopped it (checked in this order). */
export type RedeemOutcome = 'reward_missing' | 'repeat' | 'unavailable' | 'out_of_stock' | 'insufficient' | 'created' | 'busy';

export interface RedeemResult {
  outcome: RedeemOutcome;
  balance: number;
  price: number;
  reward: { title: string; organisation_id: string; organisation_name: string } | null;
  /** The redemption made earlier with the same idempotency key ('repeat'). */
  earlier: RedemptionRow | null;
}

interface RedeemRow {
  outcome: RedeemOutcome;
  balance: number;
  price: number | null;
  title: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
  k_id: string | null;
  k_reward_id: string;
  k_reward_title: string;
  k_organisation_id: string;
  k_organisation_name: string;
  k_points: number;
  k_status: RedemptionStatus;
  k_short_code_attempt: number;
  k_expires_at: Date;
  k_confirmed_at: Date | null;
  k_created_at: Date;
}

/**
 * A whole redemption as one statement, in autocommit: it reads the reward, the worker's balance
 * and an earlier redemption with the same key; when every rule holds, takes one item from a
 * stock slot (one no one holds, or with `wait` one that may be held), writes the hold
 * transfer (worker → hold) with its entries and the worker's cached balance, and the redemption.
 * Row locks last only as long as the statement. The database keeps the rest: a concurrent spend
 * of the same points fails the balance >= 0 check (23514), a concurrent repeat of the key its
 * unique index (23505); either aborts the whole statement, and the caller runs it again.
 * 'busy': every slot with stock was held (without `wait`), or the one waited for was emptied.
 */
export async function redeemInOneStatement(db: Db, r: RedeemInput, wait: boolean): Promise<RedeemResult> {
  // Waiting, the update itself waits for the slot and re-checks its stock after the wait; a slot
  // locked in the sub-select would stay locked even when found emptied, and two statements
  // holding one such slot each while waiting for the other's would deadlock.
  const lock = wait ? sql`` : sql`for update skip locked`;
  const query = sql<RedeemRow>`
    with w as (
      select w.id, w.organisation_id, o.name as organisation_name, w.title, w.points_price,
        w.is_active and (w.valid_from is null or w.valid_from <= ${r.now}::timestamptz)
          and (w.valid_until is null or w.valid_until > ${r.now}::timestamptz) as available
      from rewards w join organisations o on o.id = w.organisation_id
      where w.id = ${r.rewardId}::uuid
    ), a as (
      select id, balance from point_accounts where user_id = ${r.userId}::uuid
    ), k as (
      select d.id, d.reward_id, rw.title as reward_title, d.organisation_id, o.name as organisation_name, d.points, d.status,
        d.short_code_attempt, d.expires_at, d.confirmed_at, d.created_at
      from redemptions d join rewards rw on rw.id = d.reward_id join organisations o on o.id = d.organisation_id
      where d.user_id = ${r.userId}::uuid and d.idempotency_key = ${r.idempotencyKey}::text
    ), go as (
      select w.id as reward_id, w.organisation_id, w.points_price, a.id as account_id from w, a
      where w.available and a.balance >= w.points_price and not exists (select 1 from k)
    ), s as (
      update reward_stock set stock = stock - 1
      where reward_id = ${r.rewardId}::uuid and stock > 0 and slot = (
        select slot from reward_stock where reward_id = ${r.rewardId}::uuid and stock > 0 and exists (select 1 from go)
        order by random() limit 1 ${lock})
      returning slot
    ), t as (
      insert into point_transfers (id, kind, source, source_id, points, actor_id)
      select ${r.transferId}::uuid, 'hold', 'redemption', ${r.id}::text, go.points_price, ${r.userId}::uuid from s, go
      returning id, points
    ), e as (
      insert into point_entries (transfer_id, account_id, amount)
      select t.id, v.account_id, v.amount
      from t, go, lateral (values (go.account_id, -t.points), (${r.holdAccountId}::uuid, t.points)) v (account_id, amount)
    ), b as (
      update point_accounts p set balance = p.balance - t.points from t, go where p.id = go.account_id
    ), d as (
      insert into redemptions (id, reward_id, organisation_id, user_id, points, token_hash, short_code_hash, short_code_attempt,
        idempotency_key, hold_transfer_id, expires_at)
      select ${r.id}::uuid, go.reward_id, go.organisation_id, ${r.userId}::uuid, t.points, ${r.tokenHash}::text, ${r.shortCodeHash}::text,
        ${r.shortCodeAttempt}::int2, ${r.idempotencyKey}::text, t.id, ${r.expiresAt}::timestamptz
      from t, go
    )
    select
      case
        when w.id is null then 'reward_missing'
        when k.id is not null then 'repeat'
        when not w.available then 'unavailable'
        when exists (select 1 from t) then 'created'
        -- Summed only when nothing was taken: the same order of checks as stock first, then points.
        when (select coalesce(sum(stock), 0) from reward_stock where reward_id = w.id) = 0 then 'out_of_stock'
        when coalesce(a.balance, 0) < w.points_price then 'insufficient'
        else 'busy'
      end as outcome,
      coalesce(a.balance, 0)::int8 as balance, w.points_price as price, w.title, w.organisation_id, w.organisation_name,
      k.id as k_id, k.reward_id as k_reward_id, k.reward_title as k_reward_title, k.organisation_id as k_organisation_id,
      k.organisation_name as k_organisation_name, k.points as k_points, k.status as k_status, k.short_code_attempt as k_short_code_attempt,
      k.expires_at as k_expires_at, k.confirmed_at as k_confirmed_at, k.created_at as k_created_at
    from (values (1)) one (x) left join w on true left join a on true left join k on true`;
  const [row] = await executePrepared(db, { compile: () => query.compile(db) }, wait ? 'redeem_wait' : 'redeem');
  if (!row) throw new Error('redemption statement returned no row');
  return {
    outcome: row.outcome,
    balance: Number(row.balance),
    price: row.price ?? 0,
    reward:
      row.title !== null && row.organisation_id !== null
        ? { title: row.title, organisation_id: row.organisation_id, organisation_name: row.organisation_name ?? '' }
        : null,
    earlier:
      row.k_id === null
        ? null
        : {
            id: row.k_id,
            reward_id: row.k_reward_id,
            reward_title: row.k_reward_title,
            organisation_id: row.k_organisation_id,
            organisation_name: row.k_organisation_name,
            user_id: r.userId,
            points: row.k_points,
            status: row.k_status,
            short_code_attempt: row.k_short_code_attempt,
            expires_at: row.k_expires_at,
            confirmed_at: row.k_confirmed_at,
            created_at: row.k_created_at,
          },
  };
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
