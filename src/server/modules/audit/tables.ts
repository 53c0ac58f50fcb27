import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

export interface AuditLogTable {
  /** The order rows were written in; the chain's order is seq, given when a row is sealed. */
  id: Generated<number>;
  seq: number | null;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  region_path: string | null;
  district_code: string | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  before: ColumnType<unknown, string | null, string | null>;
  after: ColumnType<unknown, string | null, string | null>;
  note: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export type AuditRow = Selectable<AuditLogTable>;
export type NewAuditRow = Insertable<AuditLogTable>;
/** A row in the chain. */
export type SealedAuditRow = AuditRow & { seq: number; prev_hash: string; hash: string };
