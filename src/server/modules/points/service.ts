// Points for the people who earn them and the administrators who set the rules: a worker's
// balance, history and what expires when; rules per city or district; corrections; expiry.
import { sql } from 'kysely';
import type { AppContext, Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { actorScope, requireActor, requireRoleAt, scopeCovers, type Actor } from '../identity/access.js';
import { requireRegion } from '../regions/service.js';
import { pointErrors } from './errors.js';
import { postMovement } from './ledger.js';
import { groupByExpiry, remainingLots, type Remaining } from './lots.js';
import * as q from './queries.js';
import { addMonths, DEFAULT_RULES, effectiveRules, rulesFromRow, type PointRules } from './rules.js';

/** Who sets the rules and makes corrections (a city's or district's administrators). */
export const RULE_ADMINS = ['admin'] as const;
/** Who may read the rules. */
export const RULE_READERS = ['admin', 'coordinator'] as const;

export interface MyPoints {
  balance: number;
  held: number;
  expiring: Remaining[];
}

export async function myPoints(db: Db, actor: Actor | null): Promise<MyPoints> {
  const me = requireActor(actor);
  const account = await q.findAccountOfUser(db, me.userId);
  const heldRow = await db
    .selectFrom('redemptions')
    .select(sql<number>`coalesce(sum(points), 0)::int8`.as('held'))
    .where('user_id', '=', me.userId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (!account) return { balance: 0, held: Number(heldRow?.held ?? 0), expiring: [] };
  const { lots, otherSum } = await q.lotsOf(db, account.id);
  return { balance: account.balance, held: Number(heldRow?.held ?? 0), expiring: groupByExpiry(remainingLots(lots, otherSum)).slice(0, 24) };
}

export async function myHistory(
  db: Db,
  actor: Actor | null,
  page: { before: number | null; limit: number },
): Promise<{ items: q.HistoryRow[]; next: number | null }> {
  const me = requireActor(actor);
  const account = await q.findAccountOfUser(db, me.userId);
  if (!account) return { items: [], next: null };
  const items = await q.historyOf(db, account.id, page.before, page.limit);
  return { items, next: items.length === page.limit ? (items.at(-1)?.id ?? null) : null };
}

// ---- rules ------------------------------------------------------------------------------------

export async function getRules(db: Db, actor: Actor | null, regionCode: string) {
  const region = await requireRegion(db, regionCode);
  requireRoleAt(actor, RULE_READERS, region.path);
  const effective = await effectiveRules(db, region.code);
  return { regionCode: region.code, ...effective };
}

export async function putRules(db: Db, actor: Actor | null, regionCode: string, rules: PointRules, origin: Origin) {
  const region = await requireRegion(db, regionCode);
  const me = requireRoleAt(actor, RULE_ADMINS, region.path);
  if (region.level !== 'city' && region.level !== 'district') throw pointErrors.rulesRegionInvalid({ level: region.level });
  return db.transaction().execute(async (trx) => {
    const before = await q.findOwnRules(trx, region.code);
    await q.upsertRules(trx, {
      region_code: region.code,
      report_ordinary: rules.reportOrdinary,
      report_useful: rules.reportUseful,
      report_important: rules.reportImportant,
      per_volunteer_hour: rules.perVolunteerHour,
      per_grid_shift: rules.perGridShift,
      monthly_cap: rules.monthlyCap,
      expiry_months: rules.expiryMonths,
      code_ttl_minutes: rules.codeTtlMinutes,
      updated_by: me.userId,
    });
    await appendAudit(trx, {
      actor: me,
      action: 'points.rules.update',
      target: { type: 'region', id: region.code, regionPath: region.path, districtCode: region.district_code },
      before: before ? rulesFromRow(before) : null,
      after: rules,
      origin,
    });
    return { regionCode: region.code, rules, setAt: region.code };
  });
}

export { DEFAULT_RULES };

// ---- corrections ------------------------------------------------------------------------------

export interface CorrectionInput {
  userId: string;
  points: number;
  reason: string;
}

/** An administrator adds or takes away points, with a reason; audited. */
export async function correctPoints(ctx: AppContext, actor: Actor | null, input: CorrectionInput, origin: Origin) {
  const me = requireActor(actor);
  const reason = input.reason.trim();
  if (!Number.isInteger(input.points) || input.points === 0 || reason.length < 2) throw pointErrors.correctionInvalid();
  // The person must hold a grant inside the administrator's reach; otherwise they are not found.
  const scope = actorScope(me, RULE_ADMINS);
  const grants = await ctx.db
    .selectFrom('role_grants as g')
    .innerJoin('regions as r', 'r.code', 'g.region_code')
    .select(['g.region_code', sql<string>`r.path::text`.as('path'), 'r.district_code'])
    .where('g.user_id', '=', input.userId)
    .execute();
  const grant = grants.find((g) => scopeCovers(scope, g.path));
  if (!grant) throw errors.userNotFound({ id: input.userId });
  return ctx.db.transaction().execute(async (trx) => {
    const status = await q.userStatus(trx, input.userId);
    if (input.points > 0 && status !== 'active') throw pointErrors.accountNotAwardable({ accountId: input.userId, status });
    const account = await q.lockWorkerAccount(trx, input.userId);
    if (input.points < 0 && account.balance < -input.points) {
      throw pointErrors.insufficientPoints({ balance: account.balance, needed: -input.points });
    }
    const issuing = await q.platformAccountId(trx, 'issuing');
    const { rules } = await effectiveRules(trx, grant.region_code);
    const transferId = await postMovement(
      trx,
      { kind: 'correction', points: Math.abs(input.points), regionCode: grant.region_code, actorId: me.userId, note: reason },
      [
        { accountId: issuing, amount: -input.points },
        // Points given back start a new lot; points taken away eat the oldest first.
        { accountId: account.id, amount: input.points, expiresAt: input.points > 0 ? addMonths(new Date(), rules.expiryMonths) : null },
      ],
    );
    await appendAudit(trx, {
      actor: me,
      action: 'points.correct',
      target: { type: 'user', id: input.userId, regionPath: grant.path, districtCode: grant.district_code },
      before: { balance: account.balance },
      after: { balance: account.balance + input.points, points: input.points, transferId },
      note: reason,
      origin,
    });
    return { transferId, balance: account.balance + input.points };
  });
}

// ---- expiry -----------------------------------------------------------------------------------

/** Moves points past their lot's expiry date to the expiry sink (the scheduled job). */
export async function expirePoints(ctx: AppContext, now = new Date()): Promise<{ accounts: number; points: number }> {
  const candidates = await sql<{ account_id: string }>`
    with lots as (
      select account_id, amount, expires_at, sum(amount) over (partition by account_id order by id) as cum
      from point_entries where expires_at is not null
    ), consumed as (
      select account_id, -sum(amount) as used from point_entries where expires_at is null group by account_id
    )
    select l.account_id from lots l left join consumed c on c.account_id = l.account_id
    where l.expires_at <= ${now}
    group by l.account_id
    having sum(greatest(0, least(l.amount, l.cum - coalesce(c.used, 0)))) > 0
    limit 1000`.execute(ctx.db);
  let points = 0;
  let accounts = 0;
  for (const { account_id } of candidates.rows) {
    const moved = await ctx.db.transaction().execute(async (trx) => {
      const account = await q.lockAccountById(trx, account_id);
      if (!account) return 0;
      const { lots, otherSum } = await q.lotsOf(trx, account.id);
      const due = remainingLots(lots, otherSum)
        .filter((r) => r.expiresAt <= now)
        .reduce((sum, r) => sum + r.points, 0);
      const amount = Math.min(due, account.balance);
      if (amount <= 0) return 0;
      const sink = await q.platformAccountId(trx, 'expiry');
      await postMovement(trx, { kind: 'expiry', points: amount, note: 'expired' }, [
        { accountId: account.id, amount: -amount },
        { accountId: sink, amount },
      ]);
      return amount;
    });
    if (moved > 0) {
      accounts += 1;
      points += moved;
    }
  }
  return { accounts, points };
}
