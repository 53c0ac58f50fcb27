// Places (service points): finding the nearest open ones, listing a map view, and their upkeep.
// Reads are public (a rider without an account must find a station); inactive places and
// cancelled stops are seen only by those who keep the register of their region.
import type { Config } from '../../config.js';
import type { AppContext, Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import type { Scope } from '../../db/scope.js';
import { inTransaction } from '../../db/transaction.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { actorScope, hasRoleAt, requireActor, requireRoleAt, type Actor } from '../identity/access.js';
import { getOrganisation } from '../organisations/service.js';
import { regionAt } from '../regions/locate.js';
import { requireRegion, scopeOfRegion } from '../regions/service.js';
import { boxFromText, convert, type LatLng } from './datum.js';
import { placeErrors } from './errors.js';
import { beijingClock, parseInterval, parseWeek } from './hours.js';
import { planeOf } from './plane.js';
import * as q from './queries.js';
import type { Amenity, Datum, PlaceKind } from './tables.js';

export type PlaceConfig = Config['placeTravel'];

/** Who keeps the register of places, each over their own region. */
export const EDITORS = ['station_staff', 'coordinator', 'admin'] as const;

/** A mobile stop lasts at most this long (a day's round of a mobile team). */
export const MOBILE_MAX_HOURS = 24;

const HOUR_MS = 3600_000;

/** A point as WGS-84, whatever datum it came in. */
export function toWgs84(lat: number, lng: number, datum: Datum): LatLng {
  return convert({ lat, lng }, datum, 'wgs84');
}

/** The Beijing clock of an instant together with the instant (for mobile-stop windows). */
export function clockAt(at: Date): q.OpenClock {
  return { ...beijingClock(at), at };
}

/** Midnight (Beijing) that begins the Beijing date of an instant, or of a yyyy-mm-dd date. */
function beijingDayStart(date: string): Date {
  return new Date(`${date}T00:00:00+08:00`);
}

function canEdit(actor: Actor | null, regionPath: string): boolean {
  return actor !== null && !actor.pending && hasRoleAt(actor, EDITORS, regionPath);
}

export interface NearestInput {
  lat: number;
  lng: number;
  datum: Datum;
  kinds: PlaceKind[];
  amenities: Amenity[];
  openAt: Date;
  openOnly: boolean;
  limit: number;
}

/** Open to anyone, signed in or not: active places only, mobile stops only while on. */
export async function nearestPlaces(ctx: AppContext, input: NearestInput): Promise<q.NearPlaceRow[]> {
  const here = toWgs84(input.lat, input.lng, input.datum);
  const rows = await q.findNearestPlaces(ctx.db, {
    plane: planeOf(ctx.config.serviceArea),
    ...here,
    kinds: input.kinds,
    amenities: [...new Set(input.amenities)],
    clock: clockAt(input.openAt),
    openOnly: input.openOnly,
    limit: input.limit,
  });
  // The plane's order is right to ~1%; the list a rider reads goes by the exact distance.
  return rows.sort((a, b) => a.distance_m - b.distance_m);
}

export interface BoxInput {
  /** "south,west,north,east" in the given datum. */
  box: string | null;
  datum: Datum;
  text?: string;
  kinds: PlaceKind[];
  limit: number;
  at: Date;
  /** Editors also see their regions' inactive places and every mobile stop there. */
  includeInactive: boolean;
  /** Only the places of this region's subtree (for a zone: of the regions it spans). */
  regionCode?: string;
}

export async function listPlaces(db: Db, actor: Actor | null, input: BoxInput): Promise<q.PlaceRow[]> {
  const box = input.box === null ? null : boxFromText(input.box, input.datum);
  if (input.box !== null && !box) throw errors.invalidRequest({ bbox: 'south,west,north,east with south ≤ north and west ≤ east' });
  const alsoAllIn: Scope = input.includeInactive && actor && !actor.pending ? actorScope(actor, EDITORS) : [];
  const within = input.regionCode ? await scopeOfRegion(db, await requireRegion(db, input.regionCode)) : null;
  return q.findPlacesInBox(db, {
    within,
    box,
    text: input.text?.trim() || null,
    kinds: input.kinds,
    limit: input.limit,
    clock: clockAt(input.at),
    alsoAllIn,
  });
}

/** A place anyone may read: active, or inactive for its region's editors; otherwise "not found". */
export async function readablePlace(db: Db, actor: Actor | null, id: string, now: Date): Promise<q.PlaceRow> {
  const place = await q.findPlaceById(db, id, clockAt(now));
  if (!place || (!place.is_active && !canEdit(actor, place.region_path))) throw errors.placeNotFound({ id });
  return place;
}

/** One place; its region's editors also get today's (Beijing date) check-in count. */
export async function getPlace(
  db: Db,
  actor: Actor | null,
  id: string,
  now = new Date(),
): Promise<{ place: q.PlaceRow; visitsToday: number | null }> {
  const place = await readablePlace(db, actor, id, now);
  if (!canEdit(actor, place.region_path)) return { place, visitsToday: null };
  const today = beijingDayStart(beijingClock(now).date);
  return { place, visitsToday: await q.countCheckInsSince(db, id, today) };
}

export interface PlaceInput {
  name: string;
  kind: PlaceKind;
  /** Left out: derived from the location (the deepest known region there). */
  regionCode?: string | null;
  address?: string;
  location: { lat: number; lng: number; datum?: Datum; accuracyM?: number | null };
  contactName?: string | null;
  contactPhone?: string | null;
  organisationId?: string | null;
  amenities?: Amenity[];
  alwaysOpen?: boolean;
  hours?: { weekday: number; opens: string; closes: string }[];
  exceptions?: { date: string; opens: string | null; closes: string | null; note: string | null }[];
  starRating?: number | null;
  active?: boolean;
  isDemo?: boolean;
}

type Editor = Actor | 'system';
/** A context whose db may be a transaction: regionAt reads through it. */
type PlaceCtx = Pick<AppContext, 'config'> & Partial<AppContext>;

/** The region given, or the one the point lies in; none there is a 400 region_required. */
async function regionFor(db: Db, ctx: PlaceCtx, code: string | null | undefined, at: LatLng) {
  if (code) return requireRegion(db, code);
  const found = await regionAt({ ...(ctx as AppContext), db }, at);
  if (!found) throw placeErrors.regionRequired({ lat: at.lat, lng: at.lng });
  return requireRegion(db, found);
}

/** Checks and normalises a place's fields; the region must lie in the editor's reach. */
async function preparePlace(db: Db, actor: Editor, ctx: PlaceCtx, input: PlaceInput, window: { from: Date; until: Date } | null = null) {
  const datum = input.location.datum ?? 'wgs84';
  const at = toWgs84(input.location.lat, input.location.lng, datum);
  const area = ctx.config.serviceArea;
  if (at.lat < area.south || at.lat > area.north || at.lng < area.west || at.lng > area.east) {
    throw errors.outsideServiceArea({ lat: input.location.lat, lng: input.location.lng, datum });
  }
  if ((input.kind === 'mobile_service') !== (window !== null)) throw placeErrors.kindNotAllowed({ kind: input.kind });
  const region = await regionFor(db, ctx, input.regionCode, at);
  if (actor !== 'system') requireRoleAt(actor, EDITORS, region.path);
  // An organisation outside the editor's reach is as good as missing.
  if (input.organisationId && actor !== 'system') await getOrganisation(db, actor, input.organisationId);
  const hours = parseWeek(input.hours ?? []);
  const exceptions = (input.exceptions ?? []).map((e) => {
    if ((e.opens === null) !== (e.closes === null)) throw errors.hoursInvalid({ date: e.date, reason: 'both_or_neither' });
    const interval = e.opens !== null && e.closes !== null ? parseInterval({ opens: e.opens, closes: e.closes }) : null;
    return { date: e.date, opens: interval?.opens ?? null, closes: interval?.closes ?? null, note: e.note };
  });
  if (new Set(exceptions.map((e) => e.date)).size !== exceptions.length) throw errors.hoursInvalid({ reason: 'duplicate_date' });
  const row = {
    name: input.name.trim(),
    kind: input.kind,
    region_code: region.code,
    region_path: region.path,
    district_code: region.district_code,
    address: input.address?.trim() ?? '',
    lat: at.lat,
    lng: at.lng,
    source_datum: datum,
    accuracy_m: input.location.accuracyM ?? null,
    contact_name: input.contactName ?? null,
    contact_phone: input.contactPhone ?? null,
    organisation_id: input.organisationId ?? null,
    amenities: [...new Set(input.amenities ?? [])],
    always_open: input.alwaysOpen ?? false,
    star_rating: input.starRating ?? null,
    available_from: window?.from ?? null,
    available_until: window?.until ?? null,
    is_active: input.active ?? true,
    is_demo: input.isDemo ?? false,
  };
  return { row, hours, exceptions, region };
}

/** Creates a place with its hours; `actor` 'system' means a system task (demo data). */
export async function createPlace(
  db: Db,
  actor: Actor | null | 'system',
  ctx: PlaceCtx,
  input: PlaceInput,
  origin: Origin | null = null,
  window: { from: Date; until: Date } | null = null,
): Promise<q.PlaceRow> {
  const me = actor === 'system' ? actor : requireActor(actor);
  const { row, hours, exceptions, region } = await preparePlace(db, me, ctx, input, window);
  return inTransaction(db, async (trx) => {
    const id = await q.insertPlace(trx, row);
    await q.replaceHours(trx, id, hours, exceptions);
    if (me !== 'system') {
      await appendAudit(trx, {
        actor: me,
        action: window ? 'place.mobile_stop.create' : 'place.create',
        target: { type: 'place', id, regionPath: region.path, districtCode: region.district_code },
        after: { ...row, hours: input.hours ?? [], exceptions: input.exceptions ?? [] },
        origin,
      });
    }
    return readBack(trx, id);
  });
}

/** Replaces a place's fields and hours: the editor must reach both its old and its new region. */
export async function updatePlace(
  db: Db,
  actor: Actor | null,
  ctx: PlaceCtx,
  id: string,
  input: PlaceInput,
  origin: Origin | null = null,
): Promise<q.PlaceRow> {
  const me = requireActor(actor);
  return inTransaction(db, async (trx) => {
    const before = await q.lockPlace(trx, id);
    if (!before) throw errors.placeNotFound({ id });
    requireRoleAt(me, EDITORS, before.region_path);
    // A mobile stop keeps its window; a place cannot become one or stop being one.
    const window = before.available_from && before.available_until ? { from: before.available_from, until: before.available_until } : null;
    const { row, hours, exceptions, region } = await preparePlace(trx, me, ctx, { ...input, isDemo: before.is_demo }, window);
    const beforeTimes = await q.findPlaceById(trx, id, clockAt(new Date()));
    // Out-of-service marks stay on the amenities the place keeps.
    const kept = before.amenities_out.filter((a) => row.amenities.includes(a));
    const notes = Object.fromEntries(Object.entries(before.amenity_notes).filter(([a]) => kept.includes(a as Amenity)));
    await q.updatePlaceRow(trx, id, { ...row, amenities_out: kept, amenity_notes: JSON.stringify(notes) });
    await q.replaceHours(trx, id, hours, exceptions);
    await appendAudit(trx, {
      actor: me,
      action: 'place.update',
      target: { type: 'place', id, regionPath: region.path, districtCode: region.district_code },
      before: { ...before, hours: beforeTimes?.hours ?? [], exceptions: beforeTimes?.exceptions ?? [] },
      after: { ...row, hours: input.hours ?? [], exceptions: input.exceptions ?? [] },
      origin,
    });
    return readBack(trx, id);
  });
}

export async function readBack(db: Db, id: string): Promise<q.PlaceRow> {
  const place = await q.findPlaceById(db, id, clockAt(new Date()));
  if (!place) throw errors.internal();
  return place;
}

/** Locks a place for a change by one of its region's editors (missing: 404; out of reach: 403). */
export async function lockForEdit(trx: Db, actor: Actor, id: string) {
  const place = await q.lockPlace(trx, id);
  if (!place) throw errors.placeNotFound({ id });
  requireRoleAt(actor, EDITORS, place.region_path);
  return place;
}

// ---- mobile service (流动服务) ----------------------------------------------------------------

export interface MobileStopInput {
  name: string;
  regionCode?: string | null;
  address?: string;
  location: PlaceInput['location'];
  startsAt: Date;
  endsAt: Date;
  organisationId?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  amenities?: Amenity[];
}

/** A stop of a mobile team: a place of kind mobile_service, open exactly for its window. */
export async function createMobileStop(
  ctx: AppContext,
  actor: Actor | null,
  input: MobileStopInput,
  origin: Origin | null,
  now = new Date(),
): Promise<q.PlaceRow> {
  const me = requireActor(actor);
  const { startsAt, endsAt } = input;
  if (
    !Number.isFinite(startsAt.getTime()) ||
    !Number.isFinite(endsAt.getTime()) ||
    endsAt <= startsAt ||
    endsAt <= now ||
    endsAt.getTime() - startsAt.getTime() > MOBILE_MAX_HOURS * HOUR_MS
  ) {
    throw placeErrors.mobileWindowInvalid({ startsAt: input.startsAt, endsAt: input.endsAt, maxHours: MOBILE_MAX_HOURS });
  }
  const place: PlaceInput = { ...input, kind: 'mobile_service', alwaysOpen: true, hours: [], exceptions: [] };
  return createPlace(ctx.db, me, ctx, place, origin, { from: startsAt, until: endsAt });
}

/** The editor's reach must cover the whole region asked for (for a zone: each of its parts). */
async function editorScopeOf(db: Db, actor: Actor | null, regionCode: string): Promise<{ scope: Scope; me: Actor }> {
  const me = requireActor(actor);
  const region = await requireRegion(db, regionCode);
  const scope = await scopeOfRegion(db, region);
  if (scope.length === 0 || !scope.every((path) => hasRoleAt(me, EDITORS, path))) throw errors.forbidden();
  return { scope, me };
}

export async function listMobileStops(
  db: Db,
  actor: Actor | null,
  input: { regionCode: string; from?: Date; to?: Date },
  now = new Date(),
): Promise<q.PlaceRow[]> {
  const { scope } = await editorScopeOf(db, actor, input.regionCode);
  const from = input.from ?? new Date(now.getTime() - 24 * HOUR_MS);
  const to = input.to ?? new Date(now.getTime() + 30 * 24 * HOUR_MS);
  if (to <= from) throw errors.invalidRequest({ from: input.from, to: input.to, reason: 'to must come after from' });
  return q.findMobileStops(db, { scope, from, to, clock: clockAt(now) });
}

/** Cancels a stop: it leaves the map at once; the record stays (inactive) for the register. */
export async function cancelMobileStop(db: Db, actor: Actor | null, id: string, origin: Origin | null): Promise<void> {
  const me = requireActor(actor);
  await inTransaction(db, async (trx) => {
    const place = await q.lockPlace(trx, id);
    if (!place || place.kind !== 'mobile_service') throw errors.placeNotFound({ id });
    requireRoleAt(me, EDITORS, place.region_path);
    if (!place.is_active) return;
    await q.setPlaceActive(trx, id, false);
    await appendAudit(trx, {
      actor: me,
      action: 'place.mobile_stop.cancel',
      target: { type: 'place', id, regionPath: place.region_path, districtCode: place.district_code },
      before: { active: true, startsAt: place.available_from, endsAt: place.available_until },
      after: { active: false },
      origin,
    });
  });
}

// ---- amenities out of service -------------------------------------------------------------------

export async function setAmenityStatus(
  db: Db,
  actor: Actor | null,
  id: string,
  code: Amenity,
  input: { outOfService: boolean; note?: string | null },
  origin: Origin | null,
): Promise<q.PlaceRow> {
  const me = requireActor(actor);
  return inTransaction(db, async (trx) => {
    const place = await lockForEdit(trx, me, id);
    if (!place.amenities.includes(code)) throw placeErrors.amenityNotAtPlace({ amenity: code });
    const out = place.amenities_out.filter((a) => a !== code);
    const notes: Record<string, string> = { ...place.amenity_notes };
    delete notes[code];
    if (input.outOfService) {
      out.push(code);
      const note = input.note?.trim();
      if (note) notes[code] = note;
    }
    await q.setAmenityStatus(trx, id, out, notes);
    await appendAudit(trx, {
      actor: me,
      action: 'place.amenity.update',
      target: { type: 'place', id, regionPath: place.region_path, districtCode: place.district_code },
      before: { amenity: code, outOfService: place.amenities_out.includes(code), note: place.amenity_notes[code] ?? null },
      after: { amenity: code, outOfService: input.outOfService, note: notes[code] ?? null },
      origin,
    });
    return readBack(trx, id);
  });
}

// ---- check-ins ----------------------------------------------------------------------------------

export interface CheckIn {
  id: string;
  placeId: string;
  checkedInAt: Date;
  nextAllowedAt: Date;
}

/** The start of the next clock hour after an instant. */
function nextHour(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS);
}

/**
 * A worker checks in at a place: one per worker, place and clock hour. The database's unique
 * index decides between two racing requests; the loser gets 409 already_checked_in.
 */
export async function checkIn(db: Db, actor: Actor | null, id: string, now = new Date()): Promise<CheckIn> {
  const me = requireActor(actor);
  if (!me.grants.some((g) => g.role === 'worker')) throw errors.forbidden();
  const place = await q.findPlaceById(db, id, clockAt(now));
  if (!place || !place.is_active) throw errors.placeNotFound({ id });
  if (place.available_from && place.available_until && !(place.available_from <= now && now < place.available_until)) {
    throw placeErrors.placeNotOpen({ startsAt: place.available_from, endsAt: place.available_until });
  }
  const row = await q.insertCheckIn(db, { place_id: id, account_id: me.userId, lat: place.lat, lng: place.lng });
  if (!row) throw placeErrors.alreadyCheckedIn({ nextAllowedAt: nextHour(now).toISOString() });
  return { id: row.id, placeId: id, checkedInAt: row.checked_in_at, nextAllowedAt: nextHour(row.checked_in_at) };
}

export interface Visits {
  placeId: string;
  date: string;
  checkIns: number;
  workers: number;
  byHour: { hour: number; checkIns: number; workers: number }[];
}

/** Check-ins at a place on a Beijing date, for its region's editors. */
export async function placeVisits(db: Db, actor: Actor | null, id: string, date: string | undefined, now = new Date()): Promise<Visits> {
  const me = requireActor(actor);
  const place = await q.findPlaceById(db, id, clockAt(now));
  if (!place) throw errors.placeNotFound({ id });
  requireRoleAt(me, EDITORS, place.region_path);
  const day = date ?? beijingClock(now).date;
  const from = beijingDayStart(day);
  if (!Number.isFinite(from.getTime()) || beijingClock(from).date !== day) throw errors.invalidRequest({ date });
  const counts = await q.countVisits(db, id, from, new Date(from.getTime() + 24 * HOUR_MS));
  const byHour = Array.from({ length: 24 }, (_, hour) => {
    const h = counts.hours.find((c) => c.hour === hour);
    return { hour, checkIns: h?.check_ins ?? 0, workers: h?.workers ?? 0 };
  });
  return { placeId: id, date: day, checkIns: counts.total, workers: counts.workers, byHour };
}
