// Account lock-out after repeated failed sign-ins, and shared rate-limit counters (several app
// processes see the same counts because they live in the database).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column failed_sign_ins integer not null default 0`.execute(db);
  await sql`alter table users add column locked_until timestamptz`.execute(db);
  await sql`
    create table rate_limits (
      key text not null,
      window_start timestamptz not null,
      hits integer not null default 1,
      primary key (key, window_start)
    )`.execute(db);
  await sql`create index rate_limits_window on rate_limits (window_start)`.execute(db);
}
