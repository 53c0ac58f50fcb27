import { Type, type Static } from 'typebox';
import type { Config } from '../../config.js';
import type { Actor } from './access.js';
import type { UserWithGrants } from './accounts.js';
import type { Profile } from './personal-data.js';
import type { SessionInfo } from './service.js';
import type { Consent } from './tables.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const MeOut = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  phoneMasked: Type.String(),
  grants: Type.Array(
    Type.Object({
      role: Type.String(),
      regionCode: Type.String(),
      regionName: Type.String(),
      regionNameEn: Nullable(Type.String()),
      regionLevel: Type.String(),
      regionKind: Type.String(),
    }),
  ),
  pending: Nullable(Type.Union([Type.Literal('second_factor'), Type.Literal('enrolment')])),
  twoFactor: Type.Object({ enabled: Type.Boolean(), required: Type.Boolean() }),
});

export function presentMe(actor: Actor, config: Pick<Config, 'twoFactorRoles'>): Static<typeof MeOut> {
  return {
    id: actor.userId,
    displayName: actor.displayName,
    phoneMasked: actor.phoneMasked,
    grants: actor.grants.map((g) => ({
      role: g.role,
      regionCode: g.regionCode,
      regionName: g.regionName,
      regionNameEn: g.regionNameEn,
      regionLevel: g.regionLevel,
      regionKind: g.regionKind,
    })),
    pending: actor.pending,
    twoFactor: { enabled: actor.twoFactorEnabled, required: actor.grants.some((g) => config.twoFactorRoles.includes(g.role)) },
  };
}

export const SessionOut = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  current: Type.Boolean(),
});

export function presentSession(s: SessionInfo): Static<typeof SessionOut> {
  return { ...s, createdAt: s.createdAt.toISOString(), lastSeenAt: s.lastSeenAt.toISOString(), expiresAt: s.expiresAt.toISOString() };
}

export const UserOut = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  phoneMasked: Type.String(),
  status: Type.String(),
  lockedUntil: Nullable(Type.String({ format: 'date-time' })),
  twoFactorEnabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  grants: Type.Array(
    Type.Object({
      id: Type.String(),
      role: Type.String(),
      regionCode: Type.String(),
      regionName: Type.String(),
      organisationId: Nullable(Type.String()),
      organisationName: Nullable(Type.String()),
    }),
  ),
  /** Grants outside the caller's subtree: counted, not named. */
  otherGrants: Type.Integer(),
});

export function presentUser({ user, grants, otherGrants }: UserWithGrants): Static<typeof UserOut> {
  return {
    id: user.id,
    displayName: user.display_name,
    phoneMasked: user.phone_masked,
    status: user.status,
    lockedUntil: user.locked_until && user.locked_until.getTime() > Date.now() ? user.locked_until.toISOString() : null,
    twoFactorEnabled: user.totp_enabled_at !== null,
    createdAt: user.created_at.toISOString(),
    grants: grants.map((g) => ({
      id: g.id,
      role: g.role,
      regionCode: g.region_code,
      regionName: g.region_name,
      organisationId: g.organisation_id,
      organisationName: g.organisation_name,
    })),
    otherGrants: otherGrants ?? 0,
  };
}

export const ProfileOut = Type.Object({
  occupation: Nullable(Type.String()),
  platform: Nullable(Type.String()),
  homeRegionCode: Nullable(Type.String()),
  homeRegionName: Nullable(Type.String()),
  serves: Type.Object({ collector: Type.Boolean(), gridMember: Type.Boolean(), sentinel: Type.Boolean() }),
  partyMember: Nullable(Type.Boolean()),
  partyConsent: Type.Boolean(),
  idNumberMasked: Nullable(Type.String()),
});

export function presentProfile(p: Profile): Static<typeof ProfileOut> {
  return p;
}

export const ConsentOut = Type.Object({
  kind: Type.String(),
  version: Type.String(),
  granted: Type.Boolean(),
  at: Type.String({ format: 'date-time' }),
});

export function presentConsent(c: Consent): Static<typeof ConsentOut> {
  return { kind: c.kind, version: c.version, granted: c.granted, at: c.created_at.toISOString() };
}
