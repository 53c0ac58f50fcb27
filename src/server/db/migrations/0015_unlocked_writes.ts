// Writes that no longer queue behind a lock or wait on extra round trips:
// - The audit log: a row is inserted in its own transaction with no place in the chain yet (seq,
//   prev_hash and hash empty) and sealed into the chain right after its commit, in the order rows
//   were written (id). Appends no longer queue behind one lock.
// - nx_expect(ok, code): a guard for a write sent as one statement (db/together.ts); when ok is
//   false the whole statement fails with SQLSTATE NX409 and the code as its message.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit_log add column id bigint generated always as identity`.execute(db);
  await sql`alter table audit_log drop constraint audit_log_pkey`.execute(db);
  await sql`alter table audit_log add primary key (id)`.execute(db);
  await sql`alter table audit_log alter column seq drop not null, alter column prev_hash drop not null, alter column hash drop not null`.execute(db);
  await sql`create unique index audit_log_seq on audit_log (seq)`.execute(db);
  await sql`create index audit_log_unsealed on audit_log (id) where seq is null`.execute(db);
  // Sealed once, never changed after: a row is in the chain whole or not at all.
  await sql`alter table audit_log add constraint audit_log_sealed_whole
    check ((seq is null and prev_hash is null and hash is null) or (seq is not null and prev_hash is not null and hash is not null))`.execute(db);
  await sql`
    create function nx_expect(ok boolean, code text) returns boolean language plpgsql volatile as $$
    begin
      if ok is not true then
        raise exception using errcode = 'NX409', message = code;
      end if;
      return true;
    end $$`.execute(db);
}
