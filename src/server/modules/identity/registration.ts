// Self-registration of workers and residents: a one-time code by text message, then the account
// with its privacy consent (and, separately, consent to precise location).
import { createHmac, randomInt } from 'node:crypto';
import type { AppContext, Origin } from '../../context.js';
import { appendAudit } from '../audit/service.js';
import { errors } from '../../errors.js';
import { hitRateLimits } from '../limits/service.js';
import { requireRegion } from '../regions/service.js';
import { PRIVACY_NOTICE } from './privacy-notice.js';
import { requireStrongPassword } from './passwords.js';
import * as q from './queries.js';
import { createAccount, startSession, type SignInResult } from './service.js';

const CODE_MINUTES = 10;
const CODE_MAX_ATTEMPTS = 5;
/** Per phone: one code a minute and ten a day; per address: twenty an hour. */
const CODE_LIMITS = { perPhoneMinute: 1, perPhoneDay: 10, perAddressHour: 20 };

function hashCode(ctx: AppContext, phoneIndex: string, code: string): string {
  return createHmac('sha256', ctx.config.blindIndexKey).update(`otp:${phoneIndex}:${code}`).digest('hex');
}

export async function sendRegistrationCode(ctx: AppContext, input: { phone: string; origin: Origin }): Promise<void> {
  const phoneIndex = ctx.crypto.blindIndex('phone', input.phone);
  await hitRateLimits(ctx.db, [
    { key: `code:phone-minute:${phoneIndex}`, max: CODE_LIMITS.perPhoneMinute, windowSeconds: 60 },
    { key: `code:phone-day:${phoneIndex}`, max: CODE_LIMITS.perPhoneDay, windowSeconds: 24 * 3600 },
    { key: `code:ip:${input.origin.ip ?? 'unknown'}`, max: CODE_LIMITS.perAddressHour, windowSeconds: 3600 },
  ]);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await q.insertOneTimeCode(ctx.db, {
    phone_index: phoneIndex,
    purpose: 'register',
    code_hash: hashCode(ctx, phoneIndex, code),
    expires_at: new Date(Date.now() + CODE_MINUTES * 60_000),
  });
  await ctx.sms.send({ phone: input.phone, template: 'one_time_code', params: { code, minutes: String(CODE_MINUTES) } });
}

export interface Registration {
  phone: string;
  code: string;
  password: string;
  displayName: string;
  role: 'worker' | 'resident';
  regionCode: string;
  privacyVersion: string;
  locationConsent: boolean;
  origin: Origin;
}

const FINE_LEVELS = ['street', 'community', 'grid'];

export async function register(ctx: AppContext, input: Registration): Promise<SignInResult> {
  if (input.privacyVersion !== PRIVACY_NOTICE.version) throw errors.privacyNoticeOutdated({ current: PRIVACY_NOTICE.version });
  requireStrongPassword(input.password, 'public');
  const region = await requireRegion(ctx.db, input.regionCode);
  if (!FINE_LEVELS.includes(region.level)) throw errors.regionTooCoarse();
  const phoneIndex = ctx.crypto.blindIndex('phone', input.phone);

  const userId = await ctx.db.transaction().execute(async (trx) => {
    const live = await q.lockLatestOneTimeCode(trx, phoneIndex, 'register');
    if (!live || live.attempts >= CODE_MAX_ATTEMPTS) throw errors.codeInvalid();
    if (live.code_hash !== hashCode(ctx, phoneIndex, input.code)) {
      await q.countOneTimeCodeAttempt(trx, live.id);
      return null;
    }
    await q.markOneTimeCodeUsed(trx, live.id);
    const user = await createAccount(ctx, trx, {
      phone: input.phone,
      displayName: input.displayName.trim(),
      password: input.password,
      grants: [{ role: input.role, regionCode: region.code }],
    });
    await q.upsertProfile(trx, { user_id: user.id, home_region_code: region.code });
    await q.insertConsent(trx, { user_id: user.id, kind: 'privacy', version: PRIVACY_NOTICE.version, granted: true, ip: input.origin.ip });
    await q.insertConsent(trx, {
      user_id: user.id,
      kind: 'location',
      version: PRIVACY_NOTICE.version,
      granted: input.locationConsent,
      ip: input.origin.ip,
    });
    await appendAudit(trx, {
      actor: { userId: user.id },
      action: 'user.register',
      target: { type: 'user', id: user.id, regionPath: region.path, districtCode: region.district_code },
      after: {
        displayName: user.display_name,
        phoneMasked: user.phone_masked,
        role: input.role,
        regionCode: region.code,
        locationConsent: input.locationConsent,
      },
      origin: input.origin,
    });
    return user.id;
  });
  // A wrong code is counted (committed above) and then refused.
  if (!userId) throw errors.codeInvalid();
  return startSession(ctx, userId, { origin: input.origin });
}
