// Named statements for the hot queries whose planning costs about as much as their run (the
// nearest-places query: ~0.5 ms planning, ~0.9 ms execution; a step's one statement). A named
// statement is parsed once per connection and, after five runs, may keep a generic plan; on PGlite
// it is PREPAREd once and EXECUTEd (db/pglite-dialect.ts). Opt-in per query, because a generic
// plan can be wrong for skewed filters (a district's subtree against a street's).
import { RawNode, type Compilable } from 'kysely';
import type { Db } from './connect.js';

/** SQL text → statement name. The texts differ only in the shape of a filter, so few exist. */
const names = new Map<string, string>();
const MOST = 200;
/** Marked statements start with this comment, so other queries skip the look-up. */
const MARK = '/* prepared */ ';

/** The name to run this SQL text under, if it was marked as prepared. */
export function statementNameOf(text: string): string | undefined {
  // Every query passes here: a look-up hashes the whole text, so only texts of the right shape do.
  return text.startsWith(MARK) ? names.get(text) : undefined;
}

/** Runs a query as a named statement. */
export async function executePrepared<R>(db: Db, query: Compilable<R>, label: string): Promise<R[]> {
  const compiled = query.compile();
  return (await db.executeQuery<R>({ ...compiled, sql: marked(compiled.sql, label) })).rows;
}

/** The same for SQL text with $n placeholders (db/statement.ts). */
export async function executePreparedText<R>(db: Db, text: string, values: readonly unknown[], label: string): Promise<R[]> {
  const sql = marked(text, label);
  return (await db.executeQuery<R>({ sql, parameters: values, query: RAW, queryId: { queryId: label } })).rows;
}

/** A stand-in for the operation tree Kysely asks of a compiled query; nothing reads it for raw text. */
const RAW = RawNode.createWithSql('');

function marked(sql: string, label: string): string {
  const text = MARK + sql;
  if (!names.has(text) && names.size < MOST) names.set(text, `nx_${label}_${names.size}`);
  return text;
}
