import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

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

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  kind: OrganisationKind;
  region_code: string;
  /** Copy of the region's path so subtree filters need no join. */
  region_path: string;
  district_code: string | null;
  parent_id: string | null;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type Organisation = Selectable<OrganisationTable>;
export type NewOrganisation = Insertable<OrganisationTable>;
