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

export interface Me {
  id: string;
  displayName: string;
  phoneMasked: string;
  grants: Grant[];
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
