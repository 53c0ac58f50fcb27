// Two-factor sign-in, one-time codes, workers' profiles and consents.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table users add column totp_secret_cipher text`.execute(db);
  await sql`alter table users add column totp_pending_cipher text`.execute(db);
  await sql`alter table users add column totp_enabled_at timestamptz`.execute(db);
  // The last time step accepted, so a code cannot be used twice.
  await sql`alter table users add column totp_last_step bigint`.execute(db);
  await sql`alter table users add column anonymised_at timestamptz`.execute(db);
  await sql`alter table sessions add column pending text check (pending in ('second_factor', 'enrolment'))`.execute(db);

  await sql`
    create table recovery_codes (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      code_hash text not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index recovery_codes_user on recovery_codes (user_id)`.execute(db);

  await sql`
    create table one_time_codes (
      id uuid primary key default gen_random_uuid(),
      phone_index text not null,
      purpose text not null check (purpose in ('register')),
      code_hash text not null,
      attempts integer not null default 0,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index one_time_codes_phone on one_time_codes (phone_index, purpose, created_at desc)`.execute(db);

  await sql`
    create table worker_profiles (
      user_id uuid primary key references users (id),
      occupation text check (occupation in ('food_delivery', 'courier', 'ride_hailing', 'truck', 'other')),
      platform text,
      home_region_code text references regions (code),
      is_collector boolean not null default false,
      is_grid_member boolean not null default false,
      is_sentinel boolean not null default false,
      party_member boolean,
      id_number_cipher text,
      id_number_masked text,
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table consents (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      kind text not null check (kind in ('privacy', 'location', 'party_membership')),
      version text not null,
      granted boolean not null,
      ip text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index consents_user on consents (user_id, kind, created_at desc)`.execute(db);
}
