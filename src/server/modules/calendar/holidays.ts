// The official holiday arrangements (国务院办公厅 notices) as published in the chinese-days
// package, reduced to the exceptions our calendar stores: weekday holidays and weekend make-up
// workdays (调休上班). A holiday that falls on a weekend changes nothing and is left out.
import data from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import { isCalendarDate, isWeekend } from './work-time.js';

export interface PackageDay {
  day: string;
  isWorkday: boolean;
  /** The Chinese name of the holiday, e.g. 国庆节. */
  name: string;
}

/** "National Day,国庆节,3" → 国庆节. */
function chineseName(value: unknown): string {
  const parts = typeof value === 'string' ? value.split(',') : [];
  return (parts[1] ?? parts[0] ?? '').trim().slice(0, 50) || '节假日';
}

function entries(table: unknown): [string, unknown][] {
  if (table === null || typeof table !== 'object') throw new Error('chinese-days: unexpected data shape');
  return Object.entries(table).filter(([day]) => isCalendarDate(day));
}

function load(): { days: PackageDay[]; years: Set<number> } {
  const years = new Set<number>();
  const days: PackageDay[] = [];
  for (const [day, value] of entries(data.holidays)) {
    years.add(Number(day.slice(0, 4)));
    if (!isWeekend(day)) days.push({ day, isWorkday: false, name: chineseName(value) });
  }
  for (const [day, value] of entries(data.workdays)) {
    years.add(Number(day.slice(0, 4)));
    if (isWeekend(day)) days.push({ day, isWorkday: true, name: chineseName(value) });
  }
  days.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return { days, years };
}

const loaded = load();

/** Every exception the package knows, by day. */
export const PACKAGE_DAYS: readonly PackageDay[] = loaded.days;

/** The years the package has an arrangement for; other years need an administrator. */
export const PACKAGE_YEARS: ReadonlySet<number> = loaded.years;

const byDay = new Map(loaded.days.map((d) => [d.day, d]));

export function packageDay(day: string): PackageDay | undefined {
  return byDay.get(day);
}
