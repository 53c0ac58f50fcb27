import type { ColumnType, Generated } from 'kysely';

export type RedemptionStatus = 'pending' | 'confirmed' | 'expired';

export interface RewardTable {
  id: Generated<string>;
  organisation_id: string;
  region_path: string;
  title: string;
  description: string;
  points_price: number;
  valid_from: Date | null;
  valid_until: Date | null;
  is_active: ColumnType<boolean, boolean | undefined, boolean>;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface RedemptionTable {
  id: Generated<string>;
  reward_id: string;
  organisation_id: string;
  user_id: string;
  points: number;
  status: ColumnType<RedemptionStatus, RedemptionStatus | undefined, RedemptionStatus>;
  token_hash: string;
  short_code_hash: string;
  short_code_attempt: ColumnType<number, number | undefined, number>;
  idempotency_key: string | null;
  hold_transfer_id: string;
  settle_transfer_id: string | null;
  expires_at: Date;
  confirmed_at: Date | null;
  confirmed_by: string | null;
  created_at: Generated<Date>;
}

export interface RewardStockTable {
  reward_id: string;
  slot: number;
  stock: number;
}
