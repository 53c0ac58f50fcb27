// Where regions lie: which region a point falls in, and the shape of a region for gridding.
// Outlines of the county-level units come from data/geometry.json (scripts/generate-region-geometry.mjs:
// simplified ECharts city maps, good to a few hundred metres); streets are split only where we ship
// approximate seats (惠安县, 晋江市, 泉港区), by nearest seat inside the district. See docs/coverage.md.
import { readFileSync } from 'node:fs';
import type { AppContext } from '../../context.js';

type Ring = [number, number][]; // [lng, lat], closed
interface ShippedGeometry {
  source: string;
  districts: { code: string; name: string; polygons: Ring[][] }[];
  seats: { code: string; lat: number; lng: number }[];
}

interface Edge {
  lat0: number;
  lat1: number;
  lng0: number;
  slope: number; // d lng / d lat
}

interface District {
  code: string;
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
  edges: Edge[];
  /** Streets with an approximate seat in this district, if any. */
  seats: { code: string; lat: number; lng: number }[];
  /** The rings as shipped, [lng, lat]. */
  rings: Ring[];
}

/** A region's area on the map: its bounding box and, per latitude, the longitudes inside it. */
export interface Shape {
  minLat: number;
  maxLat: number;
  minLng: number;
  maxLng: number;
  /** Whether [lat, lng] lies inside. */
  contains(lat: number, lng: number): boolean;
  /**
   * Sorted longitude crossings of the outline at this latitude (inside between pairs), and a
   * filter for the points between them (street split by nearest seat), or null.
   */
  row(lat: number): { crossings: number[]; keep: ((lat: number, lng: number) => boolean) | null };
}

let loaded: Map<string, District> | null = null;

function districts(): Map<string, District> {
  if (loaded) return loaded;
  const data = JSON.parse(readFileSync(new URL('./data/geometry.json', import.meta.url), 'utf8')) as ShippedGeometry;
  const map = new Map<string, District>();
  for (const d of data.districts) {
    const edges: Edge[] = [];
    let minLat = Infinity;
    let maxLat = -Infinity;
    let minLng = Infinity;
    let maxLng = -Infinity;
    for (const polygon of d.polygons) {
      for (const ring of polygon) {
        for (let i = 0; i < ring.length - 1; i++) {
          const [lngA, latA] = ring[i]!;
          const [lngB, latB] = ring[i + 1]!;
          minLat = Math.min(minLat, latA);
          maxLat = Math.max(maxLat, latA);
          minLng = Math.min(minLng, lngA);
          maxLng = Math.max(maxLng, lngA);
          if (latA === latB) continue; // horizontal edges never cross a row
          const [lo, hi] =
            latA < latB
              ? [
                  [lngA, latA],
                  [lngB, latB],
                ]
              : [
                  [lngB, latB],
                  [lngA, latA],
                ];
          edges.push({ lat0: lo[1]!, lat1: hi[1]!, lng0: lo[0]!, slope: (hi[0]! - lo[0]!) / (hi[1]! - lo[1]!) });
        }
      }
    }
    const prefix = d.code;
    map.set(d.code, {
      code: d.code,
      minLat,
      maxLat,
      minLng,
      maxLng,
      edges,
      seats: data.seats.filter((s) => s.code.startsWith(prefix)),
      rings: d.polygons.flat(),
    });
  }
  loaded = map;
  return map;
}

/** Longitudes where the outline crosses this latitude, sorted (even–odd: inside between pairs). */
function crossings(d: District, lat: number, out: number[]): void {
  if (lat < d.minLat || lat > d.maxLat) return;
  for (const e of d.edges) {
    // Half-open on the upper end so that a vertex on the row counts once.
    if (lat >= e.lat0 && lat < e.lat1) out.push(e.lng0 + (lat - e.lat0) * e.slope);
  }
}

function insideDistrict(d: District, lat: number, lng: number): boolean {
  if (lat < d.minLat || lat > d.maxLat || lng < d.minLng || lng > d.maxLng) return false;
  let inside = false;
  for (const e of d.edges) {
    if (lat >= e.lat0 && lat < e.lat1 && e.lng0 + (lat - e.lat0) * e.slope > lng) inside = !inside;
  }
  return inside;
}

function nearestSeat(d: District, lat: number, lng: number): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  const k = Math.cos((lat * Math.PI) / 180);
  for (const s of d.seats) {
    const dist = (s.lat - lat) ** 2 + ((s.lng - lng) * k) ** 2;
    if (dist < bestD) {
      bestD = dist;
      best = s.code;
    }
  }
  return best;
}

/**
 * Outlines are simplified one district at a time, so shared borders leave slivers (and coasts
 * shift) by up to ~100 m: a point that no outline holds goes to the nearest one within this.
 */
const BORDER_SLACK_M = 200;
const METRES_PER_DEG = 111_195;

/** Distance (m) from the point to the district's outline, or Infinity beyond `limit`. */
function distanceToOutline(d: District, lat: number, lng: number, limit: number): number {
  const k = Math.cos((lat * Math.PI) / 180);
  const padLat = limit / METRES_PER_DEG;
  const padLng = padLat / k;
  if (lat < d.minLat - padLat || lat > d.maxLat + padLat || lng < d.minLng - padLng || lng > d.maxLng + padLng) return Infinity;
  let best = Infinity;
  for (const e of d.edges) {
    if (lat < e.lat0 - padLat || lat > e.lat1 + padLat) continue;
    // The edge in local metres, from its lower end.
    const ex = e.slope * (e.lat1 - e.lat0) * k * METRES_PER_DEG;
    const ey = (e.lat1 - e.lat0) * METRES_PER_DEG;
    const px = (lng - e.lng0) * k * METRES_PER_DEG;
    const py = (lat - e.lat0) * METRES_PER_DEG;
    const t = Math.max(0, Math.min(1, (px * ex + py * ey) / (ex * ex + ey * ey)));
    best = Math.min(best, Math.hypot(px - t * ex, py - t * ey));
  }
  return best <= limit ? best : Infinity;
}

function districtAt(lat: number, lng: number): District | null {
  const all = districts();
  for (const d of all.values()) if (insideDistrict(d, lat, lng)) return d;
  let nearest: District | null = null;
  let nearestM = Infinity;
  for (const d of all.values()) {
    const m = distanceToOutline(d, lat, lng, BORDER_SLACK_M);
    if (m < nearestM) {
      nearestM = m;
      nearest = d;
    }
  }
  return nearest;
}

/** The district (county-level unit) whose outline holds the point, or null (sea, outside 泉州). */
export function districtCodeAt(lat: number, lng: number): string | null {
  return districtAt(lat, lng)?.code ?? null;
}

/** Deepest region we can place the point in: a street where seats are known, else the district. */
export function regionCodeAt(lat: number, lng: number): string | null {
  const d = districtAt(lat, lng);
  if (!d) return null;
  return d.seats.length > 0 ? (nearestSeat(d, lat, lng) ?? d.code) : d.code;
}

/** Deepest known region code containing the point, or null (a place's region when none is given). */
export async function regionAt(_ctx: AppContext, point: { lat: number; lng: number }): Promise<string | null> {
  if (!Number.isFinite(point.lat) || !Number.isFinite(point.lng)) return null;
  return regionCodeAt(point.lat, point.lng);
}

const CITY = '350500';
/** 金门县 is in the tree (NBS lists it) and is located, but the platform serves no one there. */
const UNSERVED = new Set(['350527']);

/** The districts that make up the city for coverage and drawing. */
function cityDistricts(): District[] {
  return [...districts().values()].filter((d) => !UNSERVED.has(d.code));
}

interface Part {
  district: District;
  /** For a street: only the points whose nearest seat is one of these. */
  streets: Set<string> | null;
}

function partOf(code: string): Part[] | null {
  const all = districts();
  if (code === CITY) return cityDistricts().map((district) => ({ district, streets: null }));
  const district = all.get(code);
  if (district) return [{ district, streets: null }];
  const parent = all.get(code.slice(0, 6));
  if (parent && code.length === 12 && code.endsWith('000') && parent.seats.some((s) => s.code === code)) {
    return [{ district: parent, streets: new Set([code]) }];
  }
  return null;
}

/**
 * The shape of a region (a zone: the union of its members), or null where we have no geometry
 * for it (communities; streets without seats).
 */
export function shapeOf(code: string, memberCodes: string[] = []): Shape | null {
  let parts: Part[] = [];
  if (memberCodes.length > 0) {
    for (const member of memberCodes) {
      const p = partOf(member);
      if (!p) return null;
      for (const part of p) {
        const same = parts.find((x) => x.district === part.district);
        if (!same) parts.push({ district: part.district, streets: part.streets ? new Set(part.streets) : null });
        else if (same.streets && part.streets) for (const s of part.streets) same.streets.add(s);
        else same.streets = null;
      }
    }
  } else {
    const p = partOf(code);
    if (!p) return null;
    parts = p;
  }
  const minLat = Math.min(...parts.map((p) => p.district.minLat));
  const maxLat = Math.max(...parts.map((p) => p.district.maxLat));
  const minLng = Math.min(...parts.map((p) => p.district.minLng));
  const maxLng = Math.max(...parts.map((p) => p.district.maxLng));
  const partAt = (lat: number, lng: number): Part | undefined => parts.find((p) => insideDistrict(p.district, lat, lng));
  const keepStreet = (lat: number, lng: number): boolean => {
    const p = partAt(lat, lng);
    if (!p) return false;
    if (!p.streets) return true;
    const seat = nearestSeat(p.district, lat, lng);
    return seat !== null && p.streets.has(seat);
  };
  const anyStreets = parts.some((p) => p.streets !== null);
  return {
    minLat,
    maxLat,
    minLng,
    maxLng,
    contains: keepStreet,
    row(lat) {
      // Districts do not overlap, so the union's crossings are the concatenation.
      const out: number[] = [];
      for (const p of parts) crossings(p.district, lat, out);
      out.sort((a, b) => a - b);
      return { crossings: out, keep: anyStreets ? keepStreet : null };
    },
  };
}

/**
 * The outline of a district, or of 泉州市 (all of them), as rings of [lat, lng] (WGS-84) for
 * drawing; null for regions whose shape is only a split by seats (streets, zones).
 */
export function outlineOf(code: string): [number, number][][] | null {
  const all = districts();
  const parts = code === CITY ? cityDistricts() : all.has(code) ? [all.get(code)!] : null;
  if (!parts) return null;
  return parts.flatMap((d) => d.rings.map((ring) => ring.map(([lng, lat]) => [lat, lng] as [number, number])));
}
