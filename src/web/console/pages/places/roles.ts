// Who does what with places in the console (the server decides; these only shape the menu).
import type { Role } from '../../../shared/types';

/** Keep the register of places, over their own region: station staff, coordinators, administrators. */
export const PLACE_EDITOR_ROLES: readonly Role[] = ['station_staff', 'coordinator', 'admin'];

/** Read the coverage (fifteen-minute circle) of a region: a planning view. */
export const PLANNER_ROLES: readonly Role[] = ['coordinator', 'admin'];
