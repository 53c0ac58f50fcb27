// Places (service points): finding the nearest open ones, listing a map view, and their upkeep.
import type { Config } from '../../config.js';
import type { Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { inTransaction } from '../../db/transaction.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { requireActor, requireRoleAt, type Actor } from '../identity/access.js';
import { getOrganisation } from '../organisations/service.js';
import { requireRegion } from '../regions/service.js';
import { convert, type LatLng } from './datum.js';
import { beijingClock, parseInterval, parseWeek } from './hours.js';
import * as q from './queries.js';
import type { Amenity, Datum, PlaceKind } from './tables.js';

export type PlaceConfig = Config['placeTravel'];

/** Who may create and edit places, over the place's region. */
/** Who keeps the register of places, each over their own region. */
export const EDITORS = ['station_staff', 'coordinator', 'admin'] as const;

/** A point as WGS-84, whatever datum it came in. */
export function toWgs84(lat: number, lng: number, datum: Datum): LatLng {
  return convert({ lat, lng }, datum, 'wgs84');
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

export async function nearestPlaces(db: Db, actor: Actor | null, input: NearestInput): Promise<q.NearPlaceRow[]> {
  requireActor(actor);
  const here = toWgs84(input.lat, input.lng, input.datum);
  return q.findNearestPlaces(db, {
    ...here,
    kinds: input.kinds,
    amenities: [...new Set(input.amenities)],
    clock: beijingClock(input.openAt),
    openOnly: input.openOnly,
    limit: input.limit,
  });
}

export interface BoxInput {
  /** south, west, north, east in the given datum. */
  box: [number, number, number, number] | null;
  datum: Datum;
  text?: string;
  kinds: PlaceKind[];
  limit: number;
}

export async function listPlaces(db: Db, actor: Actor | null, input: BoxInput): Promise<q.PlaceRow[]> {
  requireActor(actor);
  let box: q.BoxFilter['box'] = null;
  if (input.box) {
    const [s, w, n, e] = input.box;
    if (!input.box.every(Number.isFinite) || s > n || w > e)
      throw errors.invalidRequest({ bbox: 'south,west,north,east with south ≤ north and west ≤ east' });
    const sw = toWgs84(s, w, input.datum);
    const ne = toWgs84(n, e, input.datum);
    box = { south: sw.lat, west: sw.lng, north: ne.lat, east: ne.lng };
  }
  return q.findPlacesInBox(db, { box, text: input.text?.trim() || null, kinds: input.kinds, limit: input.limit });
}

export async function getPlace(db: Db, actor: Actor | null, id: string): Promise<q.PlaceRow> {
  requireActor(actor);
  const place = await q.findPlaceById(db, id);
  if (!place) throw errors.placeNotFound({ id });
  return place;
}

export interface PlaceInput {
  name: string;
  kind: PlaceKind;
  regionCode: string;
  address?: string;
  location: { lat: number; lng: number; datum?: Datum; accuracyM?: number | null };
  contactName?: string | null;
  contactPhone?: string | null;
  organisationId?: string | null;
  amenities?: Amenity[];
  alwaysOpen?: boolean;
  hours?: { weekday: number; opens: string; closes: string }[];
  exceptions?: { date: string; opens: string | null; closes: string | null; note: string | null }[];
  active?: boolean;
  isDemo?: boolean;
}

type Editor = Actor | 'system';

/** Checks and normalises a place's fields; the region must lie in the editor's reach. */
async function preparePlace(db: Db, actor: Editor, config: Pick<Config, 'serviceArea'>, input: PlaceInput) {
  const region = await requireRegion(db, input.regionCode);
  if (actor !== 'system') requireRoleAt(actor, EDITORS, region.path);
  const datum = input.location.datum ?? 'wgs84';
  const at = toWgs84(input.location.lat, input.location.lng, datum);
  const area = config.serviceArea;
  if (at.lat < area.south || at.lat > area.north || at.lng < area.west || at.lng > area.east) {
    throw errors.outsideServiceArea({ lat: input.location.lat, lng: input.location.lng, datum });
  }
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
    is_active: input.active ?? true,
    is_demo: input.isDemo ?? false,
  };
  return { row, hours, exceptions, region };
}

/** Creates a place with its hours; `actor` 'system' means a system task (demo data, import). */
export async function createPlace(
  db: Db,
  actor: Actor | null | 'system',
  config: Pick<Config, 'serviceArea'>,
  input: PlaceInput,
  origin: Origin | null = null,
): Promise<q.PlaceRow> {
  const me = actor === 'system' ? actor : requireActor(actor);
  const { row, hours, exceptions, region } = await preparePlace(db, me, config, input);
  return inTransaction(db, async (trx) => {
    const id = await q.insertPlace(trx, row);
    await q.replaceHours(trx, id, hours, exceptions);
    if (me !== 'system') {
      await appendAudit(trx, {
        actor: me,
        action: 'place.create',
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
  config: Pick<Config, 'serviceArea'>,
  id: string,
  input: PlaceInput,
  origin: Origin | null = null,
): Promise<q.PlaceRow> {
  const me = requireActor(actor);
  return inTransaction(db, async (trx) => {
    const before = await q.lockPlace(trx, id);
    if (!before) throw errors.placeNotFound({ id });
    requireRoleAt(me, EDITORS, before.region_path);
    const { row, hours, exceptions, region } = await preparePlace(trx, me, config, { ...input, isDemo: before.is_demo });
    const beforeTimes = await q.findPlaceById(trx, id);
    await q.updatePlaceRow(trx, id, row);
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

async function readBack(db: Db, id: string): Promise<q.PlaceRow> {
  const place = await q.findPlaceById(db, id);
  if (!place) throw errors.internal();
  return place;
}
