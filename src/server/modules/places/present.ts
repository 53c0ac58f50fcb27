import { Type, type Static } from 'typebox';
import type { PlaceConfig } from './service.js';
import type { NearPlaceRow, PlaceRow } from './queries.js';
import { AMENITIES, AMENITY_CODES, AMENITY_ICONS, DATUMS, KIND_ICONS, PLACE_KIND_CODES, PLACE_KINDS, type Datum } from './tables.js';
import { convert } from './datum.js';
import { formatClock } from './hours.js';
import { photoOf } from './photos.js';

export const PlaceKindSchema = Type.Enum(PLACE_KIND_CODES);
export const AmenitySchema = Type.Enum(AMENITY_CODES);
export const DatumSchema = Type.Enum(DATUMS);

const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const Clock = Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description: 'HH:MM, Beijing time; 24:00 ends the day' });

export const WeeklyHoursSchema = Type.Object(
  { weekday: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday … 6 = Saturday' }), opens: Clock, closes: Clock },
  { additionalProperties: false },
);
export const ExceptionSchema = Type.Object(
  {
    date: Type.String({ format: 'date' }),
    opens: Type.Union([Clock, Type.Null()], { description: 'null with closes null: closed all day' }),
    closes: Type.Union([Clock, Type.Null()]),
    note: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
  },
  { additionalProperties: false },
);

const Location = Type.Object({ lat: Type.Number(), lng: Type.Number(), datum: DatumSchema });

export const PlaceOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: PlaceKindSchema,
  kindLabel: Label,
  regionCode: Type.String(),
  regionName: Type.String(),
  address: Type.String(),
  location: Location,
  sourceDatum: DatumSchema,
  accuracyM: Type.Union([Type.Number(), Type.Null()]),
  contactName: Type.Union([Type.String(), Type.Null()]),
  contactPhone: Type.Union([Type.String(), Type.Null()]),
  organisationId: Type.Union([Type.String(), Type.Null()]),
  organisationName: Type.Union([Type.String(), Type.Null()]),
  starRating: Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()]),
  amenities: Type.Array(
    Type.Object({
      code: AmenitySchema,
      label: Label,
      outOfService: Type.Boolean(),
      note: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  alwaysOpen: Type.Boolean(),
  hours: Type.Array(WeeklyHoursSchema),
  exceptions: Type.Array(ExceptionSchema),
  openNow: Type.Boolean({ description: 'At openAt for nearest, otherwise now' }),
  mobile: Type.Union(
    [Type.Object({ startsAt: Type.String({ format: 'date-time' }), endsAt: Type.String({ format: 'date-time' }) }), Type.Null()],
    {
      description: 'The window of a mobile-service stop; null for other places',
    },
  ),
  photos: Type.Array(Type.Object({ id: Type.String(), url: Type.String(), thumbnailUrl: Type.String() })),
  active: Type.Boolean(),
  isDemo: Type.Boolean(),
  visitsToday: Type.Optional(Type.Integer({ description: "Today's check-ins (Beijing date); for the region's editors only" })),
});

const CatalogueItem = Type.Object({ code: Type.String(), label: Label, icon: Type.String({ description: 'A Vant icon name' }) });
export const CatalogueOut = Type.Object({ kinds: Type.Array(CatalogueItem), amenities: Type.Array(CatalogueItem) });

/** The kinds and amenities with labels and icons, built once. */
export const CATALOGUE: Static<typeof CatalogueOut> = {
  kinds: PLACE_KIND_CODES.map((code) => ({ code, label: { ...PLACE_KINDS[code] }, icon: KIND_ICONS[code] })),
  amenities: AMENITY_CODES.map((code) => ({ code, label: { ...AMENITIES[code] }, icon: AMENITY_ICONS[code] })),
};

export const NearPlaceOut = Type.Object({
  place: PlaceOut,
  openNow: Type.Boolean(),
  distanceM: Type.Integer({ description: 'Straight line, metres' }),
  minutes: Type.Object(
    { walk: Type.Integer(), ebike: Type.Integer(), car: Type.Integer() },
    { description: 'Estimates: straight line × the detour factor at the configured speeds' },
  ),
});

/** The location in the datum the client draws in (WGS-84 as stored, or converted to GCJ-02). */
export function locationIn(lat: number, lng: number, datum: Datum): Static<typeof Location> {
  if (datum === 'wgs84') return { lat, lng, datum };
  const out = convert({ lat, lng }, 'wgs84', datum);
  return { lat: round(out.lat, 7), lng: round(out.lng, 7), datum };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function presentPlace(p: PlaceRow, datum: Datum, visitsToday: number | null = null): Static<typeof PlaceOut> {
  const out: Static<typeof PlaceOut> = {
    id: p.id,
    name: p.name,
    kind: p.kind,
    kindLabel: PLACE_KINDS[p.kind],
    regionCode: p.region_code,
    regionName: p.region_name,
    address: p.address,
    location: locationIn(p.lat, p.lng, datum),
    sourceDatum: p.source_datum,
    accuracyM: p.accuracy_m,
    contactName: p.contact_name,
    contactPhone: p.contact_phone,
    organisationId: p.organisation_id,
    organisationName: p.organisation_name,
    starRating: p.star_rating,
    amenities: p.amenities.map((code) => ({
      code,
      label: AMENITIES[code],
      outOfService: p.amenities_out.includes(code),
      note: p.amenity_notes[code] ?? null,
    })),
    alwaysOpen: p.always_open,
    hours: p.hours.map(([weekday, opens, closes]) => ({ weekday, opens: formatClock(opens), closes: formatClock(closes) })),
    exceptions: p.exceptions.map(([date, opens, closes, note]) => ({
      date,
      opens: opens === null ? null : formatClock(opens),
      closes: closes === null ? null : formatClock(closes),
      note,
    })),
    openNow: p.open_now,
    mobile:
      p.available_from && p.available_until
        ? { startsAt: new Date(p.available_from).toISOString(), endsAt: new Date(p.available_until).toISOString() }
        : null,
    photos: p.photo_ids.map((fileId) => photoOf(p.id, fileId)),
    active: p.is_active,
    isDemo: p.is_demo,
  };
  if (visitsToday !== null) out.visitsToday = visitsToday;
  return out;
}

export function presentNearPlace(p: NearPlaceRow, datum: Datum, travel: PlaceConfig): Static<typeof NearPlaceOut> {
  const road = (p.distance_m * travel.detourPercent) / 100;
  const minutes = (kmh: number) => Math.max(1, Math.ceil(road / ((kmh * 1000) / 60)));
  return {
    place: presentPlace(p, datum),
    openNow: p.open_now,
    distanceM: Math.round(p.distance_m),
    minutes: { walk: minutes(travel.walkKmh), ebike: minutes(travel.ebikeKmh), car: minutes(travel.carKmh) },
  };
}
