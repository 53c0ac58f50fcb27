// A small Kysely dialect for PGlite. PGlite is one session in this process, so the driver hands
// out that single connection to one holder at a time: a transaction keeps it until it ends.
import type { PGlite, Results } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import pg from 'pg';
import { statementNameOf } from './prepared.js';

class PGliteConnection implements DatabaseConnection {
  /** Statement name → whether it is prepared in this session (false: it could not be). */
  private readonly prepared = new Map<string, boolean>();

  constructor(private readonly pg: PGlite) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = (await this.executeNamed<R>(compiled.sql, compiled.parameters)) ?? (await this.pg.query<R>(compiled.sql, [...compiled.parameters]));
    return {
      rows: result.rows,
      numAffectedRows: result.affectedRows === undefined ? undefined : BigInt(result.affectedRows),
    };
  }

  /**
   * A named statement (db/prepared.ts) runs as EXECUTE of a statement PREPAREd once: PGlite parses
   * and plans every query it is sent, and that is most of a large statement's cost. EXECUTE takes
   * no bound parameters, so its arguments are quoted literals (PQescapeLiteral's rule). Undefined
   * when the query is not named or its values are not plain.
   */
  private async executeNamed<R>(sql: string, values: readonly unknown[]) {
    const name = statementNameOf(sql);
    const args = name ? literals(values) : null;
    if (!name || args === null || this.prepared.get(name) === false) return undefined;
    if (!this.prepared.has(name)) {
      try {
        await this.pg.query(`prepare ${name} as ${sql}`);
        this.prepared.set(name, true);
      } catch (error) {
        // A parameter whose type the text does not settle: this one stays an ordinary query. Any
        // other failure (an aborted transaction) the ordinary query reports as it would have.
        if (UNTYPED.has((error as { code?: string }).code ?? '')) this.prepared.set(name, false);
        return undefined;
      }
    }
    // One simple-protocol message: the text holds no bound values, and it is one statement.
    const results = await this.pg.exec(args.length ? `execute ${name}(${args.join(', ')})` : `execute ${name}`);
    return results.at(-1) as Results<R>;
  }

  // PGlite returns whole results; streaming yields them in chunks of the finished result.
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiled);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

/** indeterminate_datatype, ambiguous_parameter, datatype_mismatch of a parameter. */
const UNTYPED = new Set(['42P18', '42P08', '42804']);

/** libpq's PQescapeLiteral, as pg has it: quotes doubled, backslashes in an E'' string. */
const quote = pg.escapeLiteral;

/**
 * PostgreSQL's refusal of a NUL character in text. A bound value reaches the server whole and is
 * refused there; in statement text a NUL would end the message early, so it is refused here.
 */
class NulInText extends Error {
  readonly code = '22021';
  constructor() {
    super('invalid byte sequence for encoding "UTF8": 0x00');
  }
}

/** Values as SQL literals, or null when one is not a string, number, boolean, date or null. */
function literals(values: readonly unknown[]): string[] | null {
  const out: string[] = [];
  for (const value of values) {
    if (typeof value === 'string' && value.includes('\0')) throw new NulInText();
    if (value === null || value === undefined) out.push('null');
    else if (typeof value === 'string') out.push(quote(value));
    else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') out.push(quote(String(value)));
    else if (value instanceof Date) out.push(quote(value.toISOString()));
    else return null;
  }
  return out;
}

class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private queue: Promise<void> = Promise.resolve();
  private release: (() => void) | null = null;

  constructor(private readonly pg: PGlite) {
    this.connection = new PGliteConnection(pg);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.queue;
    let release!: () => void;
    this.queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    this.release = release;
    return this.connection;
  }

  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${level}`));
  }

  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = null;
    release?.();
  }

  async destroy(): Promise<void> {
    await this.queue;
    await this.pg.close();
  }
}

export class PGliteDialect implements Dialect {
  constructor(private readonly pg: PGlite) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new PGliteDriver(this.pg);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}
