import type { ColumnType, Generated } from 'kysely';

export type PointAccountKind = 'issuing' | 'hold' | 'expiry' | 'worker' | 'merchant';
export type TransferKind = 'award' | 'spend' | 'hold' | 'release' | 'expiry' | 'correction';

export interface PointAccountTable {
  id: Generated<string>;
  kind: PointAccountKind;
  user_id: string | null;
  organisation_id: string | null;
  /** Cached sum of the account's entries (worker and merchant accounts only). */
  balance: number | null;
  created_at: Generated<Date>;
}

export interface PointTransferTable {
  id: Generated<string>;
  kind: TransferKind;
  source: string | null;
  source_id: string | null;
  points: number;
  region_code: string | null;
  actor_id: string | null;
  note: string | null;
  created_at: Generated<Date>;
}

export interface PointEntryTable {
  id: Generated<number>;
  transfer_id: string;
  account_id: string;
  amount: number;
  expires_at: Date | null;
  created_at: Generated<Date>;
}

export interface PointRuleTable {
  region_code: string;
  report_ordinary: number;
  report_useful: number;
  report_important: number;
  per_volunteer_hour: number;
  per_grid_shift: number;
  monthly_cap: number;
  expiry_months: number;
  code_ttl_minutes: number;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}
