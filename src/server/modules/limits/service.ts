// Fixed-window rate limits kept in the database, so every app process counts the same hits.
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import * as q from './queries.js';

export interface Limit {
  /** What is limited and for whom, e.g. `sign-in:ip:10.0.0.1`. */
  key: string;
  max: number;
  windowSeconds: number;
}

/** Counts a hit against each limit; past any of them, 429 with the seconds to wait. */
export async function hitRateLimits(db: Db, limits: Limit[], now = new Date()): Promise<void> {
  for (const limit of limits) {
    const windowMs = limit.windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
    const hits = await q.incrementWindow(db, limit.key, windowStart);
    if (hits > limit.max) {
      throw errors.tooManyRequests({ retryAfterSeconds: Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000) });
    }
  }
  // Old windows are cleared now and then rather than on a schedule.
  if (Math.random() < 0.01) await q.deleteWindowsBefore(db, new Date(now.getTime() - 24 * 3600_000));
}
