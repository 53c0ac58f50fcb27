import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export type RegionLevel = 'city' | 'district' | 'street' | 'community' | 'grid';
export type RegionKind = 'admin' | 'zone';

export interface RegionTable {
  code: string;
  name: string;
  name_en: string | null;
  level: RegionLevel;
  kind: ColumnType<RegionKind, RegionKind | undefined, RegionKind>;
  parent_code: string | null;
  /** ltree of codes from the root, e.g. 350500.350502.350502001000 */
  path: string;
  district_code: string | null;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  /** Derived (refreshDerivedRegionColumns): the chain above, root first. */
  ancestors: ColumnType<{ code: string; name: string; name_en: string | null; level: RegionLevel }[], string | undefined, string>;
  /** Derived: children, or for a zone its members. */
  child_count: ColumnType<number, number | undefined, number>;
  created_at: Generated<Date>;
}

export interface RegionZoneMemberTable {
  zone_code: string;
  member_code: string;
}

export type Region = Selectable<RegionTable>;
export type NewRegion = Insertable<RegionTable>;
