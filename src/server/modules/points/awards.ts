// Awarding points for a contribution: an adopted report, volunteering hours, a grid duty shift.
// Called by the modules that decide the contribution, inside their own transaction, so the
// award commits or rolls back with the decision. Idempotent per (source, sourceId).
import type { Kysely } from 'kysely';
import type { AppContext } from '../../context.js';
import type { Database } from '../../db/database.js';
import { pointErrors } from './errors.js';
import { postTransfer } from './ledger.js';
import * as q from './queries.js';
import { addMonths, beijingMonthStart, effectiveRules, type PointRules } from './rules.js';

export type AwardSource = 'report' | 'volunteering' | 'grid_duty' | 'correction';

export interface AwardInput {
  accountId: string;
  source: AwardSource;
  sourceId: string;
  level?: 'ordinary' | 'useful' | 'important';
  hours?: number;
  regionCode: string;
  actorId: string | null;
}

export interface AwardResult {
  points: number;
  capped: boolean;
  alreadyAwarded: boolean;
}

/** Points a contribution earns under the rules, before the monthly cap. */
export function pointsFor(rules: PointRules, input: Pick<AwardInput, 'source' | 'level' | 'hours'>): number {
  switch (input.source) {
    case 'report': {
      const level = input.level ?? 'ordinary';
      return level === 'important' ? rules.reportImportant : level === 'useful' ? rules.reportUseful : rules.reportOrdinary;
    }
    case 'volunteering': {
      const hours = input.hours;
      if (hours === undefined || !Number.isFinite(hours) || hours <= 0 || hours > 24) {
        throw pointErrors.awardInvalid({ hours: 'volunteering needs hours between 0 and 24' });
      }
      // Whole points: part hours count in proportion, rounded down.
      return Math.floor(rules.perVolunteerHour * hours);
    }
    case 'grid_duty':
      return rules.perGridShift;
    case 'correction':
      // Corrections carry an amount and a reason: POST /api/points/corrections.
      throw pointErrors.awardInvalid({ source: 'corrections are made with correctPoints, not awarded' });
  }
}

/**
 * Awards points inside the caller's transaction; idempotent per (source, sourceId).
 * `accountId` is the user id of the person who earns them.
 */
export async function awardPoints(trx: Kysely<Database>, ctx: AppContext, input: AwardInput): Promise<AwardResult> {
  void ctx;
  if (!input.sourceId || input.sourceId.length > 200) throw pointErrors.awardInvalid({ sourceId: 'required' });
  const status = await q.userStatus(trx, input.accountId);
  if (status !== 'active') throw pointErrors.accountNotAwardable({ accountId: input.accountId, status });
  const { rules } = await effectiveRules(trx, input.regionCode);
  const earned = pointsFor(rules, input);

  // The account lock orders concurrent awards to one worker, so the cap holds and a repeat
  // of the same source sees the first one.
  const account = await q.lockWorkerAccount(trx, input.accountId);
  const previous = await q.findAwardBySource(trx, input.source, input.sourceId);
  if (previous) return { points: previous.points, capped: false, alreadyAwarded: true };

  const now = new Date();
  const already = await q.awardedSince(trx, account.id, beijingMonthStart(now));
  const room = Math.max(0, rules.monthlyCap - already);
  const points = Math.min(earned, room);
  const issuing = await q.platformAccountId(trx, 'issuing');
  const note = input.level ? `level:${input.level}` : input.hours !== undefined ? `hours:${input.hours}` : null;
  // Recorded even when the cap leaves nothing, so a retry is still recognised.
  const written = await postTransfer(
    trx,
    { kind: 'award', source: input.source, sourceId: input.sourceId, points, regionCode: input.regionCode, actorId: input.actorId, note },
    [
      { accountId: issuing, amount: -points },
      { accountId: account.id, amount: points, expiresAt: addMonths(now, rules.expiryMonths) },
    ],
  );
  if (!written) {
    // The same source was awarded (to another account) by a transaction that committed meanwhile.
    const first = await q.findAwardBySource(trx, input.source, input.sourceId);
    return { points: first?.points ?? 0, capped: false, alreadyAwarded: true };
  }
  return { points, capped: points < earned, alreadyAwarded: false };
}
