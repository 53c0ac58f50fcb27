// Supervision (督办): a scheduled job finds matters whose deadline is near or past and raises
// their supervision level through the engine, so each rise is a 'supervise' event on the
// timeline with its notice: 1 due soon and 2 overdue (to the owner), 3 escalated (also to the
// owner's superior organisation) once overdue by the configured working hours.
import type { AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { getWorkCalendar } from '../calendar/service.js';
import { SYSTEM } from './access.js';
import { makeClock } from './clock.js';
import { takeTransition } from './engine.js';
import { WORKFLOWS } from './kinds/index.js';
import * as q from './queries.js';

export interface SupervisionResult {
  checked: number;
  raised: { dueSoon: number; overdue: number; escalated: number };
}

/** Candidates are fetched with a generous calendar-day bound, then judged in working time. */
const LOOKAHEAD_DAYS = 14;

export async function runSupervision(ctx: AppContext, now = new Date()): Promise<SupervisionResult> {
  const kinds = Object.values(WORKFLOWS).filter((w) => w.transitions.supervise);
  const result: SupervisionResult = { checked: 0, raised: { dueSoon: 0, overdue: 0, escalated: 0 } };
  if (kinds.length === 0) return result;
  const calendar = await getWorkCalendar(ctx);
  const clock = makeClock(calendar, now);
  const dueSoonMinutes = ctx.config.supervisionDueSoonHours * 60;
  const escalateMinutes = ctx.config.supervisionEscalateHours * 60;

  for (const workflow of kinds) {
    const from = workflow.transitions.supervise?.from ?? [];
    const candidates = await q.findSupervisionCandidates(ctx.db, workflow.kind, from, now, LOOKAHEAD_DAYS);

    for (const m of candidates) {
      if (!m.due_at) continue;
      result.checked += 1;
      // Past the deadline is a matter of the wall clock; how near or how far past, of working time.
      let level = 0;
      if (m.due_at <= now) level = clock.workingMinutesBetween(m.due_at, now) >= escalateMinutes ? 3 : 2;
      else if (clock.workingMinutesBetween(now, m.due_at) <= dueSoonMinutes) level = 1;
      if (level <= m.supervision_level) continue;

      const escalatedToOrgId = level === 3 ? m.parent_id : null;
      const notes: Record<number, string> = {
        1: `距办理期限不足 ${ctx.config.supervisionDueSoonHours} 个工作小时，请抓紧办理`,
        2: '已超过办理期限，请尽快办理并反馈',
        3: `超期已达 ${ctx.config.supervisionEscalateHours} 个工作小时，提级督办${m.parent_name ? `至${m.parent_name}` : ''}`,
      };
      try {
        await takeTransition(
          ctx,
          SYSTEM,
          { matterId: m.id, name: 'supervise', version: m.version, note: notes[level] ?? null, input: {} },
          null,
          { at: now, system: { supervisionLevel: level, reason: ['', 'due_soon', 'overdue', 'escalated'][level], escalatedToOrgId } },
        );
        if (level === 1) result.raised.dueSoon += 1;
        if (level === 2) result.raised.overdue += 1;
        if (level === 3) result.raised.escalated += 1;
      } catch (error) {
        // Someone acted on it meanwhile: the next run looks again.
        if (error instanceof AppError && error.status === 409) continue;
        throw error;
      }
    }
  }
  return result;
}
