// The sessions this process has just looked up, kept for a few seconds so that a signed-in
// request does not read its session every time. A change to a session reaches the cache at once:
// - a trigger announces every change on channel nx_session (migration 0017), which each process
//   listens to (db/listen.ts); until it is listening, and whenever that connection is lost, the
//   cache keeps nothing;
// - this process's own writes forget what they change as soon as they are sent (queries.ts calls
//   sessionsChanged), before the announcement comes back.
import type { SessionActorRow } from './queries.js';

/** What a session look-up found, with what it takes to judge it again without the database. */
export interface SessionEntry {
  row: SessionActorRow;
  csrf: string;
  keptAt: number;
}

/** A safety net only: announcements, not this, keep the cache true. */
const KEEP_MS = 5_000;
const MAX_ENTRIES = 10_000;

const caches = new Set<SessionCache>();

/** Told by every write to sessions in this process: one token's session, or any. */
export function sessionsChanged(tokenHash?: string): void {
  for (const cache of caches) {
    if (tokenHash) cache.forget(tokenHash);
    else cache.clear();
  }
}

export class SessionCache {
  private readonly entries = new Map<string, SessionEntry>();
  private enabled = false;
  /** Moves on with every change: a look-up that began before one does not keep what it read. */
  private generation = 0;

  constructor() {
    caches.add(this);
  }

  /**
   * On when every change will reach the cache, off when one may not. Either way it starts afresh:
   * a look-up that began before it could hear changes does not keep what it read.
   */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    this.clear();
  }

  /** A kept session still live by its own times (expiry and idle limit), or undefined. */
  get(tokenHash: string, now = Date.now()): SessionEntry | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    const { row } = entry;
    const live =
      now - entry.keptAt < KEEP_MS && row.expires_at.getTime() > now && row.last_seen_at.getTime() + row.idle_minutes * 60_000 > now;
    if (live) return entry;
    this.entries.delete(tokenHash);
    return undefined;
  }

  /** Taken before reading a session from the database, and given back to set. */
  lookupStarts(): number {
    return this.generation;
  }

  set(tokenHash: string, row: SessionActorRow, csrf: string, startedAt: number): void {
    if (!this.enabled || startedAt !== this.generation) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(tokenHash, { row, csrf, keptAt: Date.now() });
  }

  forget(tokenHash: string): void {
    this.generation += 1;
    this.entries.delete(tokenHash);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  close(): void {
    this.setEnabled(false);
    caches.delete(this);
  }
}
