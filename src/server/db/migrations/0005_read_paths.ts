// Hot reads become single-row look-ups: a region carries its ancestors and child count (kept
// current by the region loader), a session carries a snapshot of its person and grants (kept
// current whenever those change).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table regions add column ancestors jsonb not null default '[]'::jsonb`.execute(db);
  await sql`alter table regions add column child_count integer not null default 0`.execute(db);
  await sql`alter table sessions add column actor jsonb`.execute(db);
}
