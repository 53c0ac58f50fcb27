import type { ColumnType, Generated } from 'kysely';

type Json<T> = ColumnType<T, string | undefined, string>;

export interface NotificationTable {
  id: Generated<string>;
  user_id: string;
  matter_id: string | null;
  event_seq: number | null;
  template: string;
  params: Json<Record<string, unknown>>;
  read_at: Date | null;
  created_at: Generated<Date>;
}

export interface OutboxTable {
  id: Generated<string>;
  channel: 'sms' | 'wechat';
  user_id: string;
  template: string;
  params: Json<Record<string, unknown>>;
  dedupe_key: string;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | 'sent' | 'failed' | undefined>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | undefined, Date>;
  last_error: string | null;
  sent_at: Date | null;
  created_at: Generated<Date>;
}
