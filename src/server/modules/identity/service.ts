// Accounts, sign-in and sessions.
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { maskPhone } from '../../crypto/fields.js';
import { errors } from '../../errors.js';
import { hitRateLimits } from '../limits/service.js';
import { STAFF_ROLES, type Actor } from './access.js';
import * as q from './queries.js';
import type { Role, User } from './tables.js';

/** argon2id with OWASP's second recommended setting (19 MiB, 2 passes): ≈ 50–80 ms here. */
export const ARGON2_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

const STAFF_SESSION = { idleMinutes: 30, lifetimeHours: 12 };
const WORKER_SESSION = { idleMinutes: 7 * 24 * 60, lifetimeHours: 30 * 24 };

// Spent on unknown phones too, so the answer takes as long as for a wrong password.
const dummyHash = hash('not-a-password', ARGON2_OPTIONS);

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The CSRF token of a session: derived from its secret token, so nothing more is stored. */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`csrf:${sessionToken}`).digest('base64url');
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
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
  if (await q.findUserByPhoneIndex(db, phoneIndex)) throw errors.conflict({ field: 'phone' });
  const user = await q.insertUser(db, {
    display_name: account.displayName,
    phone_cipher: ctx.crypto.encrypt(account.phone),
    phone_index: phoneIndex,
    phone_masked: maskPhone(account.phone),
    password_hash: await hashPassword(account.password),
    is_demo: account.isDemo ?? false,
  });
  for (const grant of account.grants) {
    await q.insertGrant(db, { user_id: user.id, role: grant.role, region_code: grant.regionCode, organisation_id: grant.organisationId ?? null });
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

export async function signIn(
  ctx: AppContext,
  input: { phone: string; password: string; ip: string | null; userAgent: string | null },
): Promise<SignInResult> {
  const phoneIndex = ctx.crypto.blindIndex('phone', input.phone);
  await hitRateLimits(ctx.db, [
    { key: `sign-in:ip:${input.ip ?? 'unknown'}`, max: SIGN_IN_LIMITS.perAddress, windowSeconds: SIGN_IN_LIMITS.windowSeconds },
    { key: `sign-in:phone:${phoneIndex}`, max: SIGN_IN_LIMITS.perPhone, windowSeconds: SIGN_IN_LIMITS.windowSeconds },
  ]);
  const user = await q.findUserByPhoneIndex(ctx.db, phoneIndex);
  const locked = user?.locked_until ? user.locked_until.getTime() > Date.now() : false;
  const stored = user?.status === 'active' && !locked ? user.password_hash : null;
  // Unknown, locked and wrong all spend one hash and get the same answer.
  const ok = stored ? await verify(stored, input.password) : (await verify(await dummyHash, input.password), false);
  if (!user || !ok) {
    if (user && !locked) await q.recordFailedSignIn(ctx.db, user.id, ctx.config.signInMaxFailures, ctx.config.signInLockMinutes);
    throw errors.signInFailed();
  }
  if (user.failed_sign_ins > 0) await q.clearFailedSignIns(ctx.db, user.id);

  const token = randomBytes(32).toString('base64url');
  const tokenHash = hashToken(token);
  // Anyone holding a staff role gets the short staff timeouts.
  const roles = await q.findRolesOfUser(ctx.db, user.id);
  const policy = roles.some((role) => STAFF_ROLES.includes(role)) ? STAFF_SESSION : WORKER_SESSION;
  await q.insertSession(ctx.db, {
    token_hash: tokenHash,
    user_id: user.id,
    expires_at: new Date(Date.now() + policy.lifetimeHours * 3600_000),
    idle_minutes: policy.idleMinutes,
    ip: input.ip,
    user_agent: input.userAgent?.slice(0, 300) ?? null,
  });
  const actor = await actorFromToken(ctx.db, token);
  if (!actor) throw errors.internal();
  return { token, actor, maxAgeSeconds: policy.lifetimeHours * 3600 };
}

export async function actorFromToken(db: Db, token: string): Promise<Actor | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const row = await q.findActiveSessionActor(db, hashToken(token));
  if (!row) return null;
  if (Date.now() - row.last_seen_at.getTime() > 60_000) await q.touchSession(db, row.session_id);
  return {
    userId: row.user_id,
    sessionId: row.session_id,
    displayName: row.display_name,
    phoneMasked: row.phone_masked,
    grants: row.grants.map((g) => ({
      role: g.role,
      regionCode: g.regionCode,
      regionName: g.regionName,
      regionNameEn: g.regionNameEn,
      regionLevel: g.regionLevel,
      regionKind: g.regionKind,
      scope: g.regionKind === 'zone' ? [g.regionPath, ...(g.memberPaths ?? [])] : [g.regionPath],
    })),
  };
}

export async function signOut(db: Db, token: string): Promise<void> {
  await q.revokeSessionByTokenHash(db, hashToken(token));
}
