// The audit log: append-only, hash-chained rows (each row's hash covers its content and the
// previous row's hash, so a changed or deleted row breaks the chain).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table audit_log (
      seq bigint primary key,
      at timestamptz not null,
      actor_id uuid references users (id),
      actor_role text,
      action text not null,
      target_type text,
      target_id text,
      region_path ltree,
      district_code text,
      ip text,
      user_agent text,
      request_id text,
      before jsonb,
      after jsonb,
      note text,
      prev_hash text not null,
      hash text not null
    )`.execute(db);
  await sql`create index audit_log_at on audit_log (at)`.execute(db);
  await sql`create index audit_log_actor on audit_log (actor_id, seq)`.execute(db);
  await sql`create index audit_log_action on audit_log (action text_pattern_ops, seq)`.execute(db);
  await sql`create index audit_log_region on audit_log using gist (region_path)`.execute(db);
}
