// Each process keeps the sessions it has just looked up for a few seconds (identity/session-cache.ts).
// A change that ends or alters a session is announced on channel nx_session with its token hash,
// so every process forgets it at once. A touch (last_seen_at moved on) is not announced.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function nx_session_changed() returns trigger language plpgsql as $$
    begin
      perform pg_notify('nx_session', old.token_hash);
      return null;
    end $$`.execute(db);
  await sql`
    create trigger sessions_changed after update on sessions for each row
    when (old.revoked_at is distinct from new.revoked_at or old.actor is distinct from new.actor
      or old.pending is distinct from new.pending or old.expires_at is distinct from new.expires_at
      or old.idle_minutes is distinct from new.idle_minutes or old.token_hash is distinct from new.token_hash
      or old.user_id is distinct from new.user_id or new.last_seen_at < old.last_seen_at)
    execute function nx_session_changed()`.execute(db);
  await sql`create trigger sessions_deleted after delete on sessions for each row execute function nx_session_changed()`.execute(db);
}
