// Opens the database: embedded PGlite (data in a folder, or in memory for tests) or PostgreSQL.
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { PGliteDialect } from './pglite-dialect.js';
import { statementNameOf } from './prepared.js';

export type Db = Kysely<Database>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface OpenDatabase {
  db: Db;
  kind: DatabaseKind;
}

// Both drivers return the same JavaScript types: counts and sums as numbers, not strings.
const INT8 = 20;
const NUMERIC = 1700;
const toNumber = (value: string) => Number(value);

/**
 * A PGlite instance with our extensions; in memory when dataDir is null, optionally from a dump.
 * Loaded on demand: a process on PostgreSQL does not carry the embedded database (~40 MB).
 */
export async function createPGlite(dataDir: string | null, loadDataDir?: Blob): Promise<PGlite> {
  const [{ PGlite }, { btree_gist }, { cube }, { earthdistance }, { ltree }, { pg_trgm }, { pgcrypto }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('@electric-sql/pglite/contrib/cube'),
    import('@electric-sql/pglite/contrib/earthdistance'),
    import('@electric-sql/pglite/contrib/ltree'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
    import('@electric-sql/pglite/contrib/pgcrypto'),
  ]);
  return PGlite.create(dataDir ?? 'memory://', {
    extensions: { btree_gist, cube, earthdistance, ltree, pg_trgm, pgcrypto },
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber },
    ...(loadDataDir ? { loadDataDir } : {}),
  });
}

/** What each database was opened on: a server for a connection of its own, or the embedded one (db/listen.ts). */
const serverUrls = new WeakMap<Db, string>();
const embedded = new WeakMap<Db, PGlite>();

export function serverUrlOf(db: Db): string | undefined {
  return serverUrls.get(db);
}

export function embeddedOf(db: Db): PGlite | undefined {
  return embedded.get(db);
}

export function wrapPGlite(pglite: PGlite): OpenDatabase {
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  embedded.set(db, pglite);
  return { db, kind: 'pglite' };
}

export async function openPGlite(dataDir: string | null): Promise<OpenDatabase> {
  return wrapPGlite(await createPGlite(dataDir));
}

export function openPostgres(url: string, poolSize = 10): OpenDatabase {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8 || oid === NUMERIC ? toNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server (restart, fail-over) must not crash the process;
  // the pool replaces it on the next query.
  pool.on('error', (error) => process.emitWarning(`idle PostgreSQL connection closed: ${error.message}`));
  pool.on('connect', runNamedStatements);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  serverUrls.set(db, url);
  return { db, kind: 'postgres' };
}

/** Queries marked with executePrepared go out under their statement name on every connection. */
function runNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length <= 2 ? statementNameOf(text) : undefined;
    return name ? namedQuery(query, name, text as string, values as unknown[] | undefined) : query(...args);
  }) as typeof client.query;
}

/**
 * A query built from its text and named afterwards: pg copies a query given as a config object
 * property by property (about as slow as the rest of sending it), but not one given as text.
 */
function namedQuery(query: (q: pg.Query) => unknown, name: string, text: string, values: unknown[] | undefined): Promise<pg.QueryResult> {
  return new Promise((resolve, reject) => {
    const q = new pg.Query(text, values) as pg.Query & { name: string; callback: (error: Error | null, result: pg.QueryResult) => void };
    q.name = name;
    q.callback = (error, result) => (error ? reject(error) : resolve(result));
    query(q);
  });
}
