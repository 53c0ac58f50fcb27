import type { ColumnType, Generated, Selectable } from 'kysely';

type Json<T> = ColumnType<T, string | undefined, string>;

export interface ReportCategoryTable {
  code: string;
  label_zh: string;
  label_en: string;
  /** Working days the department has once the report is dispatched. */
  handle_days: number;
  sort: ColumnType<number, number | undefined, number>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface ReportRouteTable {
  id: Generated<string>;
  category: string;
  region_code: string;
  region_path: string;
  organisation_id: string;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

/** A report's own columns beside its matter (which holds state, owner, deadline and timeline). */
export interface ReportTable {
  matter_id: string;
  raised_by: string | null;
  category: string;
  /** WGS-84. */
  lat: number;
  lng: number;
  source_datum: ColumnType<string, string | undefined, string>;
  place_id: string | null;
  occurred_at: Date;
  photos: Json<string[]>;
  source: 'app' | 'open311';
  idempotency_key: string | null;
  open311_key_id: string | null;
  open311_token: string | null;
  /** Open311 submitter's email, phone and name, encrypted (JSON). */
  submitter_cipher: string | null;
  level: string | null;
  points: number | null;
  created_at: Date;
}

export interface Open311KeyTable {
  id: Generated<string>;
  name: string;
  key_hash: string;
  /** The last four characters, for telling keys apart in the console. */
  key_hint: string;
  created_by: string | null;
  created_at: ColumnType<Date, Date | undefined, Date>;
  revoked_at: Date | null;
  revoked_by: string | null;
}

export type ReportCategory = Selectable<ReportCategoryTable>;
export type ReportRoute = Selectable<ReportRouteTable>;
export type Report = Selectable<ReportTable>;
export type Open311Key = Selectable<Open311KeyTable>;
