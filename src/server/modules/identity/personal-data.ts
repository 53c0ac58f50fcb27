// A person's own data: the worker profile, consents, the export of everything held about them,
// and closing the account (anonymisation: matters keep their statistics, not the person).
import { randomUUID } from 'node:crypto';
import type { AppContext, Origin } from '../../context.js';
import { forgetPersonInMatters, mattersForExport } from '../matters/erasure.js';
import { appendAudit } from '../audit/service.js';
import { errors } from '../../errors.js';
import { requireRegion } from '../regions/service.js';
import { requireActor, type Actor } from './access.js';
import { verifyPassword } from './passwords.js';
import { PRIVACY_NOTICE } from './privacy-notice.js';
import * as q from './queries.js';
import type { ConsentKind, Occupation } from './tables.js';

/** 18-character mainland resident ID: 17 digits and a check character (ISO 7064 MOD 11-2). */
export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return '10X98765432'[sum % 11] === id[17];
}

export function maskIdNumber(id: string): string {
  return `${id.slice(0, 3)}***********${id.slice(14)}`;
}

export interface Profile {
  occupation: Occupation | null;
  platform: string | null;
  homeRegionCode: string | null;
  homeRegionName: string | null;
  serves: { collector: boolean; gridMember: boolean; sentinel: boolean };
  partyMember: boolean | null;
  partyConsent: boolean;
  idNumberMasked: string | null;
}

export async function getProfile(ctx: AppContext, actor: Actor | null): Promise<Profile> {
  const me = requireActor(actor);
  const [profile, consents] = await Promise.all([q.findProfile(ctx.db, me.userId), q.findCurrentConsents(ctx.db, me.userId)]);
  return {
    occupation: profile?.occupation ?? null,
    platform: profile?.platform ?? null,
    homeRegionCode: profile?.home_region_code ?? null,
    homeRegionName: profile?.home_region_name ?? null,
    serves: {
      collector: profile?.is_collector ?? false,
      gridMember: profile?.is_grid_member ?? false,
      sentinel: profile?.is_sentinel ?? false,
    },
    partyMember: profile?.party_member ?? null,
    partyConsent: consents.get('party_membership')?.granted ?? false,
    idNumberMasked: profile?.id_number_masked ?? null,
  };
}

export interface ProfileChanges {
  occupation?: Occupation | null;
  platform?: string | null;
  homeRegionCode?: string | null;
  serves?: { collector: boolean; gridMember: boolean; sentinel: boolean };
  partyConsent?: boolean;
  partyMember?: boolean | null;
  idNumber?: string | null;
}

export async function updateProfile(ctx: AppContext, actor: Actor | null, changes: ProfileChanges, origin: Origin): Promise<Profile> {
  const me = requireActor(actor);
  if (changes.homeRegionCode) await requireRegion(ctx.db, changes.homeRegionCode);
  const idNumber = changes.idNumber?.toUpperCase();
  if (idNumber && !isValidIdNumber(idNumber))
    throw errors.invalidRequest({ issues: [{ field: 'body.idNumber', problem: 'is not a valid ID number' }] });
  await ctx.db.transaction().execute(async (trx) => {
    const consents = await q.findCurrentConsents(trx, me.userId);
    let partyConsent = consents.get('party_membership')?.granted ?? false;
    if (changes.partyConsent !== undefined && changes.partyConsent !== partyConsent) {
      await q.insertConsent(trx, {
        user_id: me.userId,
        kind: 'party_membership',
        version: PRIVACY_NOTICE.version,
        granted: changes.partyConsent,
        ip: origin.ip,
      });
      partyConsent = changes.partyConsent;
    }
    if (changes.partyMember !== undefined && changes.partyMember !== null && !partyConsent)
      throw errors.consentRequired({ kind: 'party_membership' });
    const current = await q.findProfile(trx, me.userId);
    await q.upsertProfile(trx, {
      user_id: me.userId,
      occupation: changes.occupation !== undefined ? changes.occupation : (current?.occupation ?? null),
      platform: changes.platform !== undefined ? changes.platform?.trim() || null : (current?.platform ?? null),
      home_region_code: changes.homeRegionCode !== undefined ? changes.homeRegionCode : (current?.home_region_code ?? null),
      is_collector: changes.serves?.collector ?? current?.is_collector ?? false,
      is_grid_member: changes.serves?.gridMember ?? current?.is_grid_member ?? false,
      is_sentinel: changes.serves?.sentinel ?? current?.is_sentinel ?? false,
      // Withdrawing consent also forgets the answer.
      party_member: !partyConsent ? null : changes.partyMember !== undefined ? changes.partyMember : (current?.party_member ?? null),
      id_number_cipher: idNumber !== undefined ? (idNumber ? ctx.crypto.encrypt(idNumber) : null) : (current?.id_number_cipher ?? null),
      id_number_masked: idNumber !== undefined ? (idNumber ? maskIdNumber(idNumber) : null) : (current?.id_number_masked ?? null),
    });
    // Which fields changed, not their values: the log keeps no personal data in clear.
    await appendAudit(trx, {
      actor: me,
      action: 'profile.update',
      target: { type: 'user', id: me.userId },
      after: { fields: Object.keys(changes).sort() },
      origin,
    });
  });
  return getProfile(ctx, me);
}

const KNOWN_PLATFORMS = [
  '美团',
  '饿了么',
  '顺丰速运',
  '京东物流',
  '中通快递',
  '圆通速递',
  '韵达快递',
  '申通快递',
  '极兔速递',
  '邮政EMS',
  '滴滴出行',
  '曹操出行',
  'T3出行',
  '货拉拉',
  '满帮',
  '闪送',
  'UU跑腿',
  '达达快送',
];

export async function suggestPlatforms(ctx: AppContext, text: string): Promise<string[]> {
  const wanted = text.trim();
  const known = KNOWN_PLATFORMS.filter((p) => p.includes(wanted));
  const used = wanted ? await q.findPlatformNames(ctx.db, wanted, 10) : [];
  return [...new Set([...known, ...used])].slice(0, 10);
}

export async function listConsents(ctx: AppContext, actor: Actor | null) {
  const me = requireActor(actor);
  return q.findConsents(ctx.db, me.userId);
}

export async function recordConsent(
  ctx: AppContext,
  actor: Actor | null,
  input: { kind: ConsentKind; granted: boolean; version?: string },
  origin: Origin,
) {
  const me = requireActor(actor);
  const version = input.version ?? PRIVACY_NOTICE.version;
  if (input.kind === 'privacy' && input.granted && version !== PRIVACY_NOTICE.version)
    throw errors.privacyNoticeOutdated({ current: PRIVACY_NOTICE.version });
  return ctx.db.transaction().execute(async (trx) => {
    const consent = await q.insertConsent(trx, { user_id: me.userId, kind: input.kind, version, granted: input.granted, ip: origin.ip });
    if (input.kind === 'party_membership' && !input.granted) await q.upsertProfile(trx, { user_id: me.userId, party_member: null });
    await appendAudit(trx, {
      actor: me,
      action: 'consent.record',
      target: { type: 'user', id: me.userId },
      after: { kind: input.kind, version, granted: input.granted },
      origin,
    });
    return consent;
  });
}

/** Everything held about the person, readable (their own phone and ID number in full). */
export async function exportMyData(ctx: AppContext, actor: Actor | null, origin: Origin): Promise<Record<string, unknown>> {
  const me = requireActor(actor);
  await appendAudit(ctx.db, { actor: me, action: 'personal_data.export', target: { type: 'user', id: me.userId }, origin });
  const user = await q.findUserById(ctx.db, me.userId);
  if (!user) throw errors.userNotFound();
  const [profile, consents, sessions, grants, matters] = await Promise.all([
    q.findProfile(ctx.db, me.userId),
    q.findConsents(ctx.db, me.userId),
    q.findSessionsForExport(ctx.db, me.userId),
    q.findGrantsOfUsers(ctx.db, [me.userId]),
    mattersForExport(ctx, me.userId),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    account: {
      id: user.id,
      displayName: user.display_name,
      phone: ctx.crypto.decrypt(user.phone_cipher),
      createdAt: user.created_at.toISOString(),
      twoFactorEnabled: user.totp_enabled_at !== null,
    },
    roles: grants.map((g) => ({ role: g.role, regionCode: g.region_code, regionName: g.region_name })),
    profile: profile
      ? {
          occupation: profile.occupation,
          platform: profile.platform,
          homeRegionCode: profile.home_region_code,
          homeRegionName: profile.home_region_name,
          serves: { collector: profile.is_collector, gridMember: profile.is_grid_member, sentinel: profile.is_sentinel },
          partyMember: profile.party_member,
          idNumber: profile.id_number_cipher ? ctx.crypto.decrypt(profile.id_number_cipher) : null,
        }
      : null,
    consents: consents.map((c) => ({ kind: c.kind, version: c.version, granted: c.granted, at: c.created_at.toISOString() })),
    sessions: sessions.map((s) => ({
      createdAt: s.created_at.toISOString(),
      lastSeenAt: s.last_seen_at.toISOString(),
      ip: s.ip,
      userAgent: s.user_agent,
      endedAt: s.revoked_at?.toISOString() ?? null,
    })),
    matters,
  };
}

/**
 * Closes the account: personal fields are replaced, sessions and roles end. The row stays, so
 * whatever refers to it (matters, points) keeps its statistics without the person.
 */
export async function deleteMyAccount(ctx: AppContext, actor: Actor | null, password: string, origin: Origin): Promise<void> {
  const me = requireActor(actor);
  const user = await q.findUserById(ctx.db, me.userId);
  if (!user || !(await verifyPassword(user, password))) throw errors.passwordIncorrect();
  await ctx.db.transaction().execute(async (trx) => {
    await q.updateUser(trx, me.userId, {
      display_name: '已注销用户',
      phone_cipher: ctx.crypto.encrypt(''),
      phone_index: `anonymised:${randomUUID()}`,
      phone_masked: '***********',
      password_hash: null,
      status: 'anonymised',
      anonymised_at: new Date(),
      totp_secret_cipher: null,
      totp_pending_cipher: null,
      totp_enabled_at: null,
    });
    await q.replaceRecoveryCodes(trx, me.userId, []);
    await q.deleteProfile(trx, me.userId);
    await q.deleteGrantsOfUser(trx, me.userId);
    await q.revokeAllSessionsOfUser(trx, me.userId);
    await forgetPersonInMatters(trx, me.userId, user.phone_index);
    await appendAudit(trx, { actor: { userId: me.userId }, action: 'user.anonymise', target: { type: 'user', id: me.userId }, origin });
  });
}
