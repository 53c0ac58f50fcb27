// What the API shows of categories and routes.
import type { RouteRow } from './queries.js';
import type { ReportCategory } from './tables.js';

export function presentCategory(c: ReportCategory) {
  return { code: c.code, label: { zh: c.label_zh, en: c.label_en }, handleDays: c.handle_days, sort: c.sort, active: c.active };
}

export function presentRoute(r: RouteRow) {
  return {
    id: r.id,
    category: r.category,
    regionCode: r.region_code,
    regionName: r.region_name,
    organisationId: r.organisation_id,
    organisationName: r.organisation_name,
    updatedAt: r.updated_at.toISOString(),
  };
}
