// Staff accounts and their role grants, administered by admins and security admins, each only
// inside their own subtree and never above their own standing (see grantableRoles).
import type { AppContext, Origin } from '../../context.js';
import type { Scope } from '../../db/scope.js';
import { appendAudit } from '../audit/service.js';
import { errors } from '../../errors.js';
import { getOrganisation } from '../organisations/service.js';
import { requireRegion, scopeOfRegion } from '../regions/service.js';
import {
  ACCOUNT_ADMIN_ROLES,
  actorScope,
  grantableRoles,
  requireActor,
  scopeCovers,
  SEPARATED_ADMIN_ROLES,
  STAFF_ROLES,
  type Actor,
} from './access.js';
import { accountErrors } from './errors.js';
import { requireStrongPassword } from './passwords.js';
import * as q from './queries.js';
import { createAccount } from './service.js';
import { refreshSnapshots } from './snapshots.js';
import type { Role, User } from './tables.js';

export interface UserWithGrants {
  user: User;
  grants: q.GrantWithRegion[];
  /** Grants outside the viewing admin's subtree: counted, not named. */
  otherGrants?: number;
}

/** What an account admin is shown of a user: the grants within their subtree, the rest as a count. */
function seenBy(me: Actor, shown: UserWithGrants): UserWithGrants {
  const scope = actorScope(me, ACCOUNT_ADMIN_ROLES);
  const grants = shown.grants.filter((g) => scopeCovers(scope, g.region_path));
  return { ...shown, grants, otherGrants: shown.grants.length - grants.length };
}

/** The audit target for a user: placed at the region of their first grant. */
function userTarget({ user, grants }: UserWithGrants) {
  return { type: 'user', id: user.id, regionPath: grants[0]?.region_path ?? null };
}

function grantSummary(grants: q.GrantWithRegion[]) {
  return grants.map((g) => ({
    role: g.role,
    regionCode: g.region_code,
    ...(g.organisation_id ? { organisationId: g.organisation_id } : {}),
  }));
}

function requireAccountAdmin(actor: Actor | null): Actor {
  const me = requireActor(actor);
  if (actorScope(me, ACCOUNT_ADMIN_ROLES).length === 0) throw errors.forbidden();
  return me;
}

/** A user is visible to an account admin when one of the user's grants lies in the admin's scope. */
async function requireVisibleUser(ctx: AppContext, me: Actor, userId: string): Promise<UserWithGrants> {
  const user = await q.findUserById(ctx.db, userId);
  const grants = user ? await q.findGrantsOfUsers(ctx.db, [user.id]) : [];
  const scope = actorScope(me, ACCOUNT_ADMIN_ROLES);
  if (!user || !grants.some((g) => scopeCovers(scope, g.region_path))) throw errors.userNotFound({ id: userId });
  return { user, grants };
}

export interface UserListInput {
  regionCode?: string;
  role?: Role;
  text?: string;
  after?: string;
  limit: number;
}

/** The cursor is what listUsers wrote: an ISO time (four-digit year) and a user id; anything else is refused. */
const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function decodeCursor(after: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!after) return undefined;
  const [, time, id] = CURSOR.exec(Buffer.from(after, 'base64url').toString('utf8')) ?? [];
  const createdAt = new Date(time ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw errors.invalidRequest({ field: 'after' });
  return { createdAt, id };
}

export async function listUsers(
  ctx: AppContext,
  actor: Actor | null,
  input: UserListInput,
): Promise<{ items: UserWithGrants[]; next: string | null }> {
  const me = requireAccountAdmin(actor);
  let scope = actorScope(me, ACCOUNT_ADMIN_ROLES);
  if (input.regionCode) {
    const region = await requireRegion(ctx.db, input.regionCode);
    // Narrow to the asked region, but never beyond the admin's own subtree.
    scope = scopeCovers(scope, region.path) ? [region.path] : scope.filter((root) => root.startsWith(`${region.path}.`));
  }
  const users = await q.findUsersInScope(ctx.db, {
    scope,
    role: input.role,
    text: input.text?.trim() || undefined,
    after: decodeCursor(input.after),
    limit: input.limit + 1,
  });
  const page = users.slice(0, input.limit);
  const grants = await q.findGrantsOfUsers(
    ctx.db,
    page.map((u) => u.id),
  );
  const last = page.at(-1);
  return {
    items: page.map((user) => seenBy(me, { user, grants: grants.filter((g) => g.user_id === user.id) })),
    next: users.length > input.limit && last ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`).toString('base64url') : null,
  };
}

export async function getUser(ctx: AppContext, actor: Actor | null, userId: string): Promise<UserWithGrants> {
  const me = requireAccountAdmin(actor);
  return seenBy(me, await requireVisibleUser(ctx, me, userId));
}

/** A grant as an administrator asks for it: a role at a region, for an organisation or not. */
export interface GrantInput {
  role: Role;
  regionCode: string;
  /** The organisation the role works for; a merchant's shop is required. */
  organisationId?: string | null;
}

/** Checks that the actor may give this role at this region (and organisation) to this user. */
async function requireGrantable(ctx: AppContext, me: Actor, grant: GrantInput, target: UserWithGrants | null) {
  const { role, regionCode } = grant;
  const region = await requireRegion(ctx.db, regionCode);
  if (!grantableRoles(me, region.path).includes(role)) throw errors.grantNotAllowed({ role, regionCode });
  if (target?.user.id === me.userId) throw errors.grantNotAllowed({ reason: 'self' });
  const held = new Set((target?.grants ?? []).map((g) => g.role));
  if (SEPARATED_ADMIN_ROLES.includes(role) && SEPARATED_ADMIN_ROLES.some((r) => r !== role && held.has(r))) {
    throw errors.grantNotAllowed({ reason: 'separation_of_duties' });
  }
  await requireGrantOrganisation(ctx, me, grant, await scopeOfRegion(ctx.db, region));
  // One grant per role and region (the table's key): another organisation for it is a change,
  // made by taking the role away first, never silently dropped.
  const same = (target?.grants ?? []).find((g) => g.role === role && g.region_code === regionCode);
  if (same && same.organisation_id !== (grant.organisationId ?? null)) throw accountErrors.grantExists({ grantId: same.id });
  return region;
}

/**
 * A merchant works for one shop (rewards/service.ts merchantOrganisations): its grant names an
 * organisation of kind merchant. Any other role may name one. Either way the organisation lies in
 * the administrator's subtree (else it is as good as missing) and in the grant's region.
 */
async function requireGrantOrganisation(ctx: AppContext, me: Actor, grant: GrantInput, regionScope: Scope): Promise<void> {
  if (!grant.organisationId) {
    if (grant.role === 'merchant') throw accountErrors.grantOrganisationRequired({ role: grant.role });
    return;
  }
  const org = await getOrganisation(ctx.db, me, grant.organisationId);
  if (!scopeCovers(actorScope(me, ACCOUNT_ADMIN_ROLES), org.region_path)) throw errors.organisationNotFound({ id: org.id });
  if (!scopeCovers(regionScope, org.region_path)) {
    throw accountErrors.grantOrganisationOutOfRegion({ organisationId: org.id, regionCode: grant.regionCode });
  }
  if (grant.role === 'merchant' && org.kind !== 'merchant')
    throw accountErrors.grantOrganisationKind({ organisationId: org.id, kind: org.kind });
}

export interface NewStaffAccount {
  phone: string;
  displayName: string;
  password: string;
  grants: GrantInput[];
}

export async function createStaffAccount(
  ctx: AppContext,
  actor: Actor | null,
  input: NewStaffAccount,
  origin: Origin,
): Promise<UserWithGrants> {
  const me = requireAccountAdmin(actor);
  requireStrongPassword(input.password, 'staff');
  const separated = input.grants.filter((g) => SEPARATED_ADMIN_ROLES.includes(g.role));
  if (new Set(separated.map((g) => g.role)).size > 1) throw errors.grantNotAllowed({ reason: 'separation_of_duties' });
  for (const [i, grant] of input.grants.entries()) {
    const twin = input.grants.slice(0, i).find((g) => g.role === grant.role && g.regionCode === grant.regionCode);
    if (twin && (twin.organisationId ?? null) !== (grant.organisationId ?? null)) throw accountErrors.grantExists({ role: grant.role });
    await requireGrantable(ctx, me, grant, null);
  }
  return ctx.db.transaction().execute(async (trx) => {
    const user = await createAccount(ctx, trx, {
      phone: input.phone,
      displayName: input.displayName.trim(),
      password: input.password,
      grants: input.grants,
    });
    const created = { user, grants: await q.findGrantsOfUsers(trx, [user.id]) };
    await appendAudit(trx, {
      actor: me,
      action: 'user.create',
      target: userTarget(created),
      after: { displayName: user.display_name, phoneMasked: user.phone_masked, grants: grantSummary(created.grants) },
      origin,
    });
    return created;
  });
}

export async function addGrant(
  ctx: AppContext,
  actor: Actor | null,
  userId: string,
  grant: GrantInput,
  origin: Origin,
): Promise<UserWithGrants> {
  const me = requireAccountAdmin(actor);
  const target = await requireVisibleUser(ctx, me, userId);
  const region = await requireGrantable(ctx, me, grant, target);
  // Sessions opened under a laxer policy (no second factor, a worker's long timeouts) must not
  // carry the new role: they end, and the next sign-in applies the role's policy.
  const laxerPolicy =
    (ctx.config.twoFactorRoles.includes(grant.role) && !target.user.totp_enabled_at) ||
    (STAFF_ROLES.includes(grant.role) && !target.grants.some((g) => STAFF_ROLES.includes(g.role)));
  return ctx.db.transaction().execute(async (trx) => {
    await q.insertGrant(trx, {
      user_id: userId,
      role: grant.role,
      region_code: grant.regionCode,
      organisation_id: grant.organisationId ?? null,
      granted_by: me.userId,
    });
    if (laxerPolicy) await q.revokeAllSessionsOfUser(trx, userId);
    await refreshSnapshots(trx, userId);
    const updated = { user: target.user, grants: await q.findGrantsOfUsers(trx, [userId]) };
    await appendAudit(trx, {
      actor: me,
      action: 'grant.create',
      target: { type: 'user', id: userId, regionPath: region.path, districtCode: region.district_code },
      before: { grants: grantSummary(target.grants) },
      after: { grants: grantSummary(updated.grants) },
      origin,
    });
    return seenBy(me, updated);
  });
}

export async function removeGrant(
  ctx: AppContext,
  actor: Actor | null,
  userId: string,
  grantId: string,
  origin: Origin,
): Promise<q.GrantWithRegion> {
  const me = requireAccountAdmin(actor);
  const target = await requireVisibleUser(ctx, me, userId);
  const grant = target.grants.find((g) => g.id === grantId);
  // Taking a role away needs the same standing as giving it.
  if (!grant || !grantableRoles(me, grant.region_path).includes(grant.role) || userId === me.userId) {
    throw errors.grantNotAllowed({ grantId });
  }
  await ctx.db.transaction().execute(async (trx) => {
    await q.deleteGrant(trx, userId, grantId);
    await refreshSnapshots(trx, userId);
    await appendAudit(trx, {
      actor: me,
      action: 'grant.delete',
      target: { type: 'user', id: userId, regionPath: grant.region_path },
      before: { grants: grantSummary(target.grants) },
      after: { grants: grantSummary(target.grants.filter((g) => g.id !== grantId)) },
      origin,
    });
  });
  return grant;
}

export async function setUserStatus(
  ctx: AppContext,
  actor: Actor | null,
  userId: string,
  status: 'active' | 'disabled',
  origin: Origin,
): Promise<UserWithGrants> {
  const me = requireAccountAdmin(actor);
  const target = await requireVisibleUser(ctx, me, userId);
  if (userId === me.userId || target.user.status === 'anonymised') throw errors.forbidden();
  // Disabling someone needs standing over every role they hold.
  if (!target.grants.every((g) => grantableRoles(me, g.region_path).includes(g.role))) throw errors.forbidden();
  await ctx.db.transaction().execute(async (trx) => {
    await q.updateUser(trx, userId, { status, ...(status === 'active' ? { failed_sign_ins: 0, locked_until: null } : {}) });
    if (status === 'disabled') await q.revokeAllSessionsOfUser(trx, userId);
    await appendAudit(trx, {
      actor: me,
      action: 'user.status',
      target: userTarget(target),
      before: { status: target.user.status },
      after: { status },
      origin,
    });
  });
  return { user: { ...target.user, status, locked_until: status === 'active' ? null : target.user.locked_until }, grants: target.grants };
}

/** Shows one personal field in full: an explicit act with a reason, recorded before it is shown. */
export async function revealPersonalField(
  ctx: AppContext,
  actor: Actor | null,
  input: { userId: string; field: 'phone' | 'idNumber'; reason: string },
  origin: Origin,
): Promise<string | null> {
  const me = requireAccountAdmin(actor);
  const target = await requireVisibleUser(ctx, me, input.userId);
  let value: string | null = null;
  if (input.field === 'phone') {
    value = target.user.status === 'anonymised' ? null : ctx.crypto.decrypt(target.user.phone_cipher);
  } else {
    const profile = await q.findProfile(ctx.db, input.userId);
    value = profile?.id_number_cipher ? ctx.crypto.decrypt(profile.id_number_cipher) : null;
  }
  await appendAudit(ctx.db, {
    actor: me,
    action: 'personal_data.reveal',
    target: userTarget(target),
    after: { field: input.field },
    note: input.reason,
    origin,
  });
  return value;
}

export async function rolesGrantableAt(ctx: AppContext, actor: Actor | null, regionCode: string): Promise<Role[]> {
  const me = requireAccountAdmin(actor);
  const region = await requireRegion(ctx.db, regionCode);
  return grantableRoles(me, region.path);
}
