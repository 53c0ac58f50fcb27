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
  /** The organisation the grant works for (a mediation team, a bureau), if any. */
  organisationId?: string | null;
}

export interface Actor {
  userId: string;
  sessionId: string;
  /** A second factor (or its enrolment) is still owed: only those steps are open. */
  pending: 'second_factor' | 'enrolment' | null;
  twoFactorEnabled: boolean;
  displayName: string;
  phoneMasked: string;
  grants: ActorGrant[];
}

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  if (actor.pending) throw errors.secondFactorRequired();
  return actor;
}

/** For the steps that finish a sign-in: a signed-in actor, second factor owed or not. */
export function requirePasswordSignedIn(actor: Actor | null): Actor {
  if (!actor) throw errors.unauthenticated();
  return actor;
}

/** Roles that administer accounts and grants. */
export const ACCOUNT_ADMIN_ROLES: readonly Role[] = ['admin', 'security_admin'];

/** The three administrators MLPS keeps apart: one person holds at most one of them. */
export const SEPARATED_ADMIN_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'audit_admin'];

const OPERATIONAL_ROLES: readonly Role[] = [
  'worker',
  'grid_member',
  'resident',
  'merchant',
  'station_staff',
  'mediator',
  'department_handler',
  'coordinator',
];

/**
 * The roles the actor may grant at a region: a security administrator any role, an
 * administrator the operational ones — each only inside the subtree of their own grant.
 */
export function grantableRoles(actor: Actor, regionPath: string): Role[] {
  const roles = new Set<Role>();
  for (const g of actor.grants) {
    if (!scopeCovers(g.scope, regionPath)) continue;
    if (g.role === 'security_admin') for (const r of [...OPERATIONAL_ROLES, 'admin', ...SEPARATED_ADMIN_ROLES] as Role[]) roles.add(r);
    if (g.role === 'admin') for (const r of OPERATIONAL_ROLES) roles.add(r);
  }
  return [...roles];
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
