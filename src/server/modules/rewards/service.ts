// Rewards at merchants (爱心商户): merchants list them, workers redeem them with points, the
// merchant confirms a redemption by its one-time code. A redemption is one statement: no
// overdraft (the balance >= 0 check on the worker's account refuses a concurrent spend), no
// overselling (an item is taken from one of the stock's slots with a guarded update), one
// redemption per idempotency key (its unique index); no code used twice (the redemption row is
// locked and its state checked on confirmation).
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext, Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { requireActor, scopeCovers, type Actor } from '../identity/access.js';
import { hitRateLimits } from '../limits/service.js';
import { pointErrors } from '../points/errors.js';
import { postMovement } from '../points/ledger.js';
import * as pq from '../points/queries.js';
import { effectiveRules } from '../points/rules.js';
import { parseCode, shortCodeHash, shortCodeOf, tokenHash, tokenOf } from './codes.js';
import * as q from './queries.js';
import type { RedemptionStatus } from './tables.js';

// ---- who is a merchant ------------------------------------------------------------------------

/**
 * The merchant organisations the actor works for: a merchant grant naming the organisation, at
 * a region that covers the organisation's region, for an organisation of kind merchant.
 */
export async function merchantOrganisations(db: Db, actor: Actor): Promise<string[]> {
  const grants = actor.grants.filter((g) => g.role === 'merchant' && g.organisationId);
  if (grants.length === 0) return [];
  const orgs = await db
    .selectFrom('organisations')
    .select(['id', 'region_path'])
    .where('id', 'in', grants.map((g) => g.organisationId as string))
    .where('kind', '=', 'merchant')
    .execute();
  return orgs.filter((o) => grants.some((g) => g.organisationId === o.id && scopeCovers(g.scope, o.region_path))).map((o) => o.id);
}

async function requireMerchant(db: Db, actor: Actor | null): Promise<{ me: Actor; orgs: string[] }> {
  const me = requireActor(actor);
  const orgs = await merchantOrganisations(db, me);
  // Plain 'forbidden', as for any other role a caller lacks.
  if (orgs.length === 0) throw errors.forbidden();
  return { me, orgs };
}

// ---- rewards ----------------------------------------------------------------------------------

export interface RewardInput {
  organisationId?: string;
  title: string;
  description?: string;
  pointsPrice: number;
  stock: number;
  validFrom?: string | null;
  validUntil?: string | null;
  active?: boolean;
}

function checkReward(input: RewardInput) {
  const validFrom = input.validFrom ? new Date(input.validFrom) : null;
  const validUntil = input.validUntil ? new Date(input.validUntil) : null;
  const bad =
    !Number.isInteger(input.pointsPrice) ||
    input.pointsPrice <= 0 ||
    !Number.isInteger(input.stock) ||
    input.stock < 0 ||
    input.title.trim().length === 0 ||
    (validFrom && Number.isNaN(validFrom.getTime())) ||
    (validUntil && Number.isNaN(validUntil.getTime())) ||
    (validFrom && validUntil && validUntil <= validFrom);
  if (bad) throw pointErrors.rewardInvalid();
  return {
    title: input.title.trim(),
    description: (input.description ?? '').trim(),
    points_price: input.pointsPrice,
    stock: input.stock,
    valid_from: validFrom,
    valid_until: validUntil,
    is_active: input.active ?? true,
  };
}

export async function createReward(db: Db, actor: Actor | null, input: RewardInput, origin: Origin): Promise<q.RewardRow> {
  const { me, orgs } = await requireMerchant(db, actor);
  const organisationId = input.organisationId ?? (orgs.length === 1 ? orgs[0] : undefined);
  if (!organisationId || !orgs.includes(organisationId)) throw errors.forbidden({ organisationId: input.organisationId ?? null });
  const row = checkReward(input);
  return db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom('organisations').select(['region_path', 'district_code']).where('id', '=', organisationId).executeTakeFirstOrThrow();
    const id = await q.insertReward(trx, { ...row, organisation_id: organisationId, region_path: org.region_path });
    await appendAudit(trx, {
      actor: me,
      action: 'reward.create',
      target: { type: 'reward', id, regionPath: org.region_path, districtCode: org.district_code },
      after: row,
      origin,
    });
    return (await q.findReward(trx, id)) as q.RewardRow;
  });
}

export async function updateReward(db: Db, actor: Actor | null, id: string, input: RewardInput, origin: Origin): Promise<q.RewardRow> {
  const { me, orgs } = await requireMerchant(db, actor);
  const row = checkReward(input);
  return db.transaction().execute(async (trx) => {
    // Locked, so the stock set here is not overwritten by a redemption in between (and vice versa).
    const locked = await trx.selectFrom('rewards').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    const before = locked ? await q.findReward(trx, id) : null;
    if (!before || !orgs.includes(before.organisation_id)) throw pointErrors.rewardNotFound({ id });
    await q.updateReward(trx, id, row);
    await appendAudit(trx, {
      actor: me,
      action: 'reward.update',
      target: { type: 'reward', id, regionPath: before.region_path },
      before: { title: before.title, points_price: before.points_price, stock: before.stock, is_active: before.is_active },
      after: row,
      origin,
    });
    return (await q.findReward(trx, id)) as q.RewardRow;
  });
}

export async function browseRewards(db: Db, actor: Actor | null, limit: number): Promise<q.RewardRow[]> {
  requireActor(actor);
  return q.findAvailableRewards(db, new Date(), limit);
}

function isAvailable(reward: q.RewardRow, now: Date): boolean {
  return reward.is_active && (!reward.valid_from || reward.valid_from <= now) && (!reward.valid_until || reward.valid_until > now);
}

/** A reward: anyone signed in sees an available one; its merchant sees it always. */
export async function getReward(db: Db, actor: Actor | null, id: string): Promise<q.RewardRow> {
  const me = requireActor(actor);
  const reward = await q.findReward(db, id);
  if (!reward) throw pointErrors.rewardNotFound({ id });
  if (!isAvailable(reward, new Date())) {
    const orgs = await merchantOrganisations(db, me);
    if (!orgs.includes(reward.organisation_id)) throw pointErrors.rewardNotFound({ id });
  }
  return reward;
}

export async function myMerchantRewards(db: Db, actor: Actor | null): Promise<q.RewardRow[]> {
  const { orgs } = await requireMerchant(db, actor);
  return q.findRewardsOf(db, orgs);
}

// ---- redemptions ------------------------------------------------------------------------------

export interface IssuedRedemption extends q.RedemptionRow {
  /** Shown to its worker while it waits to be scanned. */
  codes: { token: string; shortCode: string } | null;
}

function withCodes(ctx: AppContext, row: q.RedemptionRow, owner: boolean): IssuedRedemption {
  const show = owner && row.status === 'pending';
  return { ...row, codes: show ? { token: tokenOf(ctx.crypto, row.id), shortCode: shortCodeOf(ctx.crypto, row.id, row.short_code_attempt) } : null };
}

const platformIds = new WeakMap<object, Map<string, string>>();
/** The platform's accounts never change; looked up once per database. */
async function platformAccount(ctx: AppContext, trx: Db, kind: 'hold' | 'issuing' | 'expiry'): Promise<string> {
  let known = platformIds.get(ctx.db);
  if (!known) platformIds.set(ctx.db, (known = new Map()));
  const cached = known.get(kind);
  if (cached) return cached;
  const id = await pq.platformAccountId(trx, kind);
  known.set(kind, id);
  return id;
}

const ttlCache = new WeakMap<object, Map<string, { minutes: Promise<number | null>; until: number }>>();
/**
 * The code lifetime set by the rules of the reward's merchant region; rules change rarely, so it
 * is kept for 10 seconds (one look-up however many redemptions start at once). Null: no such reward.
 */
async function codeTtlOfReward(ctx: AppContext, rewardId: string): Promise<number | null> {
  let known = ttlCache.get(ctx.db);
  if (!known) ttlCache.set(ctx.db, (known = new Map()));
  const hit = known.get(rewardId);
  if (hit && hit.until > Date.now()) return hit.minutes;
  if (known.size >= 10_000) known.clear();
  const minutes = (async () => {
    const regionCode = await q.regionOfReward(ctx.db, rewardId);
    return regionCode === null ? null : (await effectiveRules(ctx.db, regionCode)).rules.codeTtlMinutes;
  })();
  const entry = { minutes, until: Date.now() + 10_000 };
  known.set(rewardId, entry);
  // A failed or empty look-up is not kept.
  const forget = () => known.get(rewardId) === entry && known.delete(rewardId);
  const found = await minutes.catch((error: unknown) => {
    forget();
    throw error;
  });
  if (found === null) forget();
  return found;
}

const sqlStateOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null ? (error as { code?: string }).code : undefined;

/** Two submits with one key at the same moment, a clash of 8-digit codes, or a deadlock. */
const isRetryable = (error: unknown) => sqlStateOf(error) === '23505' || sqlStateOf(error) === '40P01';

/** A concurrent spend took the points first: the balance >= 0 check of the worker's account. */
const isOverdraft = (error: unknown) =>
  sqlStateOf(error) === '23514' && (error as { constraint?: string }).constraint === 'point_accounts_balance_check';

/**
 * Redeems a reward: the price moves from the worker's account to the hold account, one item
 * leaves the stock, and a one-time code is issued. With an idempotency key a repeat returns the
 * first redemption (created: false). One statement in autocommit (see redeemInOneStatement);
 * when the database refuses it (a race on the key, the points or a code), it runs again and
 * then sees what won.
 */
export async function redeem(
  ctx: AppContext,
  actor: Actor | null,
  rewardId: string,
  idempotencyKey: string | null,
): Promise<{ created: boolean; redemption: IssuedRedemption }> {
  const me = requireActor(actor);
  if (idempotencyKey !== null && !/^[A-Za-z0-9_.:-]{8,100}$/.test(idempotencyKey)) throw pointErrors.idempotencyKeyInvalid();
  const codeTtlMinutes = await codeTtlOfReward(ctx, rewardId);
  if (codeTtlMinutes === null) throw pointErrors.rewardNotFound({ id: rewardId });
  const hold = await platformAccount(ctx, ctx.db, 'hold');
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await redeemOnce(ctx, me, rewardId, idempotencyKey, codeTtlMinutes, hold);
    } catch (error) {
      if ((isRetryable(error) || isOverdraft(error)) && attempt < 5) continue;
      if (isOverdraft(error)) throw pointErrors.insufficientPoints();
      throw error;
    }
  }
}

async function redeemOnce(
  ctx: AppContext,
  me: Actor,
  rewardId: string,
  idempotencyKey: string | null,
  codeTtlMinutes: number,
  hold: string,
): Promise<{ created: boolean; redemption: IssuedRedemption }> {
  const now = new Date();
  const id = randomUUID();
  // A clash with a pending 8-digit code (rare: 10^8 codes) fails the unique index; redeem() retries with a new id.
  const codeAttempt = 0;
  const token = tokenOf(ctx.crypto, id);
  const shortCode = shortCodeOf(ctx.crypto, id, codeAttempt);
  const input: q.RedeemInput = {
    id,
    transferId: randomUUID(),
    rewardId,
    userId: me.userId,
    holdAccountId: hold,
    tokenHash: tokenHash(ctx.crypto, token),
    shortCodeHash: shortCodeHash(ctx.crypto, shortCode),
    shortCodeAttempt: codeAttempt,
    idempotencyKey,
    now,
    expiresAt: new Date(now.getTime() + codeTtlMinutes * 60_000),
  };
  // Usually once: an item from a stock slot nobody holds. When every slot with stock is held by
  // a redemption in flight, the patient way waits for one (and sees it emptied, or the sell-out).
  let result = await q.redeemInOneStatement(ctx.db, input, false);
  for (let round = 0; result.outcome === 'busy' && round < 100; round += 1) result = await q.redeemInOneStatement(ctx.db, input, true);
  switch (result.outcome) {
    case 'reward_missing':
      throw pointErrors.rewardNotFound({ id: rewardId });
    case 'repeat': {
      const earlier = result.earlier as q.RedemptionRow;
      if (earlier.reward_id !== rewardId) throw errors.conflict({ idempotencyKey: 'used for another reward' });
      return { created: false, redemption: withCodes(ctx, earlier, true) };
    }
    case 'unavailable':
      throw pointErrors.rewardUnavailable({ id: rewardId });
    case 'out_of_stock':
    case 'busy':
      throw pointErrors.outOfStock({ id: rewardId });
    case 'insufficient':
      throw pointErrors.insufficientPoints({ balance: result.balance, needed: result.price });
    case 'created':
      break;
  }
  const reward = result.reward as NonNullable<q.RedeemResult['reward']>;
  const row: q.RedemptionRow = {
    id,
    reward_id: rewardId,
    reward_title: reward.title,
    organisation_id: reward.organisation_id,
    organisation_name: reward.organisation_name,
    user_id: me.userId,
    points: result.price,
    status: 'pending',
    short_code_attempt: codeAttempt,
    expires_at: input.expiresAt,
    confirmed_at: null,
    created_at: now,
  };
  return { created: true, redemption: { ...row, codes: { token, shortCode } } };
}

export async function myRedemptions(ctx: AppContext, actor: Actor | null, limit: number): Promise<IssuedRedemption[]> {
  const me = requireActor(actor);
  const rows = await q.findRedemptionsOfUser(ctx.db, me.userId, limit);
  return rows.map((r) => withCodes(ctx, r, true));
}

/** The merchant confirms a redemption by the code the worker shows: exactly once. */
export async function confirmRedemption(ctx: AppContext, actor: Actor | null, code: string, origin: Origin): Promise<q.RedemptionRow> {
  const { me, orgs } = await requireMerchant(ctx.db, actor);
  // Guessing 8-digit codes is slowed down to a crawl.
  await hitRateLimits(ctx.db, [{ key: `redemption-confirm:user:${me.userId}`, max: 300, windowSeconds: 600 }]);
  const parsed = parseCode(code);
  if (!parsed) throw pointErrors.codeNotFound();
  const found =
    parsed.kind === 'short'
      ? await q.findByCodeHash(ctx.db, 'short_code_hash', shortCodeHash(ctx.crypto, parsed.code), orgs)
      : await q.findByCodeHash(ctx.db, 'token_hash', tokenHash(ctx.crypto, parsed.token), orgs);
  if (!found) throw pointErrors.codeNotFound();
  return ctx.db.transaction().execute(async (trx) => {
    const locked = await q.lockRedemption(trx, found.id);
    if (!locked) throw pointErrors.codeNotFound();
    if (locked.status === 'confirmed') throw pointErrors.codeUsed({ confirmedAt: locked.confirmed_at });
    if (locked.status === 'expired' || locked.expires_at <= new Date()) throw pointErrors.codeExpired({ expiresAt: locked.expires_at });
    const merchant = await pq.lockMerchantAccount(trx, locked.organisation_id);
    const hold = await platformAccount(ctx, trx, 'hold');
    const settle = await postMovement(
      trx,
      { kind: 'spend', source: 'redemption', sourceId: locked.id, points: locked.points, actorId: me.userId },
      [
        { accountId: hold, amount: -locked.points },
        { accountId: merchant.id, amount: locked.points },
      ],
    );
    await trx
      .updateTable('redemptions')
      .set({ status: 'confirmed', settle_transfer_id: settle, confirmed_at: new Date(), confirmed_by: me.userId })
      .where('id', '=', locked.id)
      .execute();
    const row = (await q.findRedemption(trx, locked.id)) as q.RedemptionRow;
    const reward = await trx.selectFrom('rewards').select(sql<string>`region_path::text`.as('path')).where('id', '=', locked.reward_id).executeTakeFirst();
    await appendAudit(trx, {
      actor: me,
      action: 'redemption.confirm',
      target: { type: 'redemption', id: locked.id, regionPath: reward?.path ?? null },
      after: { points: locked.points, rewardId: locked.reward_id },
      origin,
    });
    return row;
  });
}

export async function merchantRedemptions(db: Db, actor: Actor | null, status: RedemptionStatus | null, limit: number) {
  const { orgs } = await requireMerchant(db, actor);
  return q.findRedemptionsOfOrganisations(db, orgs, status, limit);
}

export interface Statement {
  month: string;
  total: number;
  redemptions: number;
  balance: number;
  rows: q.StatementRow[];
}

/** Points received in a calendar month (Beijing time), per day and reward. */
export async function merchantStatement(db: Db, actor: Actor | null, month: string): Promise<Statement> {
  const { orgs } = await requireMerchant(db, actor);
  const match = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!match) throw errors.invalidRequest({ month: 'YYYY-MM' });
  const year = Number(match[1]);
  const m = Number(match[2]);
  const offset = 8 * 3600_000;
  const from = new Date(Date.UTC(year, m - 1, 1) - offset);
  const to = new Date(Date.UTC(year, m, 1) - offset);
  const rows = await q.statement(db, orgs, from, to);
  let balance = 0;
  for (const org of orgs) balance += (await pq.findAccountOfOrganisation(db, org))?.balance ?? 0;
  return {
    month,
    total: rows.reduce((s, r) => s + r.points, 0),
    redemptions: rows.reduce((s, r) => s + r.redemptions, 0),
    balance,
    rows,
  };
}

// ---- expiry of unscanned codes ---------------------------------------------------------------

/** Codes not scanned in time: the points go back to the worker and the item back to stock. */
export async function expireRedemptions(ctx: AppContext, now = new Date()): Promise<{ expired: number }> {
  let expired = 0;
  for (;;) {
    const due = await q.duePendingRedemptions(ctx.db, now, 200);
    if (due.length === 0) break;
    let done = 0;
    for (const id of due) {
      const ok = await ctx.db.transaction().execute(async (trx) => {
        // A code being confirmed right now is left to the confirmation.
        const locked = await q.lockRedemption(trx, id, true);
        if (!locked || locked.status !== 'pending' || locked.expires_at > now) return false;
        // Stock before account, the order a redemption takes their locks in.
        await q.returnOneToStock(trx, locked.reward_id);
        const worker = await pq.lockWorkerAccount(trx, locked.user_id);
        const hold = await platformAccount(ctx, trx, 'hold');
        await postMovement(
          trx,
          { kind: 'release', source: 'redemption', sourceId: locked.id, points: locked.points, note: 'code expired' },
          [
            { accountId: hold, amount: -locked.points },
            { accountId: worker.id, amount: locked.points },
          ],
        );
        await trx.updateTable('redemptions').set({ status: 'expired' }).where('id', '=', locked.id).execute();
        return true;
      });
      if (ok) done += 1;
    }
    expired += done;
    if (done === 0 || due.length < 200) break;
  }
  return { expired };
}
