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
