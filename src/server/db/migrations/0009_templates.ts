// The template library (文书模板库): standard documents published by a region's staff, each one
// file attached to it, with a download count.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table templates (
      id uuid primary key default gen_random_uuid(),
      title text not null check (length(title) between 1 and 100),
      category text not null check (category in ('contract', 'pay', 'mediation', 'injury', 'insurance', 'policy', 'other')),
      description text not null default '',
      file_id uuid not null unique references files (id),
      region_code text not null references regions (code),
      region_path ltree not null,
      district_code text,
      created_by uuid not null references users (id),
      downloads integer not null default 0 check (downloads >= 0),
      archived_at timestamptz,
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // The library page: the live templates, newest first.
  await sql`create index templates_live on templates (created_at desc, id desc) where archived_at is null`.execute(db);
}
