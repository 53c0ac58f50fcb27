// Places (service points) with their weekly hours and dated exceptions. Locations are WGS-84;
// the expression index on ll_to_earth serves nearest-neighbour search (ORDER BY <-> over GiST).
// week_hours holds the weekly hours as minutes from Sunday 00:00 (0–10080), Beijing time.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table places (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      kind text not null,
      region_code text not null references regions (code),
      region_path ltree not null,
      district_code text,
      address text not null default '',
      lat double precision not null check (lat between -90 and 90),
      lng double precision not null check (lng between -180 and 180),
      source_datum text not null default 'wgs84' check (source_datum in ('wgs84', 'gcj02', 'bd09')),
      accuracy_m double precision,
      contact_name text,
      contact_phone text,
      organisation_id uuid references organisations (id),
      amenities text[] not null default '{}',
      always_open boolean not null default false,
      -- Copies of place_hours and place_exceptions kept on the row, so "open at" is a test on the
      -- row itself while the nearest-neighbour scan walks the index (no subquery per candidate).
      week_hours int4multirange not null default '{}',
      exception_dates text[] not null default '{}',
      is_active boolean not null default true,
      is_demo boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index places_earth on places using gist (ll_to_earth(lat, lng))`.execute(db);
  await sql`create index places_region_path on places using gist (region_path)`.execute(db);
  await sql`create index places_name_trgm on places using gin (name gin_trgm_ops)`.execute(db);
  await sql`create index places_address_trgm on places using gin (address gin_trgm_ops)`.execute(db);
  await sql`create index places_lat_lng on places (lat, lng)`.execute(db);

  // Weekly hours: weekday 0 = Sunday … 6 = Saturday, minutes from midnight Beijing time, [opens, closes).
  await sql`
    create table place_hours (
      place_id uuid not null references places (id) on delete cascade,
      weekday smallint not null check (weekday between 0 and 6),
      opens smallint not null check (opens between 0 and 1439),
      closes smallint not null check (closes between 1 and 1440),
      check (opens < closes),
      primary key (place_id, weekday, opens)
    )`.execute(db);

  // A dated exception replaces that day's weekly hours: no hours means closed all day.
  await sql`
    create table place_exceptions (
      place_id uuid not null references places (id) on delete cascade,
      on_date date not null,
      opens smallint check (opens between 0 and 1439),
      closes smallint check (closes between 1 and 1440),
      note text,
      check ((opens is null and closes is null) or (opens < closes)),
      primary key (place_id, on_date)
    )`.execute(db);
}
