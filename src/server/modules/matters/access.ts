// Who may see a matter and who may take a transition on it, decided here and only here.
// A matter is visible to the person who raised it, to its owner (the organisation's people and
// the person it is assigned to) and to staff whose grant covers its region. Administrators of
// the system, of security and of the audit log are kept out of case files on purpose (MLPS).
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database } from '../../db/database.js';
import { inScope, type Scope } from '../../db/scope.js';
import { actorScope, hasRoleAt, type Actor } from '../identity/access.js';
import type { Role } from '../identity/tables.js';
import type { Party } from './workflow.js';

/** Staff roles that work on matters over their region's subtree. */
export const MATTER_STAFF_ROLES: readonly Role[] = [
  'grid_member',
  'station_staff',
  'mediator',
  'department_handler',
  'coordinator',
  'admin',
];

/** The system itself (scheduled supervision, demo data): not a person, takes system transitions only. */
export const SYSTEM = 'system' as const;
export type MatterActor = Actor | typeof SYSTEM;

export interface MatterPlacement {
  region_path: string;
  raised_by: string | null;
  owner_org_id: string | null;
  owner_user_id: string | null;
}

export function organisationsOf(actor: Actor): string[] {
  return [...new Set(actor.grants.map((g) => g.organisationId).filter((id): id is string => !!id))];
}

export function isOwner(actor: Actor, matter: MatterPlacement): boolean {
  if (matter.owner_user_id && matter.owner_user_id === actor.userId) return true;
  return !!matter.owner_org_id && organisationsOf(actor).includes(matter.owner_org_id);
}

export function canSeeMatter(actor: Actor, matter: MatterPlacement): boolean {
  return matter.raised_by === actor.userId || isOwner(actor, matter) || hasRoleAt(actor, MATTER_STAFF_ROLES, matter.region_path);
}

/**
 * The party in `by` the actor takes the transition as (for the timeline), or null when none.
 * Owner and raiser come first: a mediator acting on their own case acts as its owner.
 */
export function partyOf(actor: Actor, by: readonly Party[], matter: MatterPlacement): string | null {
  if (by.includes('owner') && isOwner(actor, matter)) return 'owner';
  if (by.includes('raiser') && matter.raised_by === actor.userId) return 'raiser';
  const grant = actor.grants.find(
    (g) => by.includes(g.role) && g.scope.some((root) => matter.region_path === root || matter.region_path.startsWith(`${root}.`)),
  );
  return grant?.role ?? null;
}

/** The SQL side of canSeeMatter, for lists: filtered in the query, never after fetching. */
export function visibleMatters(actor: Actor) {
  const scope: Scope = actorScope(actor, MATTER_STAFF_ROLES);
  const orgs = organisationsOf(actor);
  return (eb: ExpressionBuilder<Database, 'matters'>): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [eb('matters.raised_by', '=', actor.userId), eb('matters.owner_user_id', '=', actor.userId)];
    if (orgs.length > 0) parts.push(eb('matters.owner_org_id', 'in', orgs));
    if (scope.length > 0) parts.push(inScope('matters.region_path', scope));
    return eb.or(parts);
  };
}

/** Staff scope only (the ledger of a region), without the matters one raised or owns elsewhere. */
export function staffScope(actor: Actor): Scope {
  return actorScope(actor, MATTER_STAFF_ROLES);
}

export const noMatters = sql<SqlBool>`false`;
