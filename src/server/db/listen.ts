// LISTEN on a channel of the database. On PostgreSQL over a connection of its own (a pooled one
// would lose it when returned), which comes back after a failure; `onState` says when it is
// listening and when it is not, so a caller that relies on the messages can stop meanwhile. PGlite
// delivers a message before the statement that sent it returns.
import { sql } from 'kysely';
import pg from 'pg';
import { embeddedOf, serverUrlOf, type Db } from './connect.js';

export interface Listener {
  channel: string;
  onMessage: (payload: string) => void;
  onState: (listening: boolean) => void;
  onError: (error: Error) => void;
  retryMs?: number;
}

/** Starts listening; the returned function stops for good. */
export function listen(db: Db, listener: Listener): () => Promise<void> {
  const url = serverUrlOf(db);
  if (url) return listenOnServer(url, listener);
  const pglite = embeddedOf(db);
  if (!pglite) return async () => {};
  const stop = pglite.onNotification((channel, payload) => channel === listener.channel && listener.onMessage(payload));
  // Through the driver, so it is not sent inside a transaction another caller holds. Never
  // UNLISTENed: other apps on the same embedded database may be listening too.
  sql`listen ${sql.raw(listener.channel)}`.execute(db).then(
    () => listener.onState(true),
    (error: Error) => listener.onError(error),
  );
  return async () => {
    stop();
    listener.onState(false);
  };
}

function listenOnServer(url: string, listener: Listener): () => Promise<void> {
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;

  const lost = (error: Error) => {
    listener.onState(false);
    if (stopped) return;
    listener.onError(error);
    const old = client;
    client = null;
    void old?.end().catch(() => {});
    retry ??= setTimeout(connect, listener.retryMs ?? 5_000);
    retry.unref();
  };

  async function connect(): Promise<void> {
    retry = null;
    if (stopped) return;
    const next = new pg.Client({ connectionString: url });
    client = next;
    next.on('error', lost);
    next.on('end', () => client === next && lost(new Error(`the ${listener.channel} listener connection ended`)));
    next.on('notification', (message) => {
      if (message.channel === listener.channel && message.payload !== undefined) listener.onMessage(message.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${listener.channel}`);
      if (client === next && !stopped) listener.onState(true);
    } catch (error) {
      if (client === next) lost(error as Error);
    }
  }

  void connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    listener.onState(false);
    const last = client;
    client = null;
    await last?.end().catch(() => {});
  };
}
