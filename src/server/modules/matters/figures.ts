// Desk figures for a region and a period, computed from the timeline. The cohort is the matters
// of a kind registered in the period within the region (and the viewer's scope); every figure
// counts the events of that cohort, so a figure can be checked by hand against the ledger:
// - received, consultations: matters registered (in the consultation category)
// - on-time assignment rate: first 'assign' within the kind's working hours of registration / assigned
// - resolution rate: closed out / received less withdrawn, rejected and merged
// - satisfaction rate: 'rate' events satisfied or basically satisfied / all 'rate' events
// - reopen rate: matters reopened at least once / matters rated at least once
// - average working hours to close: registration to the closing 'rate' event, in working hours
// - money recovered: the sum of 'record' events' moneyRecovered
import { sql } from 'kysely';
import type { AppContext } from '../../context.js';
import { errors } from '../../errors.js';
import { requireActor, type Actor } from '../identity/access.js';
import { getWorkCalendar } from '../calendar/service.js';
import { makeClock } from './clock.js';
import { workflowOf } from './kinds/index.js';
import { buildLedgerFilter } from './ledger.js';
import { ledgerWhere } from './ledger-queries.js';

export interface FiguresQuery {
  kind: string;
  region?: string;
  from: string;
  to: string;
}

const rate = (numerator: number, denominator: number) => ({
  numerator,
  denominator,
  value: denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000,
});

export async function computeFigures(ctx: AppContext, actor: Actor | null, query: FiguresQuery) {
  const me = requireActor(actor);
  const workflow = workflowOf(query.kind);
  if (query.from > query.to) throw errors.invalidRequest({ field: 'from', problem: 'from must not be after to' });
  const filter = await buildLedgerFilter(ctx.db, me, {
    view: 'ledger',
    kind: query.kind,
    region: query.region,
    from: query.from,
    to: query.to,
  });

  const rows = await ctx.db
    .selectFrom('matters')
    .leftJoin('matter_events as e', (join) => join.onRef('e.matter_id', '=', 'matters.id').on('e.type', 'in', ['assign', 'rate', 'record']))
    .select([
      'matters.id',
      'matters.category',
      'matters.status',
      'matters.created_at',
      'e.type',
      'e.to_status',
      'e.at',
      sql<string | null>`e.data->>'satisfaction'`.as('satisfaction'),
      sql<string | null>`e.data->>'moneyRecovered'`.as('money'),
    ])
    .where(ledgerWhere(filter))
    .orderBy('matters.id')
    .orderBy('e.seq')
    .execute();

  const clock = makeClock(await getWorkCalendar(ctx), new Date());
  const matters = new Map<
    string,
    { category: string; status: string; created: Date; firstAssign: Date | null; closedAt: Date | null; rated: boolean; reopened: boolean }
  >();
  let satisfied = 0;
  let ratings = 0;
  let money = 0;
  for (const r of rows) {
    let m = matters.get(r.id);
    if (!m) {
      m = {
        category: r.category,
        status: r.status,
        created: r.created_at,
        firstAssign: null,
        closedAt: null,
        rated: false,
        reopened: false,
      };
      matters.set(r.id, m);
    }
    if (r.type === 'assign' && r.at && !m.firstAssign) m.firstAssign = r.at;
    if (r.type === 'rate' && r.at) {
      ratings += 1;
      m.rated = true;
      if (r.satisfaction === 'satisfied' || r.satisfaction === 'basically_satisfied') satisfied += 1;
      if (r.to_status === 'reopened') m.reopened = true;
      if (r.to_status === 'closed') m.closedAt = r.at;
    }
    if (r.type === 'record' && r.money) money += Number(r.money);
  }

  const all = [...matters.values()];
  const assigned = all.filter((m) => m.firstAssign);
  const onTime = assigned.filter(
    (m) => m.firstAssign && clock.workingMinutesBetween(m.created, m.firstAssign) <= workflow.assignWithinWorkingHours * 60,
  );
  const eligible = all.filter((m) => !['withdrawn', 'rejected', 'merged'].includes(m.status));
  const closed = all.filter((m) => m.status === 'closed');
  const closedTimed = all.filter((m) => m.closedAt);
  const hours = closedTimed.map((m) => clock.workingMinutesBetween(m.created, m.closedAt as Date) / 60);
  const byStatus = Object.keys(workflow.states).map((status) => ({ status, count: all.filter((m) => m.status === status).length }));
  const byCategory = Object.keys(workflow.categories).map((category) => ({
    category,
    count: all.filter((m) => m.category === category).length,
  }));

  return {
    kind: query.kind,
    from: query.from,
    to: query.to,
    received: all.length,
    consultations: all.filter((m) => m.category === 'consultation').length,
    onTimeAssignment: rate(onTime.length, assigned.length),
    resolution: rate(closed.length, eligible.length),
    satisfaction: rate(satisfied, ratings),
    reopen: rate(all.filter((m) => m.reopened).length, all.filter((m) => m.rated).length),
    averageHoursToClose: hours.length ? Math.round((hours.reduce((a, b) => a + b, 0) / hours.length) * 10) / 10 : null,
    moneyRecovered: Math.round(money * 100) / 100,
    byStatus,
    byCategory,
  };
}
