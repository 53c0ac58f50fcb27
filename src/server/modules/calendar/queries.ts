import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { CalendarDay, CalendarSource } from './tables.js';

/** `day` as 'YYYY-MM-DD' text: drivers would otherwise turn a date into a local-midnight Date. */
const dayText = sql<string>`to_char(day, 'YYYY-MM-DD')`.as('day');

function selectDays(db: Db) {
  return db.selectFrom('calendar_days').select([dayText, 'is_workday', 'name', 'source', 'updated_at']);
}

export function findAllCalendarDays(db: Db): Promise<Pick<CalendarDay, 'day' | 'is_workday'>[]> {
  return db.selectFrom('calendar_days').select([dayText, 'is_workday']).execute();
}

export function findCalendarDaysBetween(db: Db, first: string, last: string): Promise<CalendarDay[]> {
  return selectDays(db)
    .where(sql<boolean>`day between ${first}::date and ${last}::date`)
    .orderBy('calendar_days.day')
    .execute();
}

export function findCalendarDay(db: Db, day: string): Promise<CalendarDay | undefined> {
  return selectDays(db)
    .where(sql<boolean>`day = ${day}::date`)
    .executeTakeFirst();
}

/** Locks the day's row, if any, for a read-modify-write. */
export function lockCalendarDay(db: Db, day: string): Promise<CalendarDay | undefined> {
  return selectDays(db)
    .where(sql<boolean>`day = ${day}::date`)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * A cheap fingerprint of what the arithmetic uses (days and their rule), so a process can tell
 * whether another process changed the calendar without loading it.
 */
export async function readCalendarFingerprint(db: Db): Promise<string> {
  const row = await db
    .selectFrom('calendar_days')
    .select(
      sql<string | null>`md5(string_agg(to_char(day, 'YYYYMMDD') || case when is_workday then 'w' else 'r' end, ',' order by day))`.as(
        'fp',
      ),
    )
    .executeTakeFirst();
  return row?.fp ?? '';
}

export async function upsertCalendarDay(
  db: Db,
  row: { day: string; isWorkday: boolean; name: string | null; source: CalendarSource },
): Promise<void> {
  await db
    .insertInto('calendar_days')
    .values({ day: row.day, is_workday: row.isWorkday, name: row.name, source: row.source })
    .onConflict((oc) =>
      oc.column('day').doUpdateSet({ is_workday: row.isWorkday, name: row.name, source: row.source, updated_at: sql<Date>`now()` }),
    )
    .execute();
}

export async function deleteCalendarDay(db: Db, day: string): Promise<void> {
  await db
    .deleteFrom('calendar_days')
    .where(sql<boolean>`day = ${day}::date`)
    .execute();
}

/**
 * Loads the package's days without touching a day an administrator set, and rewrites a package
 * row only when the package changed it (so an unchanged start changes nothing).
 */
export async function upsertPackageDays(db: Db, days: readonly { day: string; isWorkday: boolean; name: string }[]): Promise<number> {
  if (days.length === 0) return 0;
  const result = await db
    .insertInto('calendar_days')
    .values(days.map((d) => ({ day: d.day, is_workday: d.isWorkday, name: d.name, source: 'package' as const })))
    .onConflict((oc) =>
      oc
        .column('day')
        .doUpdateSet({
          is_workday: (eb) => eb.ref('excluded.is_workday'),
          name: (eb) => eb.ref('excluded.name'),
          updated_at: sql<Date>`now()`,
        })
        .where('calendar_days.source', '=', 'package')
        .where(sql<boolean>`(calendar_days.is_workday, calendar_days.name) is distinct from (excluded.is_workday, excluded.name)`),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Removes package rows the package no longer lists (an arrangement corrected upstream). */
export async function deleteStalePackageDays(db: Db, keep: readonly string[]): Promise<number> {
  const result = await db
    .deleteFrom('calendar_days')
    .where('source', '=', 'package')
    .where(sql<boolean>`not (day = any(${sql.val(keep)}::date[]))`)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
