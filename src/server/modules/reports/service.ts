// Reading reports: likely duplicates (for the worker while writing and the reviewer while
// reviewing), the worker's own reports with their state and points, and the public map.
import type { AppContext } from '../../context.js';
import { hitRateLimits } from '../limits/service.js';
import { requireActor, type Actor } from '../identity/access.js';
import { canSeeMatter } from '../matters/access.js';
import { requireVisibleMatter } from '../matters/service.js';
import { errors } from '../../errors.js';
import { boxFromText, convert } from '../places/datum.js';
import { toWgs84 } from '../places/service.js';
import type { Datum } from '../places/tables.js';
import { reportErrors } from './errors.js';
import * as q from './queries.js';

/** Nearby: within this distance; recent: within this many days (tuned on Quanzhou's streets). */
export const DUPLICATE_RADIUS_M = 300;
export const DUPLICATE_DAYS = 30;
/** Below this score a report is not shown as a likely duplicate. */
export const DUPLICATE_MIN_SCORE = 0.4;
const DAY_MS = 86_400_000;

export interface DuplicateQuery {
  lat?: number;
  lng?: number;
  datum?: Datum;
  category?: string;
  text?: string;
  /** A report under review: its own place, category and text, and itself left out. */
  matterId?: string;
}

export interface Duplicate {
  /** Only for reports the caller may open; a worker sees that one exists, not whose it is. */
  id: string | null;
  number: number;
  category: string;
  status: string;
  title: string | null;
  distanceM: number;
  createdAt: Date;
  similarity: number;
  score: number;
}

/**
 * Likely duplicates, scored from how near (distance), how recent (time) and how alike (pg_trgm
 * similarity of the text, which works on Chinese characters) they are, with a bonus for the same
 * category: score = 0.35·near + 0.2·recent + 0.3·alike + 0.15·same category, each in [0, 1].
 */
export async function findDuplicates(ctx: AppContext, actor: Actor | null, query: DuplicateQuery, now = new Date()): Promise<Duplicate[]> {
  const me = requireActor(actor);
  let point: { lat: number; lng: number };
  let category = query.category ?? null;
  let text = (query.text ?? '').trim().slice(0, 500);
  let excludeId: string | null = null;
  if (query.matterId) {
    const { matter } = await requireVisibleMatter(ctx.db, me, query.matterId);
    const report = await q.findReport(ctx.db, matter.id);
    if (!report) throw reportErrors.reportNotFound({ id: query.matterId });
    point = { lat: report.lat, lng: report.lng };
    category = matter.category;
    text = matter.body;
    excludeId = matter.id;
  } else {
    if (query.lat === undefined || query.lng === undefined) throw reportErrors.locationRequired();
    point = toWgs84(query.lat, query.lng, query.datum ?? 'wgs84');
  }
  const rows = await q.findNearbyReports(ctx.db, {
    ...point,
    radiusM: DUPLICATE_RADIUS_M,
    since: new Date(now.getTime() - DUPLICATE_DAYS * DAY_MS),
    text,
    excludeId,
    limit: 200,
  });
  return rows
    .map((r) => {
      const near = Math.max(0, 1 - r.distance_m / DUPLICATE_RADIUS_M);
      const recent = Math.max(0, 1 - (now.getTime() - r.created_at.getTime()) / (DUPLICATE_DAYS * DAY_MS));
      const alike = Number(r.similarity) || 0;
      const same = category && r.category === category ? 1 : 0;
      const score = 0.35 * near + 0.2 * recent + 0.3 * alike + 0.15 * same;
      const visible = canSeeMatter(me, r);
      return {
        id: visible ? r.id : null,
        number: Number(r.number),
        category: r.category,
        status: r.status,
        title: visible ? r.title : null,
        distanceM: Math.round(r.distance_m / 10) * 10,
        createdAt: r.created_at,
        similarity: Math.round(alike * 100) / 100,
        score: Math.round(score * 100) / 100,
      };
    })
    .filter((d) => d.score >= DUPLICATE_MIN_SCORE)
    .sort((a, b) => b.score - a.score)
    .slice(0, 10);
}

export async function listMyReports(ctx: AppContext, actor: Actor | null, f: { before?: string; limit: number }) {
  const me = requireActor(actor);
  const rows = await q.findMyReports(ctx.db, me.userId, { before: f.before ? new Date(f.before) : null, limit: f.limit });
  const ids = rows.map((r) => r.id);
  const reasons = await q.findLastNotes(ctx.db, ids, ['reject']);
  const results = await q.findCloseReplies(ctx.db, ids);
  return rows.map((r) => ({ ...r, reject_reason: reasons.get(r.id) ?? null, result: results.get(r.id) ?? null }));
}

/** Public reports: last 90 days, no reporter, no text, no photos, the point rounded to ~100 m. */
export const PUBLIC_DAYS = 90;
export const PUBLIC_PER_MINUTE = 60;
/** The public map answers for a city's worth of view at most. */
const PUBLIC_MAX_DEGREES = 2;

export async function listPublicReports(
  ctx: AppContext,
  ip: string,
  f: { box: string; datum: Datum; limit: number },
  now = new Date(),
) {
  await hitRateLimits(ctx.db, [{ key: `public-reports:ip:${ip}`, max: PUBLIC_PER_MINUTE, windowSeconds: 60 }], now);
  const box = boxFromText(f.box, f.datum, PUBLIC_MAX_DEGREES);
  if (!box) {
    throw errors.invalidRequest({
      issues: [{ field: 'query.bbox', problem: `south,west,north,east with south < north, west < east, at most ${PUBLIC_MAX_DEGREES}° wide` }],
    });
  }
  const rows = await q.findPublicReports(ctx.db, {
    box: [box.south, box.west, box.north, box.east],
    since: new Date(now.getTime() - PUBLIC_DAYS * DAY_MS),
    limit: f.limit,
  });
  return rows.map((r) => {
    // Rounded in WGS-84 first, so the same report always lands on the same coarse point.
    const coarse = convert({ lat: Math.round(r.lat * 1000) / 1000, lng: Math.round(r.lng * 1000) / 1000 }, 'wgs84', f.datum);
    return {
      category: r.category,
      status: r.status === 'closed' ? 'closed' : r.status === 'submitted' ? 'submitted' : 'in_progress',
      lat: Math.round(coarse.lat * 10000) / 10000,
      lng: Math.round(coarse.lng * 10000) / 10000,
      reportedOn: r.created_at.toISOString().slice(0, 10),
      closedOn: r.closed_at ? r.closed_at.toISOString().slice(0, 10) : null,
    };
  });
}
