// Extensions, the region tree, organisations, people and sessions, settings.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const ext of ['ltree', 'cube', 'earthdistance', 'pg_trgm', 'btree_gist', 'pgcrypto']) {
    await sql`create extension if not exists ${sql.raw(ext)}`.execute(db);
  }

  await sql`
    create table regions (
      code text primary key,
      name text not null,
      name_en text,
      level text not null check (level in ('city', 'district', 'street', 'community', 'grid')),
      kind text not null default 'admin' check (kind in ('admin', 'zone')),
      parent_code text references regions (code),
      path ltree not null unique,
      district_code text,
      is_demo boolean not null default false,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index regions_path_gist on regions using gist (path)`.execute(db);
  await sql`create index regions_parent on regions (parent_code, code)`.execute(db);
  await sql`create index regions_name_trgm on regions using gin (name gin_trgm_ops)`.execute(db);

  // A zone (e.g. 泉州台商投资区) administers regions that stay in their own place in the tree.
  await sql`
    create table region_zone_members (
      zone_code text not null references regions (code),
      member_code text not null references regions (code),
      primary key (zone_code, member_code)
    )`.execute(db);

  await sql`
    create table organisations (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      kind text not null check (kind in ('street_office', 'department', 'station_operator', 'mediation_team',
        'trade_union', 'merchant', 'social_organisation', 'enterprise')),
      region_code text not null references regions (code),
      region_path ltree not null,
      district_code text,
      parent_id uuid references organisations (id),
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index organisations_region_path on organisations using gist (region_path)`.execute(db);
  await sql`create index organisations_name_trgm on organisations using gin (name gin_trgm_ops)`.execute(db);
  await sql`create unique index organisations_region_name on organisations (region_code, name)`.execute(db);

  await sql`
    create table users (
      id uuid primary key default gen_random_uuid(),
      display_name text not null,
      phone_cipher text not null,
      phone_index text not null unique,
      phone_masked text not null,
      password_hash text,
      status text not null default 'active' check (status in ('active', 'disabled', 'anonymised')),
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);

  await sql`
    create table role_grants (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id),
      role text not null check (role in ('worker', 'grid_member', 'resident', 'merchant', 'station_staff',
        'mediator', 'department_handler', 'coordinator', 'admin', 'system_admin', 'security_admin', 'audit_admin')),
      region_code text not null references regions (code),
      organisation_id uuid references organisations (id),
      granted_by uuid references users (id),
      created_at timestamptz not null default now(),
      unique (user_id, role, region_code)
    )`.execute(db);

  await sql`
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      token_hash text not null unique,
      user_id uuid not null references users (id),
      created_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      expires_at timestamptz not null,
      idle_minutes integer not null,
      ip text,
      user_agent text,
      revoked_at timestamptz
    )`.execute(db);
  await sql`create index sessions_user on sessions (user_id)`.execute(db);

  await sql`
    create table settings (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    )`.execute(db);
}
