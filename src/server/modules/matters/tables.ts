import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Numeric = ColumnType<number, number | string | undefined, number | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

export interface MatterTable {
  id: Generated<string>;
  number: ColumnType<number, never, never>;
  kind: string;
  status: string;
  /** The seq of the last event: the optimistic-concurrency version. */
  version: number;
  region_code: string;
  region_path: string;
  district_code: string | null;
  street_code: string | null;
  category: string;
  title: string;
  body: string;
  payload: Json<Record<string, unknown>>;
  /** How it came in: app, desk (walk-in), phone, hotline … */
  channel: string;
  raised_by: string | null;
  /** Personal fields of the person concerned: on the row only, never in the timeline. */
  contact_name: string | null;
  contact_phone_cipher: string | null;
  contact_phone_index: string | null;
  contact_phone_masked: string | null;
  owner_org_id: string | null;
  owner_user_id: string | null;
  priority: number;
  due_at: Date | null;
  paused_since: Date | null;
  /** Working minutes left on the clock while paused. */
  clock_remaining_minutes: number | null;
  /** 0 none, 1 due soon, 2 overdue, 3 escalated to the owner's superior. */
  supervision_level: number;
  reopen_count: number;
  outcome: string | null;
  satisfaction: string | null;
  money_recovered: Numeric;
  merged_into: string | null;
  first_assigned_at: Date | null;
  assigned_at: Date | null;
  replied_at: Date | null;
  closed_at: Date | null;
  is_demo: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Date;
  updated_at: Date;
}

export interface MatterEventTable {
  id: Generated<number>;
  matter_id: string;
  seq: number;
  type: string;
  actor_id: string | null;
  actor_role: string | null;
  actor_org_id: string | null;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  data: Json<Record<string, unknown>>;
  files: Json<string[]>;
  at: Date;
}

export type Matter = Selectable<MatterTable>;
export type NewMatter = Insertable<MatterTable>;
export type MatterEvent = Selectable<MatterEventTable>;
