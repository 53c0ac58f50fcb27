import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../../db/connect.js';
import { executePrepared } from '../../db/prepared.js';
import { inScope, likeContains, type Scope } from '../../db/scope.js';
import { placeOnPlane, pointOnPlane, type Plane } from './plane.js';
import type { Amenity, NewPlace, Place, PlaceKind } from './tables.js';

/** Weekly hours as [weekday, opens, closes] and exceptions as [date, opens, closes, note]. */
export type HoursTuple = [number, number, number];
export type ExceptionTuple = [string, number | null, number | null, string | null];
export type PlaceRow = Omit<Place, 'week_hours' | 'exception_dates'> & {
  region_name: string;
  organisation_name: string | null;
  hours: HoursTuple[];
  exceptions: ExceptionTuple[];
  open_now: boolean;
};
export type NearPlaceRow = PlaceRow & { distance_m: number };

export interface OpenClock {
  weekday: number;
  minute: number;
  date: string;
  /** The instant itself, for the windows of mobile-service stops. */
  at: Date;
}

/** The place aliased `p` exists at the instant: any place but a mobile stop outside its window. */
export function placeOnAt(at: Date): RawBuilder<boolean> {
  return sql<boolean>`(p.available_from is null or (p.available_from <= ${at} and p.available_until > ${at}))`;
}

/**
 * Open at a Beijing clock time, for the place aliased `p`: that date's exception decides when
 * there is one; otherwise the 24-hour flag or the week's hours. Only the rare exception day
 * needs a look into place_exceptions; the rest is a test on the row.
 */
export function placeOpenAt(clock: OpenClock): RawBuilder<boolean> {
  const date = sql`${clock.date}::date`;
  const minuteOfWeek = clock.weekday * 1440 + clock.minute;
  return sql<boolean>`(${placeOnAt(clock.at)} and case
    when p.exception_dates @> array[${clock.date}::text]
      then exists (select 1 from place_exceptions e where e.place_id = p.id and e.on_date = ${date}
        and e.opens <= ${clock.minute} and e.closes > ${clock.minute})
    else p.always_open or p.week_hours @> ${minuteOfWeek}::int4
    end)`;
}

/** The point on the earth's surface, as the GiST index places_earth holds it (exact distances). */
function earthAt(lat: number, lng: number) {
  return sql`ll_to_earth(${lat}::float8, ${lng}::float8)`;
}

/** Has all these amenities, none of them marked out of service. */
function hasAmenities(amenities: Amenity[]): Expression<SqlBool> {
  const wanted = sql`array[${sql.join(amenities)}]::text[]`;
  return sql<SqlBool>`(p.amenities @> ${wanted} and not p.amenities_out && ${wanted})`;
}

/** A place with its region, organisation, hours and exceptions: one round trip, however many rows. */
function selectPlaces(db: Db, clock: OpenClock, knownOpen = false) {
  return db
    .selectFrom('places as p')
    .innerJoin('regions as r', 'r.code', 'p.region_code')
    .leftJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select([
      'p.id',
      'p.name',
      'p.kind',
      'p.region_code',
      'p.region_path',
      'p.district_code',
      'p.address',
      'p.lat',
      'p.lng',
      'p.source_datum',
      'p.accuracy_m',
      'p.contact_name',
      'p.contact_phone',
      'p.organisation_id',
      'p.amenities',
      'p.always_open',
      'p.is_active',
      'p.is_demo',
      'p.star_rating',
      'p.available_from',
      'p.available_until',
      'p.amenities_out',
      'p.amenity_notes',
      'p.photo_ids',
      'p.created_at',
      'p.updated_at',
      'r.name as region_name',
      'o.name as organisation_name',
    ])
    .select(
      // The copies on the row say when there is nothing to look up (24-hour places, no exceptions).
      sql<
        HoursTuple[]
      >`case when p.week_hours = '{}' then '[]'::json else coalesce((select json_agg(json_build_array(h.weekday, h.opens, h.closes) order by h.weekday, h.opens)
        from place_hours h where h.place_id = p.id), '[]'::json) end`.as('hours'),
    )
    .select(
      sql<
        ExceptionTuple[]
      >`case when p.exception_dates = '{}' then '[]'::json else coalesce((select json_agg(json_build_array(to_char(e.on_date, 'YYYY-MM-DD'), e.opens, e.closes, e.note) order by e.on_date)
        from place_exceptions e where e.place_id = p.id), '[]'::json) end`.as('exceptions'),
    )
    // When the caller filters on "open" already, every row is open: no second test to plan and run.
    .select(knownOpen ? sql<boolean>`true`.as('open_now') : placeOpenAt(clock).as('open_now'));
}

export interface NearestFilter {
  /** The flat plane the index orders by (see plane.ts). */
  plane: Plane;
  lat: number;
  lng: number;
  kinds: PlaceKind[];
  amenities: Amenity[];
  /** The time "open" is judged at, and whether closed places are left out. */
  clock: OpenClock;
  openOnly: boolean;
  limit: number;
}

/** Nearest active places first: ORDER BY the distance `<->` on the plane, which its GiST index answers in order. */
export function findNearestPlaces(db: Db, f: NearestFilter): Promise<NearPlaceRow[]> {
  return executePrepared(db, nearestPlacesQuery(db, f), 'places_nearest');
}

/** The query itself, for the plan test that keeps it on the index. */
export function nearestPlacesQuery(db: Db, f: NearestFilter) {
  const here = earthAt(f.lat, f.lng);
  let query = selectPlaces(db, f.clock, f.openOnly)
    .select(sql<number>`earth_distance(ll_to_earth(p.lat, p.lng), ${here})`.as('distance_m'))
    .where('p.is_active', '=', true);
  if (f.kinds.length > 0) query = query.where('p.kind', 'in', f.kinds);
  if (f.amenities.length > 0) query = query.where(hasAmenities(f.amenities));
  // "Open at" includes "on at" (a mobile stop's window): one test on each candidate, not two.
  query = query.where(f.openOnly ? placeOpenAt(f.clock) : placeOnAt(f.clock.at));
  return query.orderBy(sql`${placeOnPlane(f.plane)} <-> ${pointOnPlane(f.plane, f.lat, f.lng)}`).limit(f.limit);
}

export interface BoxFilter {
  box: { south: number; west: number; north: number; east: number } | null;
  text: string | null;
  kinds: PlaceKind[];
  limit: number;
  clock: OpenClock;
  /** Regions whose inactive places and mobile stops (on or not) are shown too: an editor's. */
  alsoAllIn: Scope;
  /** Only places of this subtree (a region asked for); null: anywhere. */
  within: Scope | null;
}

export function findPlacesInBox(db: Db, f: BoxFilter): Promise<PlaceRow[]> {
  let query = selectPlaces(db, f.clock).where((eb) =>
    eb.or([eb.and([eb('p.is_active', '=', true), placeOnAt(f.clock.at)]), inScope('p.region_path', f.alsoAllIn)]),
  );
  if (f.box) {
    const { south, west, north, east } = f.box;
    query = query.where('p.lat', '>=', south).where('p.lat', '<=', north).where('p.lng', '>=', west).where('p.lng', '<=', east);
  }
  if (f.kinds.length > 0) query = query.where('p.kind', 'in', f.kinds);
  if (f.within) query = query.where(inScope('p.region_path', f.within));
  if (f.text) {
    const pattern = likeContains(f.text);
    query = query.where((eb) => eb.or([eb('p.name', 'ilike', pattern), eb('p.address', 'ilike', pattern)]));
  }
  return query.orderBy('p.name').orderBy('p.id').limit(f.limit).execute();
}

export function findPlaceById(db: Db, id: string, clock: OpenClock): Promise<PlaceRow | undefined> {
  return selectPlaces(db, clock).where('p.id', '=', id).executeTakeFirst();
}

/** Mobile stops of a subtree whose window overlaps [from, to), cancelled ones too, by start. */
export function findMobileStops(db: Db, f: { scope: Scope; from: Date; to: Date; clock: OpenClock }): Promise<PlaceRow[]> {
  return selectPlaces(db, f.clock)
    .where('p.kind', '=', 'mobile_service')
    .where(inScope('p.region_path', f.scope))
    .where('p.available_from', '<', f.to)
    .where('p.available_until', '>', f.from)
    .orderBy('p.available_from')
    .orderBy('p.id')
    .limit(1000)
    .execute();
}

/** The places of a subtree for export, active or not, mobile stops left out, by name. */
export function findPlacesForExport(db: Db, f: { scope: Scope; kinds: PlaceKind[]; clock: OpenClock }): Promise<PlaceRow[]> {
  let query = selectPlaces(db, f.clock).where(inScope('p.region_path', f.scope)).where('p.kind', '<>', 'mobile_service');
  if (f.kinds.length > 0) query = query.where('p.kind', 'in', f.kinds);
  return query.orderBy('p.name').orderBy('p.id').limit(50_000).execute();
}

export async function setAmenityStatus(db: Db, id: string, out: Amenity[], notes: Record<string, string>): Promise<void> {
  await db
    .updateTable('places')
    .set({ amenities_out: out, amenity_notes: JSON.stringify(notes), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function setPhotoIds(db: Db, id: string, photoIds: string[]): Promise<void> {
  await db
    .updateTable('places')
    .set({ photo_ids: photoIds, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function setPlaceActive(db: Db, id: string, active: boolean): Promise<void> {
  await db
    .updateTable('places')
    .set({ is_active: active, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Inserts a check-in unless one of this account at this place exists in the same clock hour. */
export async function insertCheckIn(
  db: Db,
  row: { place_id: string; account_id: string; lat: number; lng: number },
): Promise<{ id: string; checked_in_at: Date } | undefined> {
  return db
    .insertInto('place_check_ins')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning(['id', 'checked_in_at'])
    .executeTakeFirst();
}

export interface VisitHour {
  hour: number;
  check_ins: number;
  workers: number;
}

/** Check-ins at a place in [from, to), by Beijing hour, with distinct accounts. */
export async function countVisits(
  db: Db,
  placeId: string,
  from: Date,
  to: Date,
): Promise<{ total: number; workers: number; hours: VisitHour[] }> {
  const base = db
    .selectFrom('place_check_ins')
    .where('place_id', '=', placeId)
    .where('checked_in_at', '>=', from)
    .where('checked_in_at', '<', to);
  const [totals, hours] = await Promise.all([
    base
      .select([sql<number>`count(*)::int`.as('total'), sql<number>`count(distinct account_id)::int`.as('workers')])
      .executeTakeFirstOrThrow(),
    base
      .select([
        // Beijing time is UTC+8 all year: the hour of the day without a time-zone table.
        sql<number>`extract(hour from (checked_in_at at time zone 'UTC') + interval '8 hours')::int`.as('hour'),
        sql<number>`count(*)::int`.as('check_ins'),
        sql<number>`count(distinct account_id)::int`.as('workers'),
      ])
      .groupBy(sql`1`)
      .execute(),
  ]);
  return { total: totals.total, workers: totals.workers, hours };
}

/** Check-ins at a place since an instant (today's visitors for station staff). */
export async function countCheckInsSince(db: Db, placeId: string, from: Date): Promise<number> {
  const row = await db
    .selectFrom('place_check_ins')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('place_id', '=', placeId)
    .where('checked_in_at', '>=', from)
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Many places in one statement each for rows, hours and exceptions (demo data). */
export async function insertPlacesBulk(
  db: Db,
  places: (NewPlace & {
    hours: { weekday: number; opens: number; closes: number }[];
    exceptions: { date: string; opens: number | null; closes: number | null; note: string | null }[];
  })[],
): Promise<string[]> {
  if (places.length === 0) return [];
  const rows = places.map(({ hours, exceptions, ...row }) => ({
    ...row,
    week_hours: `{${hours.map((h) => `[${h.weekday * 1440 + h.opens},${h.weekday * 1440 + h.closes})`).join(',')}}`,
    exception_dates: exceptions.map((e) => e.date),
  }));
  const ids = (await db.insertInto('places').values(rows).returning('id').execute()).map((r) => r.id);
  const hours = places.flatMap((p, i) => p.hours.map((h) => ({ place_id: ids[i] as string, ...h })));
  const exceptions = places.flatMap((p, i) =>
    p.exceptions.map((e) => ({ place_id: ids[i] as string, on_date: e.date, opens: e.opens, closes: e.closes, note: e.note })),
  );
  if (hours.length > 0) await db.insertInto('place_hours').values(hours).execute();
  if (exceptions.length > 0) await db.insertInto('place_exceptions').values(exceptions).execute();
  return ids;
}

export function lockPlace(db: Db, id: string): Promise<Place | undefined> {
  return db.selectFrom('places').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertPlace(db: Db, place: NewPlace): Promise<string> {
  const row = await db.insertInto('places').values(place).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updatePlaceRow(db: Db, id: string, place: NewPlace): Promise<void> {
  await db
    .updateTable('places')
    .set({ ...place, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Replaces a place's weekly hours and exceptions, and their copies on the place's row. */
export async function replaceHours(
  db: Db,
  placeId: string,
  hours: { weekday: number; opens: number; closes: number }[],
  exceptions: { date: string; opens: number | null; closes: number | null; note: string | null }[],
): Promise<void> {
  const week = hours.map((h) => `[${h.weekday * 1440 + h.opens},${h.weekday * 1440 + h.closes})`).join(',');
  await db
    .updateTable('places')
    .set({ week_hours: `{${week}}`, exception_dates: exceptions.map((e) => e.date) })
    .where('id', '=', placeId)
    .execute();
  await db.deleteFrom('place_hours').where('place_id', '=', placeId).execute();
  await db.deleteFrom('place_exceptions').where('place_id', '=', placeId).execute();
  if (hours.length > 0)
    await db
      .insertInto('place_hours')
      .values(hours.map((h) => ({ place_id: placeId, ...h })))
      .execute();
  if (exceptions.length > 0) {
    await db
      .insertInto('place_exceptions')
      .values(exceptions.map((e) => ({ place_id: placeId, on_date: e.date, opens: e.opens, closes: e.closes, note: e.note })))
      .execute();
  }
}
