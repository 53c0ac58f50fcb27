import type { ColumnType, Insertable, Selectable } from 'kysely';

export const CALENDAR_SOURCES = ['package', 'admin'] as const;
export type CalendarSource = (typeof CALENDAR_SOURCES)[number];

export interface CalendarDayTable {
  /** A `date`; always read back as text ('YYYY-MM-DD', see queries.ts) so no time zone touches it. */
  day: ColumnType<string, string, never>;
  is_workday: boolean;
  name: string | null;
  /** 'package': loaded from the holiday package; 'admin': set by an administrator, never overwritten. */
  source: CalendarSource;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type CalendarDay = Selectable<CalendarDayTable>;
export type NewCalendarDay = Insertable<CalendarDayTable>;
