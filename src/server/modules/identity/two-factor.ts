// Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and one-time recovery codes.
import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';
import type { AppContext, Origin } from '../../context.js';
import { appendAudit } from '../audit/service.js';
import { errors } from '../../errors.js';
import { requirePasswordSignedIn, requireActor, type Actor } from './access.js';
import { verifyPassword } from './passwords.js';
import * as q from './queries.js';
import { refreshSnapshots } from './snapshots.js';
import type { User } from './tables.js';

const ISSUER = '暖新 Nuanxin';
const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

function totpFor(secretBase32: string, label: string): TOTP {
  return new TOTP({ issuer: ISSUER, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(`recovery:${normaliseRecoveryCode(code)}`)
    .digest('hex');
}

function newRecoveryCodes(): string[] {
  const pick = () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)] ?? 'a';
  return Array.from({ length: RECOVERY_CODES }, () => {
    const chars = Array.from({ length: 8 }, pick).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4)}`;
  });
}

/** Accepts a code of the current time step (±1) once only. */
async function acceptTotp(ctx: AppContext, user: Pick<User, 'id' | 'phone_masked'>, secretCipher: string, code: string): Promise<boolean> {
  if (!/^\d{6}$/.test(code)) return false;
  const totp = totpFor(ctx.crypto.decrypt(secretCipher), user.phone_masked);
  const delta = totp.validate({ token: code, window: 1 });
  if (delta === null) return false;
  const step = Math.floor(Date.now() / 1000 / 30) + delta;
  return q.advanceTotpStep(ctx.db, user.id, step);
}

/** The second factor at sign-in: an authenticator code, or an unused recovery code. */
export async function checkSecondFactor(ctx: AppContext, user: User, code: string): Promise<boolean> {
  if (!user.totp_secret_cipher) return false;
  if (/^\d{6}$/.test(code)) return acceptTotp(ctx, user, user.totp_secret_cipher, code);
  return q.useRecoveryCode(ctx.db, user.id, hashRecoveryCode(code));
}

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

/** Starts (or restarts) enrolment: a new secret to scan, kept aside until a code confirms it. */
export async function startTwoFactorSetup(ctx: AppContext, actor: Actor | null): Promise<TwoFactorSetup> {
  const me = requirePasswordSignedIn(actor);
  if (me.pending === 'second_factor') throw errors.secondFactorRequired();
  const secret = new Secret({ size: 20 }).base32;
  await q.updateUser(ctx.db, me.userId, { totp_pending_cipher: ctx.crypto.encrypt(secret) });
  const otpauthUrl = totpFor(secret, me.phoneMasked).toString();
  return { secret, otpauthUrl, qrDataUrl: await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 240 }) };
}

/** Confirms enrolment with a code from the app; returns the recovery codes, shown only now. */
export async function enableTwoFactor(ctx: AppContext, actor: Actor | null, code: string, origin: Origin): Promise<string[]> {
  const me = requirePasswordSignedIn(actor);
  if (me.pending === 'second_factor') throw errors.secondFactorRequired();
  const user = await q.findUserById(ctx.db, me.userId);
  if (!user?.totp_pending_cipher) throw errors.twoFactorNotStarted();
  if (!(await acceptTotp(ctx, user, user.totp_pending_cipher, code))) throw errors.secondFactorFailed();
  const codes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    await q.updateUser(trx, me.userId, {
      totp_secret_cipher: user.totp_pending_cipher,
      totp_pending_cipher: null,
      totp_enabled_at: new Date(),
    });
    await q.replaceRecoveryCodes(trx, me.userId, codes.map(hashRecoveryCode));
    if (me.pending === 'enrolment') await q.clearSessionPending(trx, me.sessionId);
    await refreshSnapshots(trx, me.userId);
    await appendAudit(trx, { actor: me, action: 'two_factor.enable', target: { type: 'user', id: me.userId }, origin });
  });
  return codes;
}

async function requirePassword(ctx: AppContext, userId: string, password: string): Promise<User> {
  const user = await q.findUserById(ctx.db, userId);
  if (!user || !(await verifyPassword(user, password))) throw errors.passwordIncorrect();
  return user;
}

export async function disableTwoFactor(ctx: AppContext, actor: Actor | null, password: string, origin: Origin): Promise<void> {
  const me = requireActor(actor);
  if (me.grants.some((g) => ctx.config.twoFactorRoles.includes(g.role))) throw errors.twoFactorRequired();
  await requirePassword(ctx, me.userId, password);
  await ctx.db.transaction().execute(async (trx) => {
    await q.updateUser(trx, me.userId, {
      totp_secret_cipher: null,
      totp_pending_cipher: null,
      totp_enabled_at: null,
      totp_last_step: null,
    });
    await q.replaceRecoveryCodes(trx, me.userId, []);
    await refreshSnapshots(trx, me.userId);
    await appendAudit(trx, { actor: me, action: 'two_factor.disable', target: { type: 'user', id: me.userId }, origin });
  });
}

export async function regenerateRecoveryCodes(ctx: AppContext, actor: Actor | null, password: string, origin: Origin): Promise<string[]> {
  const me = requireActor(actor);
  const user = await requirePassword(ctx, me.userId, password);
  if (!user.totp_enabled_at) throw errors.twoFactorNotStarted();
  const codes = newRecoveryCodes();
  await q.replaceRecoveryCodes(ctx.db, me.userId, codes.map(hashRecoveryCode));
  await appendAudit(ctx.db, { actor: me, action: 'two_factor.recovery_codes', target: { type: 'user', id: me.userId }, origin });
  return codes;
}
