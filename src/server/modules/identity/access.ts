// Who may do what where, decided in one place. A grant at a region covers its whole subtree
// (for a zone: the regions it spans). Services call these at their top; lists use actorScope.
import type { Scope } from '../../db/scope.js';
import { errors } from '../../errors.js';
import type { Role } from './tables.js';

export interface ActorGrant {
  role: Role;
  regionCode: string;
  regionName: string;
  regionNameEn: string | null;
  regionLevel: string;
  regionKind: string;
  /** The subtree(s) this grant covers. */
  scope: Scope;
}

export interface Actor {
  userId: string;
  sessionId: string;
  displayName: string;
  phoneMasked: string;
  grants: ActorGrant[];
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  return actor;
}

/** True when the path lies in (or is the root of) one of the scope's subtrees. */
export function scopeCovers(scope: Scope, path: string): boolean {
  return scope.some((root) => path === root || path.startsWith(`${root}.`));
}

/** True when one of the actor's grants with one of these roles covers the region path. */
export function hasRoleAt(actor: Actor, roles: readonly Role[], regionPath: string): boolean {
  return actor.grants.some((g) => roles.includes(g.role) && scopeCovers(g.scope, regionPath));
}

export function requireRoleAt(actor: Actor | null, roles: readonly Role[], regionPath: string): Actor {
  const signedIn = requireActor(actor);
  if (!hasRoleAt(signedIn, roles, regionPath)) throw errors.forbidden();
  return signedIn;
}

/** The union of subtrees where the actor holds one of these roles (empty: sees nothing). */
export function actorScope(actor: Actor, roles: readonly Role[]): Scope {
  return actor.grants.filter((g) => roles.includes(g.role)).flatMap((g) => g.scope);
}

/** Roles that work in the console over a region (as opposed to workers and residents). */
export const STAFF_ROLES: readonly Role[] = [
  'grid_member',
  'station_staff',
  'mediator',
  'department_handler',
  'coordinator',
  'admin',
  'system_admin',
  'security_admin',
  'audit_admin',
];
