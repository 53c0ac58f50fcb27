// Statements of the hot write path as plain SQL text and values (sql-template-tag), sent as named
// statements. Building and compiling the same statement as a Kysely tree cost the app more CPU
// per step than PostgreSQL spent running it. Column names stay typed by the table (Insertable).
import { type Insertable } from 'kysely';
import sql, { join, raw, Sql } from 'sql-template-tag';
import type { Db } from './connect.js';
import type { Database } from './database.js';
import { executePreparedText } from './prepared.js';

export { sql, join, raw, Sql };

const quoted = (name: string) => `"${name}"`;

/** A row to insert: each column a value, or an expression of the same statement (a subquery). */
export type NewRow<T extends keyof Database & string> = { [K in keyof Insertable<Database[T]>]: Insertable<Database[T]>[K] | Sql };

/** `insert into "table" ("a", "b") values ($1, $2)`; columns left undefined take their default. */
export function insertRow<T extends keyof Database & string>(table: T, row: NewRow<T>): Sql {
  return insertRows(table, [row]);
}

/** Several rows of the same columns (those the first row defines) in one insert. */
export function insertRows<T extends keyof Database & string>(table: T, rows: readonly NewRow<T>[]): Sql {
  const first = rows[0];
  if (!first) throw new TypeError(`insert into ${table}: no rows`);
  const columns = Object.keys(first).filter((key) => (first as Record<string, unknown>)[key] !== undefined);
  const tuples = rows.map((row) => sql`(${join(columns.map((key) => (row as Record<string, unknown>)[key] ?? null))})`);
  return sql`insert into ${raw(quoted(table))} (${raw(columns.map(quoted).join(', '))}) values ${join(tuples)}`;
}

/** `"a" = $1, "b" = $2` for an update's set list. */
export function setList(changes: Record<string, unknown>): Sql {
  return join(Object.entries(changes).map(([key, value]) => sql`${raw(quoted(key))} = ${value}`));
}

/** Runs a statement under its own name (parsed once per connection; see prepared.ts). */
export function runStatement<R>(db: Db, statement: Sql, label: string): Promise<R[]> {
  return executePreparedText<R>(db, statement.text, statement.values, label);
}
