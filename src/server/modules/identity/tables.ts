import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

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

export interface UserTable {
  id: Generated<string>;
  display_name: string;
  /** AES-256-GCM ciphertext with key id (see crypto/fields.ts). */
  phone_cipher: string;
  /** Keyed blind index (HMAC) for exact look-up. */
  phone_index: string;
  phone_masked: string;
  password_hash: string | null;
  status: ColumnType<'active' | 'disabled' | 'anonymised', 'active' | 'disabled' | 'anonymised' | undefined>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  failed_sign_ins: ColumnType<number, number | undefined, number>;
  locked_until: Date | null;
  totp_secret_cipher: string | null;
  /** A secret shown for enrolment, not yet confirmed with a code. */
  totp_pending_cipher: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  anonymised_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RoleGrantTable {
  id: Generated<string>;
  user_id: string;
  role: Role;
  region_code: string;
  organisation_id: string | null;
  granted_by: string | null;
  created_at: Generated<Date>;
}

export interface SessionTable {
  id: Generated<string>;
  token_hash: string;
  user_id: string;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  idle_minutes: number;
  ip: string | null;
  user_agent: string | null;
  revoked_at: Date | null;
  /** Signed in with a password, but the second factor (or its enrolment) is still owed. */
  pending: SessionPending | null;
  /** Snapshot of the person and grants (snapshots.ts), refreshed whenever they change. */
  actor: ColumnType<ActorSnapshotJson | null, string | undefined, string>;
}

/** Stored shape of a session's actor snapshot (see queries.ts ActorSnapshot). */
export interface ActorSnapshotJson {
  displayName: string;
  phoneMasked: string;
  twoFactorEnabled: boolean;
  grants: { role: Role; regionCode: string; regionName: string; regionNameEn: string | null; regionLevel: string; regionKind: string; scope: string[] }[];
}

export type SessionPending = 'second_factor' | 'enrolment';

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type RoleGrant = Selectable<RoleGrantTable>;

export interface RecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export interface OneTimeCodeTable {
  id: Generated<string>;
  phone_index: string;
  purpose: 'register';
  code_hash: string;
  attempts: ColumnType<number, number | undefined, number>;
  expires_at: Date;
  used_at: Date | null;
  created_at: Generated<Date>;
}

export const OCCUPATIONS = ['food_delivery', 'courier', 'ride_hailing', 'truck', 'other'] as const;
export type Occupation = (typeof OCCUPATIONS)[number];

export interface WorkerProfileTable {
  user_id: string;
  occupation: Occupation | null;
  platform: string | null;
  home_region_code: string | null;
  is_collector: ColumnType<boolean, boolean | undefined, boolean>;
  is_grid_member: ColumnType<boolean, boolean | undefined, boolean>;
  is_sentinel: ColumnType<boolean, boolean | undefined, boolean>;
  party_member: boolean | null;
  id_number_cipher: string | null;
  id_number_masked: string | null;
  updated_at: Generated<Date>;
}

export const CONSENT_KINDS = ['privacy', 'location', 'party_membership'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

export interface ConsentTable {
  id: Generated<string>;
  user_id: string;
  kind: ConsentKind;
  version: string;
  granted: boolean;
  ip: string | null;
  created_at: Generated<Date>;
}

export type WorkerProfile = Selectable<WorkerProfileTable>;
export type Consent = Selectable<ConsentTable>;
