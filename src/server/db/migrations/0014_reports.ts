// Reports (随手拍): the configurable categories, the routing table (category × region →
// department), the report's own columns beside its matter (location, idempotency key, source),
// and the Open311 API keys (only their hashes are kept). The report's text is the matter's body,
// so erasing a person's data (matters/erasure.ts) clears it too.
import { sql, type Kysely } from 'kysely';

const CATEGORIES: [string, string, string, number][] = [
  ['road_signs', '路标不清', 'Unclear road signs', 5],
  ['station_facilities', '站点设施老旧', 'Old station facilities', 10],
  ['guardrails', '护栏损坏', 'Broken guardrails', 5],
  ['sanitation', '环境卫生', 'Sanitation', 3],
  ['safety_hazard', '安全隐患', 'Safety hazard', 2],
  ['uncivil', '不文明行为', 'Uncivil behaviour', 5],
  ['other', '其他', 'Other', 5],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table report_categories (
      code text primary key check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
      label_zh text not null check (length(label_zh) between 1 and 50),
      label_en text not null check (length(label_en) between 1 and 100),
      handle_days smallint not null check (handle_days between 1 and 60),
      sort smallint not null default 0,
      active boolean not null default true,
      updated_at timestamptz not null default now()
    )`.execute(db);
  for (const [i, [code, zh, en, days]] of CATEGORIES.entries()) {
    await sql`insert into report_categories (code, label_zh, label_en, handle_days, sort) values (${code}, ${zh}, ${en}, ${days}, ${i})`.execute(
      db,
    );
  }

  // The most specific region wins: a route for a street beats one for its district.
  await sql`
    create table report_routes (
      id uuid primary key default gen_random_uuid(),
      category text not null references report_categories (code),
      region_code text not null references regions (code),
      region_path ltree not null,
      organisation_id uuid not null references organisations (id),
      updated_by uuid references users (id),
      updated_at timestamptz not null default now(),
      unique (category, region_code)
    )`.execute(db);
  await sql`create index report_routes_path on report_routes using gist (region_path)`.execute(db);

  await sql`
    create table open311_keys (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 100),
      key_hash text not null unique,
      key_hint text not null,
      created_by uuid references users (id),
      created_at timestamptz not null default now(),
      revoked_at timestamptz,
      revoked_by uuid references users (id)
    )`.execute(db);

  await sql`
    create table reports (
      matter_id uuid primary key references matters (id),
      raised_by uuid references users (id),
      category text not null,
      lat double precision not null check (lat between -90 and 90),
      lng double precision not null check (lng between -180 and 180),
      source_datum text not null default 'wgs84' check (source_datum in ('wgs84', 'gcj02', 'bd09')),
      place_id uuid references places (id),
      occurred_at timestamptz not null,
      photos jsonb not null default '[]',
      source text not null check (source in ('app', 'open311')),
      idempotency_key text,
      open311_key_id uuid references open311_keys (id),
      open311_token uuid unique,
      submitter_cipher text,
      level text check (level in ('ordinary', 'useful', 'important')),
      points integer,
      created_at timestamptz not null
    )`.execute(db);
  // A double submit (the offline queue sending twice, a double tap) finds the first report.
  await sql`create unique index reports_idempotency on reports (raised_by, idempotency_key) where idempotency_key is not null`.execute(db);
  await sql`create index reports_earth on reports using gist (ll_to_earth(lat, lng))`.execute(db);
  await sql`create index reports_created on reports (created_at desc)`.execute(db);
  await sql`create index reports_raised_by on reports (raised_by, created_at desc)`.execute(db);
  await sql`create index reports_lat_lng on reports (lat, lng)`.execute(db);
}
