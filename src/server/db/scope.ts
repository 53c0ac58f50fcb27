// Region scoping as one named SQL piece: every list that is limited to a subtree uses this, so
// a scope check cannot be forgotten in one query. A scope is a set of ltree paths (several for
// a zone, which spans regions in other parts of the tree).
import { sql, type Expression, type SqlBool } from 'kysely';

export type Scope = readonly string[];

export function inScope(column: Expression<string> | string, scope: Scope): Expression<SqlBool> {
  const ref = typeof column === 'string' ? sql.ref(column) : column;
  if (scope.length === 0) return sql<SqlBool>`false`;
  const parts = scope.map((path) => sql<SqlBool>`${ref} <@ ${path}::ltree`);
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/** Escapes % _ and \ so user text is matched literally inside ILIKE patterns. */
export function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
