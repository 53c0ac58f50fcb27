// Opening hours as pure rules: parsing "HH:MM", checking a week for overlaps, Beijing clock time.
import { errors } from '../../errors.js';

/** Beijing time has no daylight saving: a fixed +08:00. */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

export interface Interval {
  opens: number;
  closes: number;
}

export interface WeeklyInterval extends Interval {
  weekday: number;
}

/** The Beijing weekday (0 = Sunday), minute of the day and date of an instant. */
export function beijingClock(at: Date): { weekday: number; minute: number; date: string } {
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  return {
    weekday: local.getUTCDay(),
    minute: local.getUTCHours() * 60 + local.getUTCMinutes(),
    date: local.toISOString().slice(0, 10),
  };
}

/** "08:30" → 510; "24:00" is the end of the day (closing only). */
export function parseClock(text: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) throw errors.hoursInvalid({ value: text });
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  if (minutes > 1440) throw errors.hoursInvalid({ value: text });
  return minutes;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Parses one interval; closing must come after opening (overnight hours are two intervals). */
export function parseInterval(input: { opens: string; closes: string }): Interval {
  const opens = parseClock(input.opens);
  const closes = parseClock(input.closes);
  if (opens >= 1440 || closes <= opens)
    throw errors.hoursInvalid({ opens: input.opens, closes: input.closes, reason: 'closes_before_opens' });
  return { opens, closes };
}

/** Parses a week of intervals and refuses any two on the same day that overlap. */
export function parseWeek(input: { weekday: number; opens: string; closes: string }[]): WeeklyInterval[] {
  const week = input.map((i) => ({ weekday: i.weekday, ...parseInterval(i) }));
  const sorted = [...week].sort((a, b) => a.weekday - b.weekday || a.opens - b.opens);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev && cur && prev.weekday === cur.weekday && cur.opens < prev.closes) {
      throw errors.hoursInvalid({ weekday: cur.weekday, reason: 'overlap' });
    }
  }
  return sorted;
}
