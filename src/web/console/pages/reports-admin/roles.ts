// Who sees the report, Open311 and points administration pages: the roles the server allows
// (reports/categories.ts, reports/routing.ts, open311/keys.ts, points/service.ts).
import type { Me, Role } from '../../../shared/types';

/** Categories and Open311 keys are changed by city administrators; others with `admin` see them read-only or are refused. */
export const CITY_ADMIN_ROLES: readonly Role[] = ['admin'];
/** The routing table: coordinators and administrators over the region (ROUTE_KEEPERS). */
export const ROUTE_KEEPER_ROLES: readonly Role[] = ['coordinator', 'admin'];
/** Reading the points rules (RULE_READERS). */
export const POINT_RULE_READER_ROLES: readonly Role[] = ['admin', 'coordinator'];
/** Setting the rules and correcting points (RULE_ADMINS). */
export const POINT_ADMIN_ROLES: readonly Role[] = ['admin'];

/** The server's requireCityAdmin: an `admin` grant at a city or above. */
export function isCityAdmin(me: Me | null): boolean {
  return !!me?.grants.some((g) => g.role === 'admin' && g.regionLevel === 'city');
}
