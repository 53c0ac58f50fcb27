// The report kind's own work inside the engine's transitions (see kinds/report.ts): adopting
// finds the department in the routing table, sets the deadline from the category and awards the
// reporter's points, all in the step's transaction; closing needs an "after" photo.
import { AppError } from '../../errors.js';
import { loadFiles } from '../files/service.js';
import type { BeforeArgs } from '../matters/workflow.js';
import { awardPoints } from '../points/awards.js';
import { reportErrors } from './errors.js';
import * as q from './queries.js';

type Level = 'ordinary' | 'useful' | 'important';

export async function beforeAdopt({ ctx, trx, actor, matter, input, clock, now }: BeforeArgs) {
  const level = (input.level as Level | undefined) ?? 'ordinary';
  let ownerOrgId = typeof input.ownerOrgId === 'string' ? input.ownerOrgId : null;
  let routeId: string | null = null;
  if (!ownerOrgId) {
    const route = await q.findRouteFor(trx, matter.category, matter.region_path);
    // Refused rather than adopted undispatched: a report nobody owns would sit outside every inbox.
    if (!route) throw reportErrors.noRoute({ category: matter.category, regionCode: matter.region_code });
    ownerOrgId = route.organisation_id;
    routeId = route.id;
  }
  const category = await q.findCategory(trx, matter.category);
  const dueAt = clock.addWorkingDays(now, category?.handle_days ?? 5);

  let points: number | null = null;
  let capped = false;
  if (matter.raised_by) {
    try {
      // Idempotent per report: a retried or repeated adoption never pays twice.
      const award = await awardPoints(trx, ctx, {
        accountId: matter.raised_by,
        source: 'report',
        sourceId: matter.id,
        level,
        regionCode: matter.region_code,
        actorId: actor === 'system' ? null : actor.userId,
      });
      points = award.points;
      capped = award.capped;
    } catch (error) {
      // The reporter has since left or been disabled: the problem is still worth solving.
      if (!(error instanceof AppError && error.code === 'account_not_awardable')) throw error;
    }
  }
  await q.setReportPoints(trx, matter.id, level, points);
  return { input: { ownerOrgId, dueAt: dueAt.toISOString() }, data: { level, points, capped, routeId } };
}

export async function beforeClose({ trx, files }: BeforeArgs) {
  const rows = await loadFiles(trx, files);
  if (rows.length === 0 || rows.some((f) => f.kind !== 'image')) throw reportErrors.afterPhotoRequired({ files });
  return undefined;
}
