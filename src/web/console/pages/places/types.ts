// Shapes of the places API as the console uses them (camelCase, as sent). Fields added to the
// API later are optional here, so the pages work with and without them.
import type { LocalizedText } from '../../../shared/types';

export type Datum = 'wgs84' | 'gcj02' | 'bd09';

export interface WeeklyPeriod {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  opens: string;
  closes: string;
}

export interface HoursException {
  date: string;
  /** Both null: closed all day. */
  opens: string | null;
  closes: string | null;
  note: string | null;
}

export interface PlaceAmenity {
  code: string;
  label: LocalizedText;
  /** Marked out of service by station staff. */
  outOfService?: boolean;
  note?: string | null;
}

export interface PlacePhoto {
  id: string;
  url?: string;
  thumbnailUrl?: string;
  name?: string;
}

export interface Place {
  id: string;
  name: string;
  kind: string;
  kindLabel: LocalizedText;
  regionCode: string;
  regionName: string;
  address: string;
  location: { lat: number; lng: number; datum: Datum };
  sourceDatum: Datum;
  accuracyM: number | null;
  contactName: string | null;
  contactPhone: string | null;
  organisationId: string | null;
  organisationName: string | null;
  amenities: PlaceAmenity[];
  alwaysOpen: boolean;
  hours: WeeklyPeriod[];
  exceptions: HoursException[];
  active: boolean;
  isDemo: boolean;
  openNow?: boolean;
  photos?: PlacePhoto[];
  starRating?: number | null;
  /** Set for a mobile-service stop (kind mobile_service). */
  mobile?: { startsAt: string; endsAt: string } | null;
  visitsToday?: number;
}

export interface PlaceInput {
  name: string;
  kind: string;
  regionCode?: string;
  address?: string;
  location: { lat: number; lng: number; datum?: Datum; accuracyM?: number | null };
  contactName?: string | null;
  contactPhone?: string | null;
  organisationId?: string | null;
  amenities?: string[];
  alwaysOpen?: boolean;
  hours?: WeeklyPeriod[];
  exceptions?: HoursException[];
  starRating?: number | null;
  active?: boolean;
}

export interface CatalogueEntry {
  code: string;
  label: LocalizedText;
  icon?: string;
}

export interface Catalogue {
  kinds: CatalogueEntry[];
  amenities: CatalogueEntry[];
}

export interface ImportRow {
  row: number;
  name: string;
  status: 'created' | 'refused';
  id?: string;
  error?: { code: string; message: LocalizedText; details?: unknown };
}

export interface ImportReport {
  created: number;
  refused: number;
  rows: ImportRow[];
}

/** Check-ins at a place on one Beijing date. */
export interface Visits {
  placeId: string;
  date: string;
  checkIns: number;
  workers: number;
  byHour: { hour: number; checkIns: number; workers: number }[];
}

export interface MobileStopInput {
  name: string;
  regionCode?: string;
  address?: string;
  location: { lat: number; lng: number; datum?: Datum; accuracyM?: number | null };
  startsAt: string;
  endsAt: string;
  organisationId?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  amenities?: string[];
}

export type TravelMode = 'walk' | 'ebike' | 'car';

export interface Coverage {
  region: { code: string; name: string; nameEn?: string | null };
  resolutionM: number;
  mode: TravelMode;
  minutes: number;
  cells: { total: number; covered: number };
  weight: { total: number; covered: number };
  share: number;
  cellShare: number;
  uncovered: { lat: number; lng: number; weight: number }[];
  /** How many uncovered cells there are (the list may be cut). */
  uncoveredTotal?: number;
  suggestions: { lat: number; lng: number; adds: number; addsCells: number; shareAfter: number }[];
  /** Open places of the chosen kinds that took part. */
  places: number;
  at: string;
}

export interface MapSettings {
  tileUrl: string;
  labelUrl: string;
  tileKey: string;
  attribution: string;
  centre: { lat: number; lng: number };
}

/** A marker on a console map (WGS-84). */
export interface MapPoint {
  id: string;
  lat: number;
  lng: number;
  title: string;
  /** Fill colour; grey when muted. */
  colour?: string;
  /** A short text drawn in the marker (a rank). */
  badge?: string;
  muted?: boolean;
}

/** A shaded grid cell on a console map, by its centre. */
export interface MapCell {
  lat: number;
  lng: number;
  weight: number;
}
