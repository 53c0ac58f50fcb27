// The working-day calendar: only the days that break the rule "Monday to Friday work, Saturday
// and Sunday rest" (public holidays, make-up working days 调休), plus days an administrator set.
// Rows from the holiday package are (re)loaded at every start; see modules/calendar/service.ts.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table calendar_days (
      day date primary key,
      is_workday boolean not null,
      name text,
      source text not null check (source in ('package', 'admin')),
      updated_at timestamptz not null default now()
    )`.execute(db);
}
