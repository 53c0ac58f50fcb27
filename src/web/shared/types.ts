// Shapes of the server's JSON API as the web apps use them (camelCase, as sent).

export interface LocalizedText {
  zh: string;
  en: string;
}

export const ROLES = [
  'worker',
  'grid_member',
  'resident',
  'merchant',
  'station_staff',
  'mediator',
  'department_handler',
  'coordinator',
  'admin',
  'system_admin',
  'security_admin',
  'audit_admin',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles that work in the console over a region (workers and residents use the worker app). */
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

/** Roles the server lets create organisations (over their region). */
export const ORGANISATION_CREATOR_ROLES: readonly Role[] = ['admin', 'coordinator'];

/** Roles that administer staff accounts and grants (the server's ACCOUNT_ADMIN_ROLES). */
export const ACCOUNT_ADMIN_ROLES: readonly Role[] = ['admin', 'security_admin'];

/** Roles that read the audit log. */
export const AUDIT_ROLES: readonly Role[] = ['audit_admin'];

export interface DemoAccount {
  phone: string;
  password: string;
  role: Role;
  regionName: string;
  displayName: string;
}

export interface Meta {
  name: LocalizedText;
  version: string;
  demo: boolean;
  demoAccounts: DemoAccount[];
}

export const REGION_LEVELS = ['city', 'district', 'street', 'community', 'grid'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];
export type RegionKind = 'admin' | 'zone';

export interface Grant {
  role: Role;
  regionCode: string;
  regionName: string;
  /** Sent by the server beyond the first contract; may be missing or null. */
  regionNameEn?: string | null;
  regionLevel: RegionLevel;
  regionKind?: RegionKind;
}

/** A step still owed after the password: the second factor, or (for admins) enrolling one. */
export type PendingStep = 'second_factor' | 'enrolment';

export interface Me {
  id: string;
  displayName: string;
  phoneMasked: string;
  grants: Grant[];
  pending: PendingStep | null;
  twoFactor: { enabled: boolean; required: boolean };
}

export interface SessionInfo {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  current: boolean;
}

export interface TwoFactorSetup {
  secret: string;
  otpauthUrl: string;
  /** The otpauth URL as a PNG QR code (data: URL), drawn by the server. */
  qrDataUrl: string;
}

export interface RecoveryCodes {
  recoveryCodes: string[];
}

export const USER_STATUSES = ['active', 'disabled', 'anonymised'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export interface UserGrant {
  id: string;
  role: Role;
  regionCode: string;
  regionName: string;
  /** The organisation the role works for (a merchant's shop), if any. */
  organisationId: string | null;
  organisationName: string | null;
}

/** An account as an account administrator sees it (phone masked). */
export interface UserAccount {
  id: string;
  displayName: string;
  phoneMasked: string;
  status: UserStatus;
  lockedUntil: string | null;
  twoFactorEnabled: boolean;
  createdAt: string;
  grants: UserGrant[];
  /** Grants outside the viewer's subtree, counted only. */
  otherGrants: number;
}

export interface NewGrant {
  role: Role;
  regionCode: string;
  /** Required for a merchant (its shop); optional for other roles. */
  organisationId?: string | null;
}

export interface NewStaffAccount {
  phone: string;
  displayName: string;
  password: string;
  grants: NewGrant[];
}

/** A page of a list paged by cursor: `next` fetches the page after, null at the end. */
export interface CursorPage<T, C> {
  items: T[];
  next: C | null;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  /** The actor's roles when they acted, comma-separated. */
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  before: unknown;
  after: unknown;
  note: string | null;
}

export interface ChainCheck {
  ok: boolean;
  checked: number;
  firstBadSeq: number | null;
  problem: string | null;
}

export const OCCUPATIONS = ['food_delivery', 'courier', 'ride_hailing', 'truck', 'other'] as const;
export type Occupation = (typeof OCCUPATIONS)[number];

export interface Serves {
  collector: boolean;
  gridMember: boolean;
  sentinel: boolean;
}

export interface Profile {
  occupation: Occupation | null;
  platform: string | null;
  homeRegionCode: string | null;
  homeRegionName: string | null;
  serves: Serves;
  partyMember: boolean | null;
  partyConsent: boolean;
  idNumberMasked: string | null;
}

export interface ProfileChanges {
  occupation?: Occupation | null;
  platform?: string | null;
  homeRegionCode?: string | null;
  serves?: Serves;
  partyConsent?: boolean;
  partyMember?: boolean | null;
}

export type ConsentKind = 'privacy' | 'location' | 'party_membership';

export interface Consent {
  kind: ConsentKind;
  version: string;
  granted: boolean;
  at: string;
}

export interface PrivacyNotice {
  version: string;
  title: LocalizedText;
  body: LocalizedText;
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
}

export interface Region {
  code: string;
  name: string;
  nameEn: string | null;
  level: RegionLevel;
  kind: RegionKind;
  parentCode: string | null;
  districtCode: string | null;
  childCount: number;
}

export interface RegionBrief {
  code: string;
  name: string;
  nameEn: string | null;
  level: RegionLevel;
}

export interface RegionDetail extends Region {
  /** From the root down, excluding the region itself. */
  ancestors: RegionBrief[];
  /** For a zone: the regions it spans. */
  members?: Region[];
}

export interface RegionSearchResult extends Region {
  pathNames: string[];
}

export const ORGANISATION_KINDS = [
  'street_office',
  'department',
  'station_operator',
  'mediation_team',
  'trade_union',
  'merchant',
  'social_organisation',
  'enterprise',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export interface Organisation {
  id: string;
  name: string;
  kind: OrganisationKind;
  regionCode: string;
  regionName: string;
  parentId: string | null;
}

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  regionCode: string;
  parentId?: string | null;
}

export interface Items<T> {
  items: T[];
}

export interface Page<T> extends Items<T> {
  total: number;
}

export interface ErrorBody {
  error: { code: string; message: LocalizedText; details?: unknown };
}
