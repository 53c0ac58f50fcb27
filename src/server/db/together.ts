// Several writes sent as one statement: data-modifying CTEs, so they reach the database in one
// round trip and, being one statement, take effect all together or not at all, in or out of a
// transaction. The main write's rows are returned; the others may refer to them as `main`.
import { sql, type Compilable, type RawBuilder } from 'kysely';
import type { Db } from './connect.js';

export type Write = Compilable<unknown> | RawBuilder<unknown>;

export interface Together {
  /** The write whose RETURNING rows come back (as `main` to the others). */
  main: Write;
  others: Write[];
  /**
   * When set, the statement fails unless `main` wrote exactly one row (SQLSTATE NX409 with this
   * code as its message; see expectFailed): a guarded update that found nothing undoes the rest.
   */
  expectOne?: string;
}

export async function writeTogether<R>(db: Db, w: Together): Promise<R[]> {
  const ctes = [sql`main as (${w.main})`, ...w.others.map((other, i) => sql`${sql.id(`w${i}`)} as (${other})`)];
  const query = w.expectOne
    ? sql<R>`with ${sql.join(ctes)}
        select main.* from (select nx_expect((select count(*) from main) = 1, ${w.expectOne}) as ok) guard left join main on true`
    : sql<R>`with ${sql.join(ctes)} select * from main`;
  const { rows } = await query.execute(db);
  return rows;
}

/** The code a failed guard carried, or null for any other error. */
export function expectFailed(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: string; message?: string };
  return code === 'NX409' && typeof message === 'string' ? message : null;
}
