// Where a region sits (path, district, street) for a new matter. Regions change seldom (an import
// by the administrators), so placements are kept for ten minutes per database.
import type { AppContext } from '../../context.js';
import { findRegionPlacement } from './queries.js';

const REGION_CACHE_MS = 600_000;
export type Placement = NonNullable<Awaited<ReturnType<typeof findRegionPlacement>>>;
const regionCache = new WeakMap<object, Map<string, { at: number; placement: Placement }>>();

export async function regionPlacement(ctx: Pick<AppContext, 'db'>, code: string): Promise<Placement | undefined> {
  let byCode = regionCache.get(ctx.db);
  if (!byCode) {
    byCode = new Map();
    regionCache.set(ctx.db, byCode);
  }
  const hit = byCode.get(code);
  if (hit && Date.now() - hit.at < REGION_CACHE_MS) return hit.placement;
  const placement = await findRegionPlacement(ctx.db, code);
  if (placement) byCode.set(code, { at: Date.now(), placement });
  return placement;
}
