// The fifteen-minute circle: which cells of a region an open place reaches within N minutes, how
// much of the workers' presence that is, and where new places would add the most (greedy maximum
// coverage). The grid work is plain arithmetic on typed arrays; see docs/coverage.md.
import type { AppContext } from '../../context.js';
import { errors } from '../../errors.js';
import { requireActor, requireRoleAt, type Actor } from '../identity/access.js';
import { outlineOf, shapeOf, type Shape } from '../regions/locate.js';
import { getRegion } from '../regions/service.js';
import { countPresencePerCell, findOpenPlacesInBox, type GridFrame } from './coverage-queries.js';
import { beijingClock } from './hours.js';
import type { PlaceKind } from './tables.js';

/** Planners: coverage is a planning view, over the planner's own region. */
export const PLANNERS = ['coordinator', 'admin'] as const;

export const TRAVEL_MODES = ['walk', 'ebike', 'car'] as const;
export type TravelMode = (typeof TRAVEL_MODES)[number];

export const COVERAGE_LIMITS = {
  resolutionM: { min: 50, max: 2000 },
  minutes: { min: 1, max: 60 },
  suggest: { min: 0, max: 20 },
  /** Grid slots (cells of the bounding box) one request may allocate. */
  maxSlots: 4_000_000,
  /** Uncovered cells listed, heaviest first. */
  maxUncovered: 5000,
  /** Check-ins older than this do not weigh. */
  checkInDays: 90,
  /** Weight of every cell before check-ins, so an area with no data still counts. */
  floorWeight: 1,
} as const;

/** Mean earth radius (m), as in a local equirectangular projection. */
const METRES_PER_DEG = (6371008.8 * Math.PI) / 180;

export interface CoverageInput {
  regionCode: string;
  kinds: PlaceKind[];
  mode: TravelMode;
  minutes: number;
  resolutionM: number;
  at: Date;
  suggest: number;
}

export interface CoverageResult {
  region: { code: string; name: string; nameEn: string | null };
  resolutionM: number;
  mode: TravelMode;
  minutes: number;
  cells: { total: number; covered: number };
  weight: { total: number; covered: number };
  share: number;
  cellShare: number;
  uncovered: { lat: number; lng: number; weight: number }[];
  uncoveredTotal: number;
  suggestions: { lat: number; lng: number; adds: number; addsCells: number; shareAfter: number }[];
  places: number;
  at: string;
  /** The region's box, and its outline where it is a whole district (or the city). */
  bounds: { south: number; west: number; north: number; east: number };
  outline: [number, number][][] | null;
}

function inRange(value: number, limits: { min: number; max: number }): boolean {
  return Number.isFinite(value) && value >= limits.min && value <= limits.max;
}

/** Straight-line reach (m) of a place: the worker app's minutes estimate, solved for distance. */
export function reachMetres(travel: AppContext['config']['placeTravel'], mode: TravelMode, minutes: number): number {
  const kmh = mode === 'walk' ? travel.walkKmh : mode === 'ebike' ? travel.ebikeKmh : travel.carKmh;
  return (((minutes * kmh * 1000) / 60) * 100) / travel.detourPercent;
}

export async function placeCoverage(ctx: AppContext, actor: Actor | null, input: CoverageInput): Promise<CoverageResult> {
  requireActor(actor);
  const { region, members } = await getRegion(ctx.db, input.regionCode);
  requireRoleAt(actor, PLANNERS, region.path);
  const L = COVERAGE_LIMITS;
  if (!inRange(input.resolutionM, L.resolutionM))
    throw errors.invalidRequest({ resolution: `${L.resolutionM.min}…${L.resolutionM.max} m` });
  if (!inRange(input.minutes, L.minutes)) throw errors.invalidRequest({ minutes: `${L.minutes.min}…${L.minutes.max}` });
  if (!Number.isInteger(input.suggest) || !inRange(input.suggest, L.suggest))
    throw errors.invalidRequest({ suggest: `${L.suggest.min}…${L.suggest.max}` });
  if (Number.isNaN(input.at.getTime())) throw errors.invalidRequest({ at: 'ISO 8601 time' });

  const shape = shapeOf(region.code, members?.map((m) => m.code) ?? []);
  if (!shape) throw errors.regionWithoutGeometry({ code: region.code });

  const reach = reachMetres(ctx.config.placeTravel, input.mode, input.minutes);
  const grid = makeGrid(shape, input.resolutionM);
  if (!grid) throw errors.invalidRequest({ resolution: 'too fine for a region this large', maxCells: L.maxSlots });

  // Places up to the reach beyond the region's box still cover cells inside it.
  const padLat = reach / grid.frame.metresPerDegLat;
  const padLng = reach / grid.frame.metresPerDegLng;
  const placeBox = { south: shape.minLat - padLat, north: shape.maxLat + padLat, west: shape.minLng - padLng, east: shape.maxLng + padLng };
  const regionBox = { south: shape.minLat, north: shape.maxLat, west: shape.minLng, east: shape.maxLng };
  const since = new Date(Date.now() - L.checkInDays * 86_400_000);
  const [places, checkIns] = await Promise.all([
    findOpenPlacesInBox(ctx.db, placeBox, [...new Set(input.kinds)], { ...beijingClock(input.at), at: input.at }),
    countPresencePerCell(ctx.db, regionBox, grid.frame, since),
  ]);
  for (const c of checkIns) grid.addWeight(c.i, c.j, c.n);

  const result = evaluate(grid, places, reach, input.suggest);
  return {
    region: { code: region.code, name: region.name, nameEn: region.name_en },
    resolutionM: input.resolutionM,
    mode: input.mode,
    minutes: input.minutes,
    ...result,
    at: input.at.toISOString(),
    bounds: regionBox,
    outline: outlineOf(region.code),
  };
}

// ---- the grid --------------------------------------------------------------------------------

export interface Grid {
  frame: GridFrame;
  nx: number;
  ny: number;
  /** Grid slot (j * nx + i) → cell number, or -1 outside the region. */
  cellOf: Int32Array;
  /** Cell number → grid slot. */
  slotOf: Int32Array;
  weight: Float64Array;
  addWeight(i: number, j: number, n: number): void;
  centre(cell: number): { lat: number; lng: number };
}

/** A square metric grid over the shape's box; a cell is the region's when its centre lies inside. */
export function makeGrid(shape: Shape, cellM: number): Grid | null {
  const midLat = (shape.minLat + shape.maxLat) / 2;
  const frame: GridFrame = {
    lat0: shape.minLat,
    lng0: shape.minLng,
    metresPerDegLat: METRES_PER_DEG,
    metresPerDegLng: METRES_PER_DEG * Math.cos((midLat * Math.PI) / 180),
    cellM,
  };
  const nx = Math.max(1, Math.ceil(((shape.maxLng - shape.minLng) * frame.metresPerDegLng) / cellM));
  const ny = Math.max(1, Math.ceil(((shape.maxLat - shape.minLat) * frame.metresPerDegLat) / cellM));
  if (nx * ny > COVERAGE_LIMITS.maxSlots) return null;
  const cellOf = new Int32Array(nx * ny).fill(-1);
  const slots: number[] = [];
  const lngOfI = (x: number) => frame.lng0 + (x * cellM) / frame.metresPerDegLng;
  for (let j = 0; j < ny; j++) {
    const lat = frame.lat0 + ((j + 0.5) * cellM) / frame.metresPerDegLat;
    const { crossings, keep } = shape.row(lat);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      // Centres with lng in [a, b): column i has its centre at lng0 + (i + 0.5) cells.
      const a = ((crossings[k]! - frame.lng0) * frame.metresPerDegLng) / cellM - 0.5;
      const b = ((crossings[k + 1]! - frame.lng0) * frame.metresPerDegLng) / cellM - 0.5;
      const from = Math.max(0, Math.ceil(a));
      const to = Math.min(nx - 1, Math.ceil(b) - 1);
      for (let i = from; i <= to; i++) {
        const slot = j * nx + i;
        if (cellOf[slot] !== -1) continue;
        if (keep && !keep(lat, lngOfI(i + 0.5))) continue;
        cellOf[slot] = slots.length;
        slots.push(slot);
      }
    }
  }
  const slotOf = Int32Array.from(slots);
  const weight = new Float64Array(slots.length).fill(COVERAGE_LIMITS.floorWeight);
  return {
    frame,
    nx,
    ny,
    cellOf,
    slotOf,
    weight,
    addWeight(i, j, n) {
      if (i < 0 || j < 0 || i >= nx || j >= ny) return;
      const cell = cellOf[j * nx + i]!;
      if (cell >= 0) weight[cell]! += n;
    },
    centre(cell) {
      const slot = slotOf[cell]!;
      const i = slot % nx;
      const j = (slot - i) / nx;
      return {
        lat: frame.lat0 + ((j + 0.5) * cellM) / frame.metresPerDegLat,
        lng: frame.lng0 + ((i + 0.5) * cellM) / frame.metresPerDegLng,
      };
    },
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Coverage by the given places, the uncovered cells, and `suggest` greedy picks. */
export function evaluate(
  grid: Grid,
  places: { lat: number; lng: number }[],
  reachM: number,
  suggest: number,
): Omit<CoverageResult, 'region' | 'resolutionM' | 'mode' | 'minutes' | 'at' | 'bounds' | 'outline'> {
  const { nx, ny, cellOf, slotOf, weight, frame } = grid;
  const n = slotOf.length;
  const cellM = frame.cellM;
  const covered = new Uint8Array(n);
  const reach = reachM / cellM; // in cells
  const reach2 = reach * reach;

  // What the existing places reach: per row of each disc, +1/−1 at the ends of its run of columns,
  // then one pass of running sums. Work grows with places × rows, not with places × cells.
  const stride = nx + 1;
  const diff = new Int32Array(stride * ny);
  let placesCounted = 0;
  for (const p of places) {
    const cx = ((p.lng - frame.lng0) * frame.metresPerDegLng) / cellM - 0.5;
    const cy = ((p.lat - frame.lat0) * frame.metresPerDegLat) / cellM - 0.5;
    const j0 = Math.max(0, Math.ceil(cy - reach));
    const j1 = Math.min(ny - 1, Math.floor(cy + reach));
    let touches = false;
    for (let j = j0; j <= j1; j++) {
      const dy = j - cy;
      const half = Math.sqrt(Math.max(0, reach2 - dy * dy));
      const i0 = Math.max(0, Math.ceil(cx - half));
      const i1 = Math.min(nx - 1, Math.floor(cx + half));
      if (i0 > i1) continue;
      diff[j * stride + i0]!++;
      diff[j * stride + i1 + 1]!--;
      touches = true;
    }
    if (touches) placesCounted++;
  }
  for (let j = 0; j < ny; j++) {
    let run = 0;
    for (let i = 0; i < nx; i++) {
      run += diff[j * stride + i]!;
      if (run > 0) {
        const cell = cellOf[j * nx + i]!;
        if (cell >= 0) covered[cell] = 1;
      }
    }
  }
  // A place counts when its reach holds a cell of the region (its box may only graze it).
  if (placesCounted > 0) placesCounted = countPlacesReaching(grid, places, reach, covered);

  let totalWeight = 0;
  let coveredWeight = 0;
  let coveredCells = 0;
  for (let c = 0; c < n; c++) {
    totalWeight += weight[c]!;
    if (covered[c]) {
      coveredWeight += weight[c]!;
      coveredCells++;
    }
  }

  const heaviest = heaviestUncovered(weight, covered, COVERAGE_LIMITS.maxUncovered);
  const uncovered = heaviest.map((c) => {
    const { lat, lng } = grid.centre(c);
    return { lat: round(lat, 6), lng: round(lng, 6), weight: round(weight[c]!, 3) };
  });

  const suggestions = suggestSites(grid, covered, reach, suggest, coveredWeight, totalWeight);
  return {
    cells: { total: n, covered: coveredCells },
    weight: { total: round(totalWeight, 3), covered: round(coveredWeight, 3) },
    share: totalWeight > 0 ? coveredWeight / totalWeight : 0,
    cellShare: n > 0 ? coveredCells / n : 0,
    uncovered,
    uncoveredTotal: n - coveredCells,
    suggestions,
    places: placesCounted,
  };
}

/** How many places have a cell of the region within reach (checked per row at the disc's ends and inside). */
function countPlacesReaching(grid: Grid, places: { lat: number; lng: number }[], reach: number, covered: Uint8Array): number {
  const { nx, ny, cellOf, frame } = grid;
  const reach2 = reach * reach;
  let count = 0;
  for (const p of places) {
    const cx = ((p.lng - frame.lng0) * frame.metresPerDegLng) / frame.cellM - 0.5;
    const cy = ((p.lat - frame.lat0) * frame.metresPerDegLat) / frame.cellM - 0.5;
    const j0 = Math.max(0, Math.ceil(cy - reach));
    const j1 = Math.min(ny - 1, Math.floor(cy + reach));
    let found = false;
    for (let j = j0; j <= j1 && !found; j++) {
      const dy = j - cy;
      const half = Math.sqrt(Math.max(0, reach2 - dy * dy));
      const i0 = Math.max(0, Math.ceil(cx - half));
      const i1 = Math.min(nx - 1, Math.floor(cx + half));
      for (let i = i0; i <= i1; i++) {
        const cell = cellOf[j * nx + i]!;
        if (cell >= 0 && covered[cell]) {
          found = true;
          break;
        }
      }
    }
    if (found) count++;
  }
  return count;
}

/** Up to `limit` uncovered cells, heaviest first (ties: in grid order), without sorting them all. */
function heaviestUncovered(weight: Float64Array, covered: Uint8Array, limit: number): number[] {
  const open: number[] = [];
  const weights: number[] = [];
  for (let c = 0; c < weight.length; c++) {
    if (!covered[c]) {
      open.push(c);
      weights.push(weight[c]!);
    }
  }
  if (open.length > limit) {
    // The limit-th heaviest weight: cells above it all go in, cells at it in grid order.
    const sorted = Float64Array.from(weights).sort();
    const threshold = sorted[sorted.length - limit]!;
    let above = 0;
    for (const w of weights) if (w > threshold) above++;
    let atThreshold = limit - above;
    const chosen: number[] = [];
    for (let k = 0; k < open.length; k++) {
      const w = weights[k]!;
      if (w > threshold) chosen.push(open[k]!);
      else if (w === threshold && atThreshold > 0) {
        chosen.push(open[k]!);
        atThreshold--;
      }
    }
    return chosen.sort((a, b) => weight[b]! - weight[a]! || a - b);
  }
  return open.sort((a, b) => weight[b]! - weight[a]! || a - b);
}

/**
 * Greedy maximum coverage over candidate sites at cell centres. A candidate's gain is the
 * uncovered weight within reach, summed per disc row from row prefix sums; after each pick only
 * the rows and candidates near it are brought up to date. When the reach spans many cells, one
 * candidate per block of cells (the cell nearest the block's centre) keeps the work bounded: a
 * site a few cells off changes little when it reaches dozens of cells each way.
 */
function suggestSites(grid: Grid, covered: Uint8Array, reach: number, count: number, coveredWeight: number, totalWeight: number) {
  const { nx, ny, cellOf, slotOf, weight } = grid;
  const n = slotOf.length;
  if (count <= 0 || n === 0) return [];
  // Column half-width of the disc at each row offset: cells whose centres lie within reach.
  const D = Math.floor(reach);
  const halfW = new Int32Array(D + 1);
  for (let d = 0; d <= D; d++) halfW[d] = Math.floor(Math.sqrt(Math.max(0, reach * reach - d * d)) + 1e-9);

  // Candidates: every cell, or one per block of `block` × `block` cells.
  const block = Math.max(1, Math.floor(D / 16));
  const candAt = new Int32Array(nx * ny).fill(-1);
  const candSlots: number[] = [];
  if (block === 1) {
    for (let c = 0; c < n; c++) {
      candAt[slotOf[c]!] = candSlots.length;
      candSlots.push(slotOf[c]!);
    }
  } else {
    const bx = Math.ceil(nx / block);
    const best = new Map<number, { slot: number; d: number }>();
    for (let c = 0; c < n; c++) {
      const slot = slotOf[c]!;
      const i = slot % nx;
      const j = (slot - i) / nx;
      const key = Math.floor(j / block) * bx + Math.floor(i / block);
      const mid = (block - 1) / 2;
      const d = ((i % block) - mid) ** 2 + ((j % block) - mid) ** 2;
      const seen = best.get(key);
      if (!seen || d < seen.d) best.set(key, { slot, d });
    }
    for (const { slot } of [...best.values()].sort((a, b) => a.slot - b.slot)) {
      candAt[slot] = candSlots.length;
      candSlots.push(slot);
    }
  }

  // Uncovered weight per slot and its prefix sums along each row (nx + 1 entries a row).
  const open = new Float64Array(nx * ny);
  for (let c = 0; c < n; c++) if (!covered[c]) open[slotOf[c]!] = weight[c]!;
  const stride = nx + 1;
  const prefix = new Float64Array(stride * ny);
  const buildRow = (j: number) => {
    let sum = 0;
    const base = j * stride;
    const row = j * nx;
    prefix[base] = 0;
    for (let i = 0; i < nx; i++) {
      sum += open[row + i]!;
      prefix[base + i + 1] = sum;
    }
  };
  for (let j = 0; j < ny; j++) buildRow(j);

  const gainAt = (i: number, j: number): number => {
    let g = 0;
    const from = Math.max(-D, -j);
    const to = Math.min(D, ny - 1 - j);
    for (let d = from; d <= to; d++) {
      const w = halfW[d < 0 ? -d : d]!;
      const base = (j + d) * stride;
      const lo = i - w < 0 ? 0 : i - w;
      const hi = i + w >= nx ? nx - 1 : i + w;
      g += prefix[base + hi + 1]! - prefix[base + lo]!;
    }
    return g;
  };
  const m = candSlots.length;
  const gain = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const slot = candSlots[k]!;
    const i = slot % nx;
    gain[k] = gainAt(i, (slot - i) / nx);
  }

  const picks: { lat: number; lng: number; adds: number; addsCells: number; shareAfter: number }[] = [];
  let coveredSoFar = coveredWeight;
  for (let pick = 0; pick < count; pick++) {
    let best = -1;
    let bestGain = 1e-9;
    for (let k = 0; k < m; k++) {
      if (gain[k]! > bestGain) {
        bestGain = gain[k]!;
        best = k;
      }
    }
    if (best < 0) break;
    const slot = candSlots[best]!;
    const pi = slot % nx;
    const pj = (slot - pi) / nx;
    // Cover the pick's disc.
    let adds = 0;
    let addsCells = 0;
    for (let d = -D; d <= D; d++) {
      const j = pj + d;
      if (j < 0 || j >= ny) continue;
      const w = halfW[d < 0 ? -d : d]!;
      let changed = false;
      for (let i = Math.max(0, pi - w); i <= Math.min(nx - 1, pi + w); i++) {
        const cell = cellOf[j * nx + i]!;
        if (cell >= 0 && !covered[cell]) {
          covered[cell] = 1;
          adds += weight[cell]!;
          addsCells++;
          open[j * nx + i] = 0;
          changed = true;
        }
      }
      if (changed) buildRow(j);
    }
    coveredSoFar += adds;
    const { lat, lng } = grid.centre(cellOf[slot]!);
    picks.push({
      lat: round(lat, 6),
      lng: round(lng, 6),
      adds: round(adds, 3),
      addsCells,
      shareAfter: totalWeight > 0 ? coveredSoFar / totalWeight : 0,
    });
    // Only candidates within two reaches of the pick can have lost gain.
    const j0 = Math.max(0, pj - 2 * D - 1);
    const j1 = Math.min(ny - 1, pj + 2 * D + 1);
    const i0 = Math.max(0, pi - 2 * D - 1);
    const i1 = Math.min(nx - 1, pi + 2 * D + 1);
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const k = candAt[j * nx + i]!;
        if (k >= 0) gain[k] = gainAt(i, j);
      }
    }
  }
  return picks;
}
