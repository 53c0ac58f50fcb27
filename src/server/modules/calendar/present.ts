import { Type, type Static } from 'typebox';
import type { CalendarYear, EffectiveDay } from './service.js';
import { CALENDAR_SOURCES } from './tables.js';
import { isWeekend, STANDARD_PERIODS } from './work-time.js';

export const CalendarDayOut = Type.Object({
  day: Type.String({ description: 'YYYY-MM-DD' }),
  isWorkday: Type.Boolean(),
  /** Saturday or Sunday: a workday then is a make-up workday (调休上班). */
  weekend: Type.Boolean(),
  name: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.Enum(CALENDAR_SOURCES), Type.Null()], {
    description: "'package': the official arrangement; 'admin': set by an administrator; null: the weekday rule",
  }),
  updatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const WorkingPeriodOut = Type.Object({ start: Type.String(), end: Type.String() });

export const CalendarYearOut = Type.Object({
  year: Type.Integer(),
  knownToPackage: Type.Boolean({ description: 'false: the official arrangement for this year is not loaded; administrators enter it' }),
  workingHours: Type.Array(WorkingPeriodOut),
  summary: Type.Object({
    workdays: Type.Integer(),
    restDays: Type.Integer(),
    holidays: Type.Integer({ description: 'weekdays that are rest days' }),
    makeUpWorkdays: Type.Integer({ description: 'weekend days that are workdays (调休上班)' }),
  }),
  days: Type.Array(CalendarDayOut, { description: 'only the days that differ from Monday–Friday work, or that an administrator set' }),
});

export function presentCalendarDay(d: EffectiveDay): Static<typeof CalendarDayOut> {
  return {
    day: d.day,
    isWorkday: d.isWorkday,
    weekend: isWeekend(d.day),
    name: d.name,
    source: d.source,
    updatedAt: d.updatedAt?.toISOString() ?? null,
  };
}

const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export function presentCalendarYear(y: CalendarYear): Static<typeof CalendarYearOut> {
  const days = y.days.map((row) =>
    presentCalendarDay({ day: row.day, isWorkday: row.is_workday, name: row.name, source: row.source, updatedAt: row.updated_at }),
  );
  return {
    year: y.year,
    knownToPackage: y.knownToPackage,
    workingHours: STANDARD_PERIODS.map((p) => ({ start: clock(p.start), end: clock(p.end) })),
    summary: {
      workdays: y.workdays,
      restDays: y.restDays,
      holidays: days.filter((d) => !d.isWorkday && !d.weekend).length,
      makeUpWorkdays: days.filter((d) => d.isWorkday && d.weekend).length,
    },
    days,
  };
}
