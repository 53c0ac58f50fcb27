// The administrative tree: browsing, search, scopes, and loading the shipped reference data.
import { readFileSync } from 'node:fs';
import type { Db } from '../../db/connect.js';
import type { Scope } from '../../db/scope.js';
import { errors } from '../../errors.js';
import * as q from './queries.js';
import type { NewRegion, Region, RegionLevel } from './tables.js';

export async function listRegions(db: Db, parentCode: string | undefined): Promise<q.RegionWithCount[]> {
  if (parentCode === undefined) return q.findRootRegions(db);
  const parent = await q.findRegionByCode(db, parentCode);
  if (!parent) throw errors.regionNotFound({ code: parentCode });
  return parent.kind === 'zone' ? q.findZoneMembers(db, parentCode) : q.findChildRegions(db, parentCode);
}

export interface RegionDetail {
  region: q.RegionWithCount;
  members: q.RegionWithCount[] | null;
}

/** One region (its ancestors come with the row) and, for a zone, the regions it spans. */
export async function getRegion(db: Db, code: string): Promise<RegionDetail> {
  const region = await q.findRegionByCode(db, code);
  if (!region) throw errors.regionNotFound({ code });
  return { region, members: region.kind === 'zone' ? await q.findZoneMembers(db, code) : null };
}

export async function requireRegion(db: Db, code: string): Promise<Region> {
  const region = await q.findRegionByCode(db, code);
  if (!region) throw errors.regionNotFound({ code });
  return region;
}

/** The subtree(s) a region stands for: its own path, plus its members' paths for a zone. */
export async function scopeOfRegion(db: Db, region: Pick<Region, 'code' | 'kind' | 'path'>): Promise<Scope> {
  if (region.kind !== 'zone') return [region.path];
  const members = await q.findZoneMemberPaths(db, region.code);
  return [region.path, ...members.map((m) => m.path)];
}

export async function searchRegions(db: Db, input: { text: string; within?: string; limit: number }): Promise<q.RegionSearchRow[]> {
  const text = input.text.trim();
  if (text === '') return [];
  const scope = input.within ? await scopeOfRegion(db, await requireRegion(db, input.within)) : null;
  return q.searchRegionsByName(db, text, scope, input.limit);
}

/** Finds a region by its names below the root (泉州市), e.g. ['鲤城区', '海滨街道']. */
export async function findRegionByNames(db: Db, names: string[]): Promise<Region> {
  const [root] = await q.findRootRegions(db);
  if (!root) throw errors.regionNotFound({ names });
  let current: Region = root;
  for (const name of names) {
    const next = await q.findRegionByName(db, current.code, name);
    if (!next) throw errors.regionNotFound({ names });
    current = next;
  }
  return current;
}

export function regionsAtLevel(db: Db, level: RegionLevel, scope: Scope): Promise<Region[]> {
  return q.findRegionsByLevelWithin(db, level, scope);
}

// ---- reference data -------------------------------------------------------------------------

interface ShippedRegion {
  code: string;
  name: string;
  nameEn?: string | null;
  level: RegionLevel;
  parent: string | null;
}
interface ShippedZone extends ShippedRegion {
  members: string[];
}
interface ShippedData {
  source: string;
  regions: ShippedRegion[];
  zones: ShippedZone[];
}

function readShippedData(): ShippedData {
  const url = new URL('./data/quanzhou.json', import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as ShippedData;
}

/** District code of a region: the 6-digit county-level prefix, none above that level. */
function districtCodeOf(level: RegionLevel, code: string): string | null {
  if (level === 'city') return null;
  return /^\d{6}/.test(code) ? code.slice(0, 6) : code;
}

/** Builds rows (with ltree paths) for regions given parents-first; parents may already exist. */
export function buildRegionRows(
  items: ShippedRegion[],
  knownPaths: Map<string, string>,
  options: { kind?: 'admin' | 'zone'; isDemo?: boolean } = {},
): NewRegion[] {
  return items.map((item) => {
    const parentPath = item.parent ? knownPaths.get(item.parent) : undefined;
    if (item.parent && !parentPath) throw new Error(`region ${item.code} comes before its parent ${item.parent}`);
    const path = parentPath ? `${parentPath}.${item.code}` : item.code;
    knownPaths.set(item.code, path);
    return {
      code: item.code,
      name: item.name,
      name_en: item.nameEn ?? null,
      level: item.level,
      kind: options.kind ?? 'admin',
      parent_code: item.parent,
      path,
      district_code: districtCodeOf(item.level, item.code),
      is_demo: options.isDemo ?? false,
    };
  });
}

/** Loads the shipped tree of 泉州市 into an empty database; a no-op when regions exist. */
export async function loadReferenceRegions(db: Db): Promise<number> {
  if ((await q.countRegions(db)) > 0) return 0;
  const data = readShippedData();
  const paths = new Map<string, string>();
  const rows = buildRegionRows(data.regions, paths);
  const zoneRows = buildRegionRows(data.zones, paths, { kind: 'zone' }).map((row) => ({ ...row, district_code: row.code }));
  await db.transaction().execute(async (trx) => {
    await q.insertRegions(trx, [...rows, ...zoneRows]);
    for (const zone of data.zones) await q.insertZoneMembers(trx, zone.code, zone.members);
    await q.refreshDerivedRegionColumns(trx);
  });
  return rows.length + zoneRows.length;
}

/** Adds regions (parents first) and refreshes what every region carries about the tree. */
export async function insertRegions(db: Db, rows: NewRegion[]): Promise<void> {
  await q.insertRegions(db, rows);
  await q.refreshDerivedRegionColumns(db);
}
