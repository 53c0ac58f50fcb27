// Datum conversion at the edges: WGS-84 is stored; GCJ-02 (WeChat, AMap) and BD-09 (Baidu) come and go.
import gcoordCjs from 'gcoord';
import type { Datum } from './tables.js';

// gcoord is CommonJS (module.exports = the API) but its types declare an ES default export.
const gcoord = gcoordCjs as unknown as typeof gcoordCjs.default;

const CRS = { wgs84: gcoord.WGS84, gcj02: gcoord.GCJ02, bd09: gcoord.BD09 } as const;

export interface LatLng {
  lat: number;
  lng: number;
}

export function convert(point: LatLng, from: Datum, to: Datum): LatLng {
  if (from === to) return point;
  const [lng, lat] = gcoord.transform<[number, number]>([point.lng, point.lat], CRS[from], CRS[to]);
  return { lat, lng };
}

/** A map view box in WGS-84 degrees. */
export interface Box {
  south: number;
  west: number;
  north: number;
  east: number;
}

/**
 * A view box "south,west,north,east" as the client sent it (in its datum), checked and turned
 * into WGS-84. `maxDegrees` bounds its span where an answer must stay small.
 */
export function boxFromText(text: string, datum: Datum, maxDegrees = Infinity): Box | null {
  const [s = NaN, w = NaN, n = NaN, e = NaN] = text.split(',').map(Number);
  if (![s, w, n, e].every(Number.isFinite) || s > n || w > e || n - s > maxDegrees || e - w > maxDegrees) return null;
  const sw = convert({ lat: s, lng: w }, datum, 'wgs84');
  const ne = convert({ lat: n, lng: e }, datum, 'wgs84');
  return { south: sw.lat, west: sw.lng, north: ne.lat, east: ne.lng };
}
