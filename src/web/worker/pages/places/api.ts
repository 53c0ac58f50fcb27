// The places API as the worker app reads it. Fields the server may not send yet (catalogue,
// photos, out-of-service amenities, mobile stops) are optional and the pages cope without them.
import { request } from '../../../shared/api';
import type { LocalizedText } from '../../../shared/types';

export type Datum = 'wgs84' | 'gcj02' | 'bd09';

export interface PlaceAmenity {
  code: string;
  label: LocalizedText;
  outOfService?: boolean;
  /** Why it is out of service, when staff said. */
  note?: string | null;
}

export interface PlaceHours {
  weekday: number;
  opens: string;
  closes: string;
}

export interface PlaceException {
  date: string;
  opens: string | null;
  closes: string | null;
  note: string | null;
}

export interface PlacePhoto {
  id?: string;
  url: string;
  thumbnailUrl?: string;
}

export interface MobileStop {
  startsAt: string;
  endsAt: string;
}

export interface Place {
  id: string;
  name: string;
  kind: string;
  kindLabel: LocalizedText;
  regionName: string;
  address: string;
  location: { lat: number; lng: number; datum: Datum };
  contactName: string | null;
  contactPhone: string | null;
  organisationName: string | null;
  amenities: PlaceAmenity[];
  alwaysOpen: boolean;
  hours: PlaceHours[];
  exceptions: PlaceException[];
  active: boolean;
  photos?: PlacePhoto[];
  starRating?: number | null;
  /** Only for editors over the place's region. */
  visitsToday?: number;
  mobile?: MobileStop | null;
  /** Present on a place read: whether it is open at the moment of the answer. */
  openNow?: boolean;
}

export interface NearPlace {
  place: Place;
  openNow: boolean;
  distanceM: number;
  minutes: { walk: number; ebike: number; car: number };
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

export interface MapSettings {
  tileUrl: string;
  labelUrl?: string;
  tileKey: string;
  attribution: string;
  centre?: { lat: number; lng: number };
}

export interface CheckIn {
  id?: string;
  at?: string;
  createdAt?: string;
  nextAllowedAt?: string;
}

export interface NearestQuery {
  lat: number;
  lng: number;
  kinds: string[];
  amenities: string[];
  openOnly: boolean;
  /** ISO time "open" is judged at (default: the server's now). */
  openAt?: string;
  limit?: number;
}

/** Repeated parameters (kind=a&kind=b) that the shared query helper does not build. */
function repeated(path: string, params: [string, string][]): string {
  const search = new URLSearchParams(params);
  return `${path}?${search.toString()}`;
}

export const placesApi = {
  nearest: (q: NearestQuery) =>
    request<{ items: NearPlace[] }>(
      'GET',
      repeated('/api/places/nearest', [
        ['lat', q.lat.toFixed(6)],
        ['lng', q.lng.toFixed(6)],
        ['openOnly', String(q.openOnly)],
        ['limit', String(q.limit ?? 30)],
        ...(q.openAt ? [['openAt', q.openAt] as [string, string]] : []),
        ...q.kinds.map((k): [string, string] => ['kind', k]),
        ...q.amenities.map((a): [string, string] => ['amenity', a]),
      ]),
    ),
  get: (id: string, datum: Datum = 'wgs84') => request<Place>('GET', `/api/places/${encodeURIComponent(id)}`, { query: { datum } }),
  catalogue: () => request<Catalogue>('GET', '/api/places/catalogue'),
  checkIn: (id: string) => request<CheckIn>('POST', `/api/places/${encodeURIComponent(id)}/check-ins`, { body: {} }),
  mapSettings: async (): Promise<MapSettings | null> => {
    const meta = await request<{ map?: MapSettings }>('GET', '/api/meta');
    return meta.map ?? null;
  },
};
