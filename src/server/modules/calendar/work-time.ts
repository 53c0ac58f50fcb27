// Working-time arithmetic for deadlines: pure functions over a loaded WorkCalendar, no database.
// Times are China Standard Time, a fixed UTC+08:00 (China has no daylight saving), computed with
// plain offset arithmetic so the machine's TZ never matters. Loops step a day at a time, never a
// minute at a time.

/** A working period of a workday, in minutes after local midnight. */
export interface WorkPeriod {
  start: number;
  end: number;
}

export interface WorkCalendar {
  /** Days ('YYYY-MM-DD') whose rule is set explicitly: true = workday, false = rest day. */
  readonly days: ReadonlyMap<string, boolean>;
  /** The working periods of every workday, in order and not overlapping. */
  readonly periods: readonly WorkPeriod[];
}

/** 09:00–12:00 and 13:30–17:30. */
export const STANDARD_PERIODS: readonly WorkPeriod[] = [
  { start: 9 * 60, end: 12 * 60 },
  { start: 13 * 60 + 30, end: 17 * 60 + 30 },
];

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
const MINUTE_MS = 60_000;
/** A calendar with no working day for ten years in a row is broken: stop instead of looping. */
const MAX_IDLE_DAYS = 3660;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function makeWorkCalendar(
  days: Iterable<readonly [string, boolean]>,
  periods: readonly WorkPeriod[] = STANDARD_PERIODS,
): WorkCalendar {
  const sorted = [...periods].sort((a, b) => a.start - b.start);
  sorted.forEach((p, i) => {
    const previous = sorted[i - 1];
    if (!(p.start >= 0 && p.end <= 24 * 60 && p.start < p.end) || (previous && previous.end > p.start)) {
      throw new RangeError('working periods must lie within a day, in order and not overlap');
    }
  });
  if (sorted.length === 0) throw new RangeError('a workday needs at least one working period');
  return { days: new Map(days), periods: sorted };
}

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isCalendarDate(day: string): boolean {
  const m = DAY_PATTERN.exec(day);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === day && Number(m[1]) >= 1;
}

/** Local (UTC+8) day number since 1970-01-01. */
function dayIndexOf(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS);
}

function dayKey(index: number): string {
  return new Date(index * DAY_MS).toISOString().slice(0, 10);
}

/** The UTC instant of local midnight starting that day. */
function dayStartMs(index: number): number {
  return index * DAY_MS - OFFSET_MS;
}

/** Sunday 0 … Saturday 6; day 0 (1970-01-01) was a Thursday. */
function weekdayOf(index: number): number {
  return (((index + 4) % 7) + 7) % 7;
}

function isWorkdayIndex(cal: WorkCalendar, index: number): boolean {
  const set = cal.days.get(dayKey(index));
  if (set !== undefined) return set;
  const weekday = weekdayOf(index);
  return weekday !== 0 && weekday !== 6;
}

/** The local (UTC+8) date of an instant, 'YYYY-MM-DD'. */
export function localDay(at: Date): string {
  return dayKey(dayIndexOf(at.getTime()));
}

/** Saturday or Sunday. */
export function isWeekend(day: string): boolean {
  const weekday = weekdayOf(Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS));
  return weekday === 0 || weekday === 6;
}

/** Whether a day ('YYYY-MM-DD') is a workday: its explicit setting, else Monday to Friday. */
export function isWorkday(cal: WorkCalendar, day: string): boolean {
  if (!isCalendarDate(day)) throw new RangeError(`not a calendar date: ${day}`);
  const set = cal.days.get(day);
  return set ?? !isWeekend(day);
}

/** Working minutes in one workday (420 with the standard hours). */
export function workingMinutesPerDay(cal: WorkCalendar): number {
  return cal.periods.reduce((sum, p) => sum + p.end - p.start, 0);
}

function checkInstant(at: Date, name: string): number {
  const ms = at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid time`);
  return ms;
}

/**
 * The instant `minutes` working minutes after `from`. A `from` outside working time first rolls
 * forward to the next working period; a result at the end of a period stays there (12:00, not
 * 13:30), so "3 working hours from 09:00" is 12:00 the same day. 0 minutes gives the moment the
 * clock starts.
 */
export function addWorkingMinutes(cal: WorkCalendar, from: Date, minutes: number): Date {
  const fromMs = checkInstant(from, 'from');
  if (!Number.isFinite(minutes) || minutes < 0) throw new RangeError('minutes must be a number ≥ 0');
  let remaining = Math.round(minutes * MINUTE_MS);
  let index = dayIndexOf(fromMs);
  let offset = fromMs - dayStartMs(index);
  for (let idle = 0; idle < MAX_IDLE_DAYS; index += 1, offset = 0) {
    if (!isWorkdayIndex(cal, index)) {
      idle += 1;
      continue;
    }
    idle = 0;
    for (const p of cal.periods) {
      const end = p.end * MINUTE_MS;
      if (offset >= end) continue;
      const begin = Math.max(offset, p.start * MINUTE_MS);
      if (remaining <= end - begin) return new Date(dayStartMs(index) + begin + remaining);
      remaining -= end - begin;
      offset = end;
    }
  }
  throw new RangeError(`the calendar has no working day for ${MAX_IDLE_DAYS} days in a row`);
}

/**
 * Working minutes from `from` to `to` (fractional when the times are not on whole minutes);
 * negative when `to` is before `from`, e.g. how far past its deadline a matter is.
 * workingMinutesBetween(cal, t, addWorkingMinutes(cal, t, m)) === m.
 */
export function workingMinutesBetween(cal: WorkCalendar, from: Date, to: Date): number {
  const a = checkInstant(from, 'from');
  const b = checkInstant(to, 'to');
  if (b < a) return -workingMinutesBetween(cal, to, from);
  const first = dayIndexOf(a);
  const last = dayIndexOf(b);
  let total = 0;
  for (let index = first; index <= last; index += 1) {
    if (!isWorkdayIndex(cal, index)) continue;
    const start = dayStartMs(index);
    const lo = index === first ? a - start : 0;
    const hi = index === last ? b - start : DAY_MS;
    for (const p of cal.periods) {
      total += Math.max(0, Math.min(hi, p.end * MINUTE_MS) - Math.max(lo, p.start * MINUTE_MS));
    }
  }
  return total / MINUTE_MS;
}

/**
 * A deadline of `days` working days: the end of working hours (17:30) on the Nth working day.
 * Day 1 is the first working day whose working hours have not begun at `from` — the day a
 * matter arrives counts only when it arrives before work starts (the usual rule that the first
 * day of a period is not counted). 0 days gives the moment the clock starts.
 */
export function addWorkingDays(cal: WorkCalendar, from: Date, days: number): Date {
  const fromMs = checkInstant(from, 'from');
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number ≥ 0');
  if (days === 0) return addWorkingMinutes(cal, from, 0);
  const firstPeriod = cal.periods[0];
  const lastPeriod = cal.periods.at(-1);
  if (!firstPeriod || !lastPeriod) throw new RangeError('a workday needs at least one working period');
  let index = dayIndexOf(fromMs);
  if (fromMs - dayStartMs(index) > firstPeriod.start * MINUTE_MS) index += 1;
  let counted = 0;
  for (let idle = 0; idle < MAX_IDLE_DAYS; index += 1) {
    if (!isWorkdayIndex(cal, index)) {
      idle += 1;
      continue;
    }
    idle = 0;
    counted += 1;
    if (counted === days) return new Date(dayStartMs(index) + lastPeriod.end * MINUTE_MS);
  }
  throw new RangeError(`the calendar has no working day for ${MAX_IDLE_DAYS} days in a row`);
}

/** How many workdays and rest days a year has under this calendar. */
export function countYear(cal: WorkCalendar, year: number): { workdays: number; restDays: number } {
  const first = Math.round(Date.UTC(year, 0, 1) / DAY_MS);
  const next = Math.round(Date.UTC(year + 1, 0, 1) / DAY_MS);
  let workdays = 0;
  for (let index = first; index < next; index += 1) if (isWorkdayIndex(cal, index)) workdays += 1;
  return { workdays, restDays: next - first - workdays };
}
