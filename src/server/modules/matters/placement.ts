// What a step looks up about places and organisations that hardly ever change, kept per database:
// where a region sits (path, district, street; regions change only by an administrators' import)
// and an organisation's brief (organisations are added, never edited or removed, by the app).
import type { Db } from '../../db/connect.js';
import type { AppContext } from '../../context.js';
import { findOrganisationBrief, findRegionPlacement } from './queries.js';

export type Placement = NonNullable<Awaited<ReturnType<typeof findRegionPlacement>>>;
export type OrganisationBrief = NonNullable<Awaited<ReturnType<typeof findOrganisationBrief>>>;

/** A look-up whose found answers are kept for `ms` per database (a transaction is a database of its own). */
function kept<T>(ms: number, find: (db: Db, key: string) => Promise<T | undefined>): (db: Db, key: string) => Promise<T | undefined> {
  const caches = new WeakMap<object, Map<string, { at: number; value: T }>>();
  return async (db, key) => {
    let byKey = caches.get(db);
    if (!byKey) {
      byKey = new Map();
      caches.set(db, byKey);
    }
    const hit = byKey.get(key);
    if (hit && Date.now() - hit.at < ms) return hit.value;
    const value = await find(db, key);
    // Not found is not kept: the region or organisation may be added in a moment.
    if (value) {
      if (byKey.size >= 10_000) byKey.clear();
      byKey.set(key, { at: Date.now(), value });
    }
    return value;
  };
}

const placementOf = kept(600_000, findRegionPlacement);
const briefOf = kept(60_000, findOrganisationBrief);

export function regionPlacement(ctx: Pick<AppContext, 'db'>, code: string): Promise<Placement | undefined> {
  return placementOf(ctx.db, code);
}

export function organisationBrief(db: Db, id: string): Promise<OrganisationBrief | undefined> {
  return briefOf(db, id);
}
