// Several writes sent as one statement: data-modifying CTEs, so they reach the database in one
// round trip and, being one statement, take effect all together or not at all, in or out of a
// transaction. The main write's rows are returned; the others may refer to them as `main`.
// Sent as a named statement (db/prepared.ts): such a statement takes longer to parse and plan than to
// run, and one code path always sends the same text.
import type { Db } from './connect.js';
import { join, raw, runStatement, sql, type Sql } from './statement.js';

export type Write = Sql;

export interface Together {
  /** The write whose RETURNING rows come back (as `main` to the others). */
  main: Write;
  others: Write[];
  /**
   * When set, the statement fails unless `main` wrote exactly one row (SQLSTATE NX409 with this
   * code as its message; see expectFailed): a guarded update that found nothing undoes the rest.
   */
  expectOne?: string;
  /**
   * A read answered by the same statement, as column `nx_read` of each row: it sees the database as
   * it was before these writes (a statement does not see its own changes).
   */
  read?: Sql;
}

export async function writeTogether<R>(db: Db, w: Together): Promise<R[]> {
  const ctes = join([sql`main as (${w.main})`, ...w.others.map((other, i) => sql`${raw(`w${i}`)} as (${other})`)], ', ');
  const read = w.read ? sql`, (${w.read}) as nx_read` : raw('');
  const query = w.expectOne
    ? sql`with ${ctes}
        select main.*${read} from (select nx_expect((select count(*) from main) = 1, ${w.expectOne}) as ok) guard left join main on true`
    : sql`with ${ctes} select main.*${read} from main`;
  return runStatement<R>(db, query, 'together');
}

/** The code a failed guard carried, or null for any other error. */
export function expectFailed(error: unknown): string | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: string; message?: string };
  return code === 'NX409' && typeof message === 'string' ? message : null;
}
