// The working-day calendar: loading it for the deadline arithmetic (cached per app context and
// re-checked against the database every few seconds, so several app processes agree), reading a
// year, and administrators' changes.
import type { AppContext, Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { inTransaction } from '../../db/transaction.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { requireActor, type Actor } from '../identity/access.js';
import type { Role } from '../identity/tables.js';
import { PACKAGE_DAYS, PACKAGE_YEARS, packageDay } from './holidays.js';
import * as q from './queries.js';
import type { CalendarDay } from './tables.js';
import { countYear, isCalendarDate, isWeekend, makeWorkCalendar, type WorkCalendar } from './work-time.js';

/** How long a process trusts its loaded calendar before it compares fingerprints again. */
export const CALENDAR_RECHECK_MS = 10_000;

interface Cached {
  calendar: WorkCalendar;
  fingerprint: string;
  checkedAt: number;
}

// Keyed by the app context: one calendar per running app, dropped with it. The generation
// stops a load that began before a change from caching what it read.
const cache = new WeakMap<object, Cached>();
const loading = new WeakMap<object, Promise<Cached>>();
const generations = new WeakMap<object, number>();

async function load(db: Db, now: number): Promise<Cached> {
  const fingerprint = await q.readCalendarFingerprint(db);
  const rows = await q.findAllCalendarDays(db);
  return { calendar: makeWorkCalendar(rows.map((r) => [r.day, r.is_workday] as const)), fingerprint, checkedAt: now };
}

/**
 * The calendar for deadline arithmetic. Loaded once per app context; after CALENDAR_RECHECK_MS
 * the next call compares a fingerprint of the table (one small query) and reloads only when
 * another process changed it. Changes made through this process apply at once.
 */
export async function getWorkCalendar(ctx: Pick<AppContext, 'db'>, now = Date.now()): Promise<WorkCalendar> {
  const cached = cache.get(ctx);
  if (cached && now - cached.checkedAt < CALENDAR_RECHECK_MS) return cached.calendar;
  const pending = loading.get(ctx);
  if (pending) return (await pending).calendar;
  const generation = generations.get(ctx) ?? 0;
  const refresh = (async () => {
    if (cached && (await q.readCalendarFingerprint(ctx.db)) === cached.fingerprint) return { ...cached, checkedAt: now };
    return load(ctx.db, now);
  })();
  loading.set(ctx, refresh);
  try {
    const fresh = await refresh;
    if ((generations.get(ctx) ?? 0) === generation) cache.set(ctx, fresh);
    return fresh.calendar;
  } finally {
    if (loading.get(ctx) === refresh) loading.delete(ctx);
  }
}

/** Forgets the loaded calendar of this app context (after a change). */
export function invalidateWorkCalendar(ctx: Pick<AppContext, 'db'>): void {
  cache.delete(ctx);
  loading.delete(ctx);
  generations.set(ctx, (generations.get(ctx) ?? 0) + 1);
}

/**
 * Loads the holiday package's days; idempotent, run at every start. Days an administrator set
 * are never overwritten, and package rows the package no longer lists are removed.
 */
export async function seedCalendarFromPackage(db: Db): Promise<{ written: number; removed: number }> {
  return inTransaction(db, async (trx) => {
    const written = await q.upsertPackageDays(trx, PACKAGE_DAYS);
    const removed = await q.deleteStalePackageDays(
      trx,
      PACKAGE_DAYS.map((d) => d.day),
    );
    return { written, removed };
  });
}

/** Administrators over the whole installation: the calendar applies everywhere. */
const EDITOR_ROLES: readonly Role[] = ['admin', 'system_admin'];

function requireCalendarEditor(actor: Actor | null): Actor {
  const me = requireActor(actor);
  const topLevel = me.grants.some((g) => EDITOR_ROLES.includes(g.role) && g.scope.some((path) => !path.includes('.')));
  if (!topLevel) throw errors.forbidden();
  return me;
}

/** The years the calendar can be read and edited for (the same range as GET /api/calendar). */
export const CALENDAR_YEARS = { min: 2000, max: 2100 } as const;

function requireDay(day: string): string {
  const year = Number(day.slice(0, 4));
  if (!isCalendarDate(day) || year < CALENDAR_YEARS.min || year > CALENDAR_YEARS.max) {
    throw errors.invalidRequest({
      issues: [{ field: 'params.day', problem: `must be a calendar date YYYY-MM-DD from ${CALENDAR_YEARS.min} to ${CALENDAR_YEARS.max}` }],
    });
  }
  return day;
}

export interface CalendarYear {
  year: number;
  knownToPackage: boolean;
  days: CalendarDay[];
  workdays: number;
  restDays: number;
}

/** The year's exceptions and counts, for anyone signed in. */
export async function getCalendarYear(ctx: Pick<AppContext, 'db'>, actor: Actor | null, year: number): Promise<CalendarYear> {
  requireActor(actor);
  const days = await q.findCalendarDaysBetween(ctx.db, `${year}-01-01`, `${year}-12-31`);
  const calendar = makeWorkCalendar(days.map((d) => [d.day, d.is_workday] as const));
  return { year, knownToPackage: PACKAGE_YEARS.has(year), days, ...countYear(calendar, year) };
}

/** What a day is now: its row, or the weekday rule when it has none. */
export interface EffectiveDay {
  day: string;
  isWorkday: boolean;
  name: string | null;
  source: CalendarDay['source'] | null;
  updatedAt: Date | null;
}

function effective(day: string, row: CalendarDay | undefined): EffectiveDay {
  if (!row) return { day, isWorkday: !isWeekend(day), name: null, source: null, updatedAt: null };
  return { day, isWorkday: row.is_workday, name: row.name, source: row.source, updatedAt: row.updated_at };
}

const auditView = (d: EffectiveDay) => ({ isWorkday: d.isWorkday, name: d.name, source: d.source });

/** Sets a day as a workday or a rest day; it then stays so whatever the package says. */
export async function setCalendarDay(
  ctx: Pick<AppContext, 'db'>,
  actor: Actor | null,
  day: string,
  input: { isWorkday: boolean; name?: string | null },
  origin: Origin | null,
): Promise<EffectiveDay> {
  const me = requireCalendarEditor(actor);
  requireDay(day);
  const name = input.name?.trim() || null;
  const result = await inTransaction(ctx.db, async (trx) => {
    const before = effective(day, await q.lockCalendarDay(trx, day));
    await q.upsertCalendarDay(trx, { day, isWorkday: input.isWorkday, name, source: 'admin' });
    const after = effective(day, await q.findCalendarDay(trx, day));
    await appendAudit(trx, {
      actor: me,
      action: 'calendar.day.set',
      target: { type: 'calendar_day', id: day },
      before: auditView(before),
      after: auditView(after),
      origin,
    });
    return after;
  });
  invalidateWorkCalendar(ctx);
  return result;
}

/**
 * Removes an administrator's setting of a day: it goes back to the holiday package's
 * arrangement, or to the weekday rule when the package has none. Nothing to remove is no error.
 */
export async function resetCalendarDay(
  ctx: Pick<AppContext, 'db'>,
  actor: Actor | null,
  day: string,
  origin: Origin | null,
): Promise<EffectiveDay> {
  const me = requireCalendarEditor(actor);
  requireDay(day);
  const result = await inTransaction(ctx.db, async (trx) => {
    const row = await q.lockCalendarDay(trx, day);
    if (!row || row.source !== 'admin') return effective(day, row);
    const before = effective(day, row);
    await q.deleteCalendarDay(trx, day);
    const fromPackage = packageDay(day);
    if (fromPackage) await q.upsertCalendarDay(trx, { ...fromPackage, source: 'package' });
    const after = effective(day, await q.findCalendarDay(trx, day));
    await appendAudit(trx, {
      actor: me,
      action: 'calendar.day.reset',
      target: { type: 'calendar_day', id: day },
      before: auditView(before),
      after: auditView(after),
      origin,
    });
    return after;
  });
  invalidateWorkCalendar(ctx);
  return result;
}
