// Report intake: from the worker app (photos uploaded first through the files module, a
// category, a short text or none, the phone's location or a QR poster's place) and from Open311.
// Each report is a matter of kind 'report' plus a row of its own columns, written in one
// transaction. An Idempotency-Key makes a double submit (the offline queue sending twice, a double
// tap) return the first report: the unique index decides, so two at once cannot both win.
import { randomUUID } from 'node:crypto';
import type { AppContext, Origin } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { errors } from '../../errors.js';
import { loadFiles } from '../files/service.js';
import { requireActor, type Actor } from '../identity/access.js';
import { SYSTEM } from '../matters/access.js';
import { registerMatter } from '../matters/engine.js';
import { regionPlacement } from '../matters/placement.js';
import { findMatterById } from '../matters/queries.js';
import type { Matter } from '../matters/tables.js';
import { toWgs84 } from '../places/service.js';
import type { Datum } from '../places/tables.js';
import { regionAt } from '../regions/locate.js';
import { reportErrors } from './errors.js';
import * as q from './queries.js';
import type { ReportCategory } from './tables.js';

export const MAX_PHOTOS = 9;
export const TEXT_MAX = 500;
const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;
/** A phone's clock may run a little ahead. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface LocationInput {
  lat: number;
  lng: number;
  datum?: Datum;
  accuracyM?: number | null;
}

export interface ReportInput {
  category: string;
  text?: string;
  photos?: string[];
  location?: LocationInput;
  placeId?: string;
  occurredAt?: string;
}

export interface Intake {
  matter: Matter;
  /** The photos' file ids, in the order sent. */
  photos: string[];
  /** false when the Idempotency-Key named a report already made. */
  created: boolean;
}

/**
 * Categories change seldom and every report reads one: kept per process for half a minute
 * (a change made in another process shows within that time; in this one at once).
 */
const CATEGORY_CACHE_MS = 30_000;
const categoryCache = new WeakMap<object, { at: number; byCode: Map<string, ReportCategory> }>();

export function forgetCategories(ctx: Pick<AppContext, 'db'>): void {
  categoryCache.delete(ctx.db);
}

async function activeCategory(ctx: AppContext, code: string): Promise<ReportCategory> {
  let cached = categoryCache.get(ctx.db);
  if (!cached || Date.now() - cached.at > CATEGORY_CACHE_MS) {
    cached = { at: Date.now(), byCode: new Map((await q.findCategories(ctx.db, false)).map((c) => [c.code, c])) };
    categoryCache.set(ctx.db, cached);
  }
  const category = cached.byCode.get(code);
  if (!category?.active) throw reportErrors.categoryUnknown({ category: code });
  return category;
}

/** The point in WGS-84 and the region it lies in; outside the service area (another city) is a 400. */
export async function locate(
  ctx: AppContext,
  location: LocationInput,
): Promise<{ lat: number; lng: number; datum: Datum; regionCode: string }> {
  const datum = location.datum ?? 'wgs84';
  const at = toWgs84(location.lat, location.lng, datum);
  const area = ctx.config.serviceArea;
  const inside = at.lat >= area.south && at.lat <= area.north && at.lng >= area.west && at.lng <= area.east;
  const regionCode = inside ? await regionAt(ctx, at) : null;
  if (!regionCode) throw errors.outsideServiceArea({ lat: location.lat, lng: location.lng, datum });
  return { ...at, datum, regionCode };
}

function titleOf(category: ReportCategory, text: string): string {
  const first = text.replace(/\s+/g, ' ').slice(0, 40);
  return first ? `${category.label_zh}：${first}` : category.label_zh;
}

function occurredAt(given: string | undefined, now: Date): Date {
  if (!given) return now;
  const at = new Date(given);
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + CLOCK_SKEW_MS)
    throw reportErrors.occurredAtInvalid({ occurredAt: given });
  return at;
}

async function existingByKey(ctx: AppContext, userId: string, key: string): Promise<Intake | null> {
  const report = await q.findReportByKey(ctx.db, userId, key);
  const matter = report && (await findMatterById(ctx.db, report.matter_id));
  return matter ? { matter, created: false, photos: report.photos } : null;
}

/** A worker's report from the app. Zero photos is accepted (the app itself asks for one). */
export async function submitReport(
  ctx: AppContext,
  actor: Actor | null,
  input: ReportInput,
  idempotencyKey: string | null,
  origin: Origin | null,
  /** Demo data dates its reports in the past and flags them. */
  options: { at?: Date; isDemo?: boolean } = {},
): Promise<Intake> {
  const me = requireActor(actor);
  if (!me.grants.some((g) => g.role === 'worker' || g.role === 'grid_member')) throw errors.forbidden();
  if (idempotencyKey !== null && !KEY_PATTERN.test(idempotencyKey)) throw reportErrors.idempotencyKeyInvalid();
  if (idempotencyKey) {
    const existing = await existingByKey(ctx, me.userId, idempotencyKey);
    if (existing) return existing;
  }
  const category = await activeCategory(ctx, input.category);
  const text = (input.text ?? '').trim();
  if (text.length > TEXT_MAX) throw errors.invalidRequest({ issues: [{ field: 'body.text', problem: `at most ${TEXT_MAX} characters` }] });

  const photos = [...new Set(input.photos ?? [])];
  if (photos.length > MAX_PHOTOS) throw reportErrors.photosInvalid({ max: MAX_PHOTOS, given: photos.length });
  if (photos.length > 0) {
    // Judged by what the files module found in their bytes, not by their names.
    const rows = new Map((await loadFiles(ctx.db, photos)).map((f) => [f.id, f]));
    const notImages = photos.filter((id) => rows.get(id) && rows.get(id)?.kind !== 'image');
    if (notImages.length > 0) throw reportErrors.photosInvalid({ notImages });
  }

  // A QR poster's place gives the region (and the location when the phone gave none).
  const place = input.placeId ? await q.findActivePlace(ctx.db, input.placeId) : null;
  if (input.placeId && !place) throw reportErrors.placeNotFound({ id: input.placeId });
  if (!input.location && !place) throw reportErrors.locationRequired();
  const where = input.location ? await locate(ctx, input.location) : null;
  const lat = where?.lat ?? (place?.lat as number);
  const lng = where?.lng ?? (place?.lng as number);
  const regionCode = place?.region_code ?? (where?.regionCode as string);

  const now = options.at ?? new Date();
  const happened = occurredAt(input.occurredAt, now);
  const payload: Record<string, unknown> = { lat, lng, occurredAt: happened.toISOString(), source: 'app' };
  if (place) Object.assign(payload, { placeId: place.id, placeName: place.name });

  const region = await regionPlacement(ctx, regionCode);
  try {
    // The matter, its event and the report's own row in one statement (a transaction only with photos).
    const { matter } = await registerMatter(
      ctx,
      me,
      { kind: 'report', regionCode, category: category.code, title: titleOf(category, text), body: text, payload, files: photos },
      origin,
      {
        intake: { raisedBy: me.userId, channel: 'app', region },
        at: now,
        isDemo: options.isDemo,
        also: (matterId) => [
          q.insertReportQuery({
            matter_id: matterId,
            raised_by: me.userId,
            category: category.code,
            lat,
            lng,
            source_datum: where?.datum ?? 'wgs84',
            place_id: place?.id ?? null,
            occurred_at: happened,
            photos: JSON.stringify(photos),
            source: 'app',
            idempotency_key: idempotencyKey,
            open311_key_id: null,
            open311_token: null,
            submitter_cipher: null,
            level: null,
            points: null,
            created_at: now,
          }),
        ],
      },
    );
    return { matter, created: true, photos };
  } catch (error) {
    // The same key sent twice at once: the other request won; answer with its report.
    if (idempotencyKey) {
      const existing = await existingByKey(ctx, me.userId, idempotencyKey);
      if (existing) return existing;
    }
    throw error;
  }
}

export interface Open311Input {
  category: string;
  description: string;
  location: LocationInput;
  mediaUrl: string | null;
  submitter: { email?: string; phone?: string; firstName?: string; lastName?: string } | null;
  key: { id: string | null; name: string };
}

/** A request from an Open311 client: a report with no raiser in our system, the key's name on it. */
export async function submitOpen311(ctx: AppContext, input: Open311Input): Promise<{ matter: Matter; token: string }> {
  const category = await activeCategory(ctx, input.category);
  const where = await locate(ctx, input.location);
  const text = input.description.trim();
  const now = new Date();
  const token = randomUUID();
  const payload: Record<string, unknown> = {
    lat: where.lat,
    lng: where.lng,
    occurredAt: now.toISOString(),
    source: 'open311',
    via: input.key.name.slice(0, 100),
  };
  if (input.mediaUrl) payload.mediaUrl = input.mediaUrl;
  const submitter = input.submitter && Object.values(input.submitter).some(Boolean) ? input.submitter : null;
  return inTransaction(ctx.db, async (trx) => {
    const { matter } = await registerMatter(
      { ...ctx, db: trx },
      SYSTEM,
      { kind: 'report', regionCode: where.regionCode, category: category.code, title: titleOf(category, text), body: text, payload },
      null,
      { intake: { raisedBy: null, channel: 'open311' }, at: now },
    );
    await q.insertReport(trx, {
      matter_id: matter.id,
      raised_by: null,
      category: category.code,
      lat: where.lat,
      lng: where.lng,
      source_datum: where.datum,
      place_id: null,
      occurred_at: now,
      photos: '[]',
      source: 'open311',
      idempotency_key: null,
      open311_key_id: input.key.id,
      open311_token: token,
      // Personal data of the person who wrote in: encrypted, like phone numbers elsewhere.
      submitter_cipher: submitter ? ctx.crypto.encrypt(JSON.stringify(submitter)) : null,
      level: null,
      points: null,
      created_at: now,
    });
    return { matter, token };
  });
}
