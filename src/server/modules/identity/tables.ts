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
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type RoleGrant = Selectable<RoleGrantTable>;
