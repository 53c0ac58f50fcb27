// The people of an organisation, found from their grants: a matter step tells every member of the
// owning organisation, and the console lists an organisation's staff. Without this index each
// look-up read every user.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index role_grants_organisation on role_grants (organisation_id, user_id) where organisation_id is not null`.execute(db);
}
