// Accounts, sign-in, sessions and the second factor at sign-in.
import { createHash, randomBytes } from 'node:crypto';
import type { AppContext, Origin } from '../../context.js';
import { appendAudit } from '../audit/service.js';
import type { Db } from '../../db/connect.js';
import { maskPhone } from '../../crypto/fields.js';
import { errors } from '../../errors.js';
import { hitRateLimits } from '../limits/service.js';
import { requireActor, requirePasswordSignedIn, STAFF_ROLES, type Actor } from './access.js';
import { hashPassword, verifyPassword } from './passwords.js';
import * as q from './queries.js';
import { buildSnapshot } from './snapshots.js';
import type { Role, SessionPending, User } from './tables.js';
import type { SessionCache } from './session-cache.js';
import { checkSecondFactor } from './two-factor.js';

const STAFF_SESSION = { idleMinutes: 30, lifetimeHours: 12 };
const WORKER_SESSION = { idleMinutes: 7 * 24 * 60, lifetimeHours: 30 * 24 };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The CSRF token of a session: derived from its secret token, so nothing more is stored. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

export interface NewAccount {
  phone: string;
  displayName: string;
  password: string;
  grants: { role: Role; regionCode: string; organisationId?: string | null }[];
  isDemo?: boolean;
}

export async function createAccount(ctx: Pick<AppContext, 'crypto'>, db: Db, account: NewAccount): Promise<User> {
  const phoneIndex = ctx.crypto.blindIndex('phone', account.phone);
  if (await q.findUserByPhoneIndex(db, phoneIndex)) throw errors.phoneTaken();
  const user = await q.insertUser(db, {
    display_name: account.displayName,
    phone_cipher: ctx.crypto.encrypt(account.phone),
    phone_index: phoneIndex,
    phone_masked: maskPhone(account.phone),
    password_hash: await hashPassword(account.password),
    is_demo: account.isDemo ?? false,
  });
  for (const grant of account.grants) {
    await q.insertGrant(db, {
      user_id: user.id,
      role: grant.role,
      region_code: grant.regionCode,
      organisation_id: grant.organisationId ?? null,
    });
  }
  return user;
}

export interface SignInResult {
  token: string;
  actor: Actor;
  maxAgeSeconds: number;
}

/** Sign-in attempts allowed per address and per phone number in a quarter of an hour. */
const SIGN_IN_LIMITS = { perAddress: 60, perPhone: 20, windowSeconds: 15 * 60 };

export async function signIn(ctx: AppContext, input: { phone: string; password: string; origin: Origin }): Promise<SignInResult> {
  const phoneIndex = ctx.crypto.blindIndex('phone', input.phone);
  await hitRateLimits(ctx.db, [
    { key: `sign-in:ip:${input.origin.ip ?? 'unknown'}`, max: SIGN_IN_LIMITS.perAddress, windowSeconds: SIGN_IN_LIMITS.windowSeconds },
    { key: `sign-in:phone:${phoneIndex}`, max: SIGN_IN_LIMITS.perPhone, windowSeconds: SIGN_IN_LIMITS.windowSeconds },
  ]);
  const user = await q.findUserByPhoneIndex(ctx.db, phoneIndex);
  const locked = user?.locked_until ? user.locked_until.getTime() > Date.now() : false;
  const usable = user?.status === 'active' && !locked ? user : null;
  // Unknown, locked and wrong all spend one hash and get the same answer.
  const ok = await verifyPassword(usable, input.password);
  if (!user || !ok) {
    if (user && !locked) await q.recordFailedSignIn(ctx.db, user.id, ctx.config.signInMaxFailures, ctx.config.signInLockMinutes);
    const reason = !user ? 'unknown_phone' : locked ? 'locked' : user.status !== 'active' ? user.status : 'wrong_password';
    await appendAudit(ctx.db, {
      actor: { userId: user?.id ?? null },
      action: 'auth.sign_in_failed',
      after: { phoneMasked: maskPhone(input.phone), reason },
      origin: input.origin,
    });
    throw errors.signInFailed();
  }
  if (user.failed_sign_ins > 0) await q.clearFailedSignIns(ctx.db, user.id);

  const roles = await q.findRolesOfUser(ctx.db, user.id);
  // Anyone holding a staff role gets the short staff timeouts.
  const policy = roles.some((role) => STAFF_ROLES.includes(role)) ? STAFF_SESSION : WORKER_SESSION;
  const mustUseTwoFactor = roles.some((role) => ctx.config.twoFactorRoles.includes(role));
  const pending: SessionPending | null = user.totp_enabled_at ? 'second_factor' : mustUseTwoFactor ? 'enrolment' : null;
  const result = await startSession(ctx, user.id, { policy, pending, origin: input.origin });
  await appendAudit(ctx.db, { actor: result.actor, action: 'auth.sign_in', after: { pending }, origin: input.origin });
  return result;
}

/** Opens a session (with a fresh secret token) for a user who has just proved who they are. */
export async function startSession(
  ctx: AppContext,
  userId: string,
  options: { policy?: { idleMinutes: number; lifetimeHours: number }; pending?: SessionPending | null; origin: Origin },
): Promise<SignInResult> {
  const policy = options.policy ?? WORKER_SESSION;
  const token = randomBytes(32).toString('base64url');
  await q.insertSession(ctx.db, {
    token_hash: hashToken(token),
    user_id: userId,
    expires_at: new Date(Date.now() + policy.lifetimeHours * 3600_000),
    idle_minutes: policy.idleMinutes,
    ip: options.origin.ip,
    user_agent: options.origin.userAgent,
    pending: options.pending ?? null,
    actor: await buildSnapshot(ctx.db, userId),
  });
  const actor = await actorFromToken(ctx.db, token);
  if (!actor) throw errors.internal();
  return { token, actor, maxAgeSeconds: policy.lifetimeHours * 3600 };
}

export async function actorFromToken(db: Db, token: string): Promise<Actor | null> {
  return (await sessionFromToken(db, token))?.actor ?? null;
}

/** The live session behind a token: its actor and its CSRF token, from the cache when kept there. */
export async function sessionFromToken(db: Db, token: string, cache?: SessionCache): Promise<{ actor: Actor; csrf: string } | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  const kept = cache?.get(tokenHash);
  let row = kept?.row;
  let csrf = kept?.csrf;
  if (!row || !csrf) {
    const startedAt = cache?.lookupStarts() ?? 0;
    row = await q.findActiveSessionActor(db, tokenHash);
    if (!row?.actor) return null;
    csrf = csrfTokenFor(token);
    cache?.set(tokenHash, row, csrf, startedAt);
  }
  if (Date.now() - row.last_seen_at.getTime() > 60_000) {
    await q.touchSession(db, row.session_id);
    row.last_seen_at = new Date();
  }
  const { actor } = row;
  if (!actor) return null;
  return {
    csrf,
    actor: {
      userId: row.user_id,
      sessionId: row.session_id,
      pending: row.pending,
      twoFactorEnabled: actor.twoFactorEnabled,
      displayName: actor.displayName,
      phoneMasked: actor.phoneMasked,
      grants: actor.grants,
    },
  };
}

/** Finishes a sign-in that owes its second factor: an authenticator code or a recovery code. */
export async function completeSecondFactor(ctx: AppContext, actor: Actor | null, code: string, origin: Origin): Promise<Actor> {
  const signedIn = requirePasswordSignedIn(actor);
  if (signedIn.pending !== 'second_factor') return signedIn;
  await hitRateLimits(ctx.db, [{ key: `second-factor:${signedIn.sessionId}`, max: 5, windowSeconds: 15 * 60 }]);
  const user = await q.findUserById(ctx.db, signedIn.userId);
  if (!user || !(await checkSecondFactor(ctx, user, code))) {
    await appendAudit(ctx.db, { actor: signedIn, action: 'auth.second_factor_failed', origin });
    throw errors.secondFactorFailed();
  }
  await q.clearSessionPending(ctx.db, signedIn.sessionId);
  await appendAudit(ctx.db, { actor: signedIn, action: 'auth.second_factor', origin });
  return { ...signedIn, pending: null };
}

export async function signOut(db: Db, actor: Actor | null, token: string, origin: Origin): Promise<void> {
  await q.revokeSessionByTokenHash(db, hashToken(token));
  if (actor) await appendAudit(db, { actor, action: 'auth.sign_out', origin });
}

export async function signOutEverywhere(db: Db, actor: Actor | null, origin: Origin): Promise<void> {
  const signedIn = requirePasswordSignedIn(actor);
  await q.revokeAllSessionsOfUser(db, signedIn.userId);
  await appendAudit(db, { actor: signedIn, action: 'auth.sign_out_everywhere', origin });
}

export interface SessionInfo {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export async function listMySessions(db: Db, actor: Actor | null): Promise<SessionInfo[]> {
  const me = requireActor(actor);
  const rows = await q.findActiveSessionsOfUser(db, me.userId);
  return rows.map((s) => ({
    id: s.id,
    createdAt: s.created_at,
    lastSeenAt: s.last_seen_at,
    expiresAt: s.expires_at,
    ip: s.ip,
    userAgent: s.user_agent,
    current: s.id === me.sessionId,
  }));
}

export async function revokeMySession(db: Db, actor: Actor | null, sessionId: string, origin: Origin): Promise<void> {
  const me = requireActor(actor);
  if (!(await q.revokeSessionOfUser(db, me.userId, sessionId))) throw errors.sessionNotFound({ id: sessionId });
  await appendAudit(db, { actor: me, action: 'session.revoke', target: { type: 'session', id: sessionId }, origin });
}
