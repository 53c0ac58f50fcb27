// The routing table: which department handles a category of report in a region. The most
// specific region wins (a route for a street beats its district's). Coordinators and
// administrators keep the routes of their own subtree; every change is audited.
import type { Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { actorScope, requireActor, requireRoleAt, scopeCovers, type Actor } from '../identity/access.js';
import { findOrganisationById } from '../organisations/queries.js';
import { requireRegion } from '../regions/service.js';
import { reportErrors } from './errors.js';
import * as q from './queries.js';

export const ROUTE_KEEPERS = ['coordinator', 'admin'] as const;

export async function listRoutes(db: Db, actor: Actor | null, f: { category?: string; regionCode?: string }): Promise<q.RouteRow[]> {
  const me = requireActor(actor);
  const scope = actorScope(me, ROUTE_KEEPERS);
  if (scope.length === 0) throw errors.forbidden();
  const regionPath = f.regionCode ? (await requireRegion(db, f.regionCode)).path : undefined;
  return q.findRoutes(db, scope, { category: f.category, regionPath });
}

export async function setRoute(
  db: Db,
  actor: Actor | null,
  input: { category: string; regionCode: string; organisationId: string },
  origin: Origin,
): Promise<q.RouteRow> {
  const region = await requireRegion(db, input.regionCode);
  const me = requireRoleAt(actor, ROUTE_KEEPERS, region.path);
  if (!(await q.findCategory(db, input.category))) throw reportErrors.categoryUnknown({ category: input.category });
  const org = await findOrganisationById(db, input.organisationId);
  // The department must be one the engine lets own the region's matters: an office above it or in its district.
  const above = org && (region.path === org.region_path || region.path.startsWith(`${org.region_path}.`));
  const sameDistrict = org && org.district_code !== null && org.district_code === region.district_code;
  if (!org) throw errors.organisationNotFound({ id: input.organisationId });
  if (!above && !sameDistrict) throw errors.ownerOutOfRegion({ ownerOrgId: input.organisationId });
  return db.transaction().execute(async (trx) => {
    const saved = await q.upsertRoute(trx, {
      category: input.category,
      region_code: region.code,
      region_path: region.path,
      organisation_id: org.id,
      updated_by: me.userId,
    });
    await appendAudit(trx, {
      actor: me,
      action: 'report_route.set',
      target: { type: 'report_route', id: saved.id, regionPath: region.path, districtCode: region.district_code },
      before: saved.previous_org ? { organisationId: saved.previous_org } : null,
      after: { category: input.category, regionCode: region.code, organisationId: org.id },
      origin,
    });
    const row = await q.findRouteById(trx, saved.id);
    if (!row) throw reportErrors.routeNotFound({ id: saved.id });
    return row;
  });
}

export async function deleteRoute(db: Db, actor: Actor | null, id: string, origin: Origin): Promise<void> {
  const me = requireActor(actor);
  const route = await q.findRouteById(db, id);
  // Out of reach looks the same as missing.
  if (!route || !scopeCovers(actorScope(me, ROUTE_KEEPERS), route.region_path)) throw reportErrors.routeNotFound({ id });
  await db.transaction().execute(async (trx) => {
    await q.deleteRoute(trx, id);
    await appendAudit(trx, {
      actor: me,
      action: 'report_route.delete',
      target: { type: 'report_route', id, regionPath: route.region_path },
      before: { category: route.category, regionCode: route.region_code, organisationId: route.organisation_id },
      origin,
    });
  });
}
