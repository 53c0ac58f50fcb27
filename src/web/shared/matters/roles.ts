// Who does what with matters, as the server decides it (matters/access.ts, kinds/appeal.ts,
// calendar/service.ts); the apps use these only to show or hide what would be refused anyway.
import type { Role } from '../types';

/** Staff who work on matters over their region's subtree (the ledger, figures). */
export const MATTER_STAFF_ROLES: readonly Role[] = [
  'grid_member',
  'station_staff',
  'mediator',
  'department_handler',
  'coordinator',
  'admin',
];

/** The desk: registers walk-ins and calls, assigns, rejects, merges, takes return visits. */
export const DESK_ROLES: readonly Role[] = ['station_staff', 'coordinator', 'admin'];

/** Those who may change the work calendar (holidays, make-up workdays). */
export const CALENDAR_EDITOR_ROLES: readonly Role[] = ['admin', 'system_admin'];

/** Those who may publish and withdraw templates over their region. */
export const TEMPLATE_PUBLISHER_ROLES: readonly Role[] = ['station_staff', 'mediator', 'coordinator', 'admin'];
