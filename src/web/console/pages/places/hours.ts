// Opening hours in the console: the week in display order, clock options, the server's rules
// (closing after opening, no overlap on a day) checked as the staff member types, and "open now".
import type { HoursException, WeeklyPeriod } from './types';

/** Monday first, as Chinese calendars show the week; 0 is Sunday as the API counts. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/** 00:00 … 24:00 every quarter hour. */
export const CLOCK_OPTIONS: string[] = Array.from({ length: 97 }, (_, i) => formatClock(i * 15));

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export function parseClock(text: string): number | null {
  const m = /^(\d{1,2}):([0-5]\d)$/.exec(text.trim());
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : null;
}

export type PeriodProblem = 'closes_before_opens' | 'overlap' | 'bad_time';

/** Problems of each period on a day, by index (none: absent). */
export function dayProblems(periods: { opens: string; closes: string }[]): Map<number, PeriodProblem> {
  const problems = new Map<number, PeriodProblem>();
  const parsed = periods.map((p, index) => ({ index, opens: parseClock(p.opens), closes: parseClock(p.closes) }));
  for (const p of parsed) {
    if (p.opens === null || p.closes === null || p.opens >= 1440) problems.set(p.index, 'bad_time');
    else if (p.closes <= p.opens) problems.set(p.index, 'closes_before_opens');
  }
  const valid = parsed
    .filter((p) => !problems.has(p.index))
    .sort((a, b) => (a.opens ?? 0) - (b.opens ?? 0)) as { index: number; opens: number; closes: number }[];
  for (let i = 1; i < valid.length; i++) {
    const prev = valid[i - 1];
    const cur = valid[i];
    if (prev && cur && cur.opens < prev.closes) problems.set(cur.index, 'overlap');
  }
  return problems;
}

/** Monday's periods copied to Tuesday–Friday (their own periods are replaced). */
export function copyMondayToWeekdays(hours: WeeklyPeriod[]): WeeklyPeriod[] {
  const monday = hours.filter((h) => h.weekday === 1);
  const kept = hours.filter((h) => h.weekday === 0 || h.weekday === 1 || h.weekday === 6);
  const copies = [2, 3, 4, 5].flatMap((weekday) => monday.map((h) => ({ weekday, opens: h.opens, closes: h.closes })));
  return [...kept, ...copies];
}

const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** Whether a place is open at an instant, judged in Beijing time as the server judges it. */
export function openAt(
  place: { alwaysOpen: boolean; hours: WeeklyPeriod[]; exceptions: HoursException[] },
  at: Date = new Date(),
): boolean {
  if (place.alwaysOpen) return true;
  const local = new Date(at.getTime() + BEIJING_OFFSET_MS);
  const date = local.toISOString().slice(0, 10);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const exception = place.exceptions.find((e) => e.date === date);
  const periods = exception
    ? exception.opens && exception.closes
      ? [{ opens: exception.opens, closes: exception.closes }]
      : []
    : place.hours.filter((h) => h.weekday === local.getUTCDay());
  return periods.some((p) => {
    const opens = parseClock(p.opens);
    const closes = parseClock(p.closes);
    return opens !== null && closes !== null && minute >= opens && minute < closes;
  });
}
