// Uploaded photos and documents. The bytes live under FILES_DIR, named by id; a file is first
// unattached (only its uploader sees it) and is then attached to one subject, e.g. a matter.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table files (
      id uuid primary key default gen_random_uuid(),
      uploaded_by uuid not null references users (id),
      kind text not null check (kind in ('image', 'document')),
      mime text not null,
      size bigint not null check (size >= 0),
      sha256 text not null,
      original_name text not null,
      width integer,
      height integer,
      has_thumbnail boolean not null default false,
      subject_type text,
      subject_id text,
      created_at timestamptz not null default now(),
      check ((subject_type is null) = (subject_id is null))
    )`.execute(db);
  await sql`create index files_subject on files (subject_type, subject_id) where subject_type is not null`.execute(db);
  // The clean-up of abandoned uploads reads only these.
  await sql`create index files_unattached on files (created_at) where subject_type is null`.execute(db);
}
