// Typed calls for places, mobile service stops and coverage (docs/places.md, docs/coverage.md),
// on the shared client so errors, CSRF and lost sessions are handled as everywhere else.
import { request } from '../../../shared/api';
import { downloadFile, sendRaw } from '../../../shared/download';
import type { Items } from '../../../shared/types';
import type {
  Catalogue,
  Coverage,
  ImportReport,
  MapSettings,
  MobileStopInput,
  Place,
  PlaceInput,
  PlacePhoto,
  TravelMode,
  Visits,
} from './types';

const seg = encodeURIComponent;

/** Query string where arrays repeat the key (kind=a&kind=b) and empty values are left out. */
export function search(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

export interface PlaceListQuery {
  q?: string;
  kind?: string[];
  /** The region whose subtree is listed (a zone: the regions it spans). */
  regionCode?: string;
  active?: boolean;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const LIST_LIMIT = 500;

let catalogueLoading: Promise<Catalogue | null> | null = null;
let mapLoading: Promise<MapSettings | null> | null = null;

export const placesApi = {
  /**
   * The register: active and inactive places the caller edits (no mobile stops) in the chosen
   * region's subtree (a zone: the regions it spans); `truncated` when the server's page was full.
   */
  async list(query: PlaceListQuery): Promise<Place[] & { truncated?: boolean }> {
    const send = { q: query.q?.trim(), kind: query.kind, regionCode: query.regionCode, includeInactive: true, limit: LIST_LIMIT };
    const { items } = await request<Items<Place>>('GET', `/api/places${search(send)}`);
    const kept: Place[] & { truncated?: boolean } = items.filter(
      (p) => !p.mobile && p.kind !== 'mobile_service' && (query.active === undefined || p.active === query.active),
    );
    kept.truncated = items.length >= LIST_LIMIT;
    return kept;
  },
  get: (id: string) => request<Place>('GET', `/api/places/${seg(id)}`),
  create: (input: PlaceInput) => request<Place>('POST', '/api/places', { body: input }),
  update: (id: string, input: PlaceInput) => request<Place>('PUT', `/api/places/${seg(id)}`, { body: input }),

  /** Kinds and amenities with labels, in display order; null until the server has the route. */
  catalogue(): Promise<Catalogue | null> {
    catalogueLoading ??= request<Catalogue>('GET', '/api/places/catalogue').catch(() => {
      catalogueLoading = null;
      return null;
    });
    return catalogueLoading;
  },

  /** Tile settings for the maps (public meta); null when the server does not say. */
  mapSettings(): Promise<MapSettings | null> {
    mapLoading ??= request<{ map?: MapSettings }>('GET', '/api/meta').then(
      (meta) => meta.map ?? null,
      () => null,
    );
    return mapLoading;
  },

  importFile: (file: File) =>
    sendRaw<ImportReport>('POST', '/api/places/import', file, file.name.toLowerCase().endsWith('.xlsx') ? XLSX : 'text/csv'),

  /** Downloads the region's places (active and inactive) as the import file. */
  export: (format: 'xlsx' | 'csv', regionCode: string, kind: string[]) =>
    downloadFile(`/api/places/export${search({ format, regionCode, kind })}`, `places.${format}`),

  posterUrl: (id: string) => `/api/places/${seg(id)}/poster.png`,
  poster: (id: string, name: string) => downloadFile(`/api/places/${seg(id)}/poster.png`, `${name}.png`),

  uploadPhoto(placeId: string, file: File): Promise<PlacePhoto> {
    const form = new FormData();
    form.append('file', file, file.name);
    return sendRaw<PlacePhoto>('POST', `/api/places/${seg(placeId)}/photos`, form);
  },
  removePhoto: (placeId: string, photoId: string) => request<void>('DELETE', `/api/places/${seg(placeId)}/photos/${seg(photoId)}`),

  visits: (id: string, date?: string) => request<Visits>('GET', `/api/places/${seg(id)}/visits`, { query: { date } }),
  setAmenity: (id: string, code: string, outOfService: boolean, note?: string) =>
    request<Place>('PUT', `/api/places/${seg(id)}/amenities/${seg(code)}`, { body: { outOfService, note: note || undefined } }),

  stops: (query: { regionCode: string; from?: string; to?: string }) =>
    request<Items<Place>>('GET', '/api/places/mobile-stops', { query }).then((r) => r.items),
  scheduleStop: (input: MobileStopInput) => request<Place>('POST', '/api/places/mobile-stops', { body: input }),
  cancelStop: (id: string) => request<void>('DELETE', `/api/places/mobile-stops/${seg(id)}`),

  coverage: (query: {
    regionCode: string;
    kind: string[];
    mode: TravelMode;
    minutes: number;
    resolution: number;
    at?: string;
    suggest?: number;
  }) => request<Coverage>('GET', `/api/places/coverage${search(query)}`),
};
