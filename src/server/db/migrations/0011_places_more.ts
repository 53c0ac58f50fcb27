// Places, second part: star ratings, mobile-service stops (a time window on the row), amenities
// out of service, photos, and check-ins by workers (one per worker, place and clock hour).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table places
      add column star_rating smallint check (star_rating between 1 and 5),
      -- A mobile-service stop (流动服务) is a place that exists for [available_from, available_until).
      add column available_from timestamptz,
      add column available_until timestamptz,
      add column amenities_out text[] not null default '{}',
      add column amenity_notes jsonb not null default '{}',
      -- Copy of the ids of the place's photos (files with subject 'place'), in display order,
      -- so that lists need no look into files.
      add column photo_ids uuid[] not null default '{}',
      add constraint places_window check (
        (available_from is null) = (available_until is null) and (available_from is null or available_from < available_until))
  `.execute(db);
  await sql`create index places_mobile_window on places (available_from) where available_from is not null`.execute(db);

  // Read by coverage planning for weights: lat/lng are the place's location at check-in.
  await sql`
    create table place_check_ins (
      id uuid primary key default gen_random_uuid(),
      place_id uuid not null references places (id) on delete cascade,
      account_id uuid not null references users (id),
      checked_in_at timestamptz not null default now(),
      lat double precision not null,
      lng double precision not null
    )`.execute(db);
  // One check-in per worker, place and clock hour, enforced by the database (two racing requests
  // cannot both pass). Hours in UTC and in Beijing time (+08:00) begin at the same instants.
  await sql`create unique index place_check_ins_hourly
    on place_check_ins (place_id, account_id, date_trunc('hour', checked_in_at at time zone 'UTC'))`.execute(db);
  await sql`create index place_check_ins_place_time on place_check_ins (place_id, checked_in_at)`.execute(db);
  await sql`create index place_check_ins_time on place_check_ins (checked_in_at)`.execute(db);
}
