import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import { runStatement, sql as text } from '../../db/statement.js';
import { inScope, likeContains, type Scope } from '../../db/scope.js';
import type { NewRegion, Region } from './tables.js';

/** Kept for the callers' types: the count is now a column of the row. */
export type RegionWithCount = Region;

export async function findRegionByCode(db: Db, code: string): Promise<RegionWithCount | undefined> {
  return (await runStatement<RegionWithCount>(db, text`select * from regions where code = ${code}`, 'region'))[0];
}

export function findRootRegions(db: Db): Promise<RegionWithCount[]> {
  return db
    .selectFrom('regions')
    .selectAll()
    .where('parent_code', 'is', null)
    .orderBy('code')
    .execute();
}

/** Children in the tree, zones after the regular regions. */
export function findChildRegions(db: Db, parentCode: string): Promise<RegionWithCount[]> {
  return db
    .selectFrom('regions')
    .selectAll()
    .where('parent_code', '=', parentCode)
    .orderBy('kind')
    .orderBy('code')
    .execute();
}

export function findZoneMembers(db: Db, zoneCode: string): Promise<RegionWithCount[]> {
  return db
    .selectFrom('regions')
    .innerJoin('region_zone_members as z', 'z.member_code', 'regions.code')
    .selectAll('regions')
    .where('z.zone_code', '=', zoneCode)
    .orderBy('regions.code')
    .execute();
}

export type AncestorRow = Region['ancestors'][number];

export type RegionSearchRow = RegionWithCount & { path_names: string[] };

export function searchRegionsByName(db: Db, text: string, scope: Scope | null, limit: number): Promise<RegionSearchRow[]> {
  let query = db
    .selectFrom('regions')
    .selectAll()
    .select(sql<string[]>`array(select a.name from regions a where a.path @> regions.path order by nlevel(a.path))`.as('path_names'))
    .where('name', 'ilike', likeContains(text));
  if (scope) query = query.where(inScope('path', scope));
  // Exact names, then names that start with the text, higher levels before lower, shorter first:
  // "海滨" finds 海滨街道 before 海滨村 and 海滨社区第三网格.
  return query
    .orderBy(sql`name = ${text}`, 'desc')
    .orderBy(sql`starts_with(name, ${text})`, 'desc')
    .orderBy(sql`nlevel(path)`)
    .orderBy(sql`length(name)`)
    .orderBy('code')
    .limit(limit)
    .execute();
}

export async function countRegions(db: Db): Promise<number> {
  const row = await db
    .selectFrom('regions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function insertRegions(db: Db, rows: NewRegion[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500) {
    await db
      .insertInto('regions')
      .values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  }
}

export async function insertZoneMembers(db: Db, zoneCode: string, memberCodes: string[]): Promise<void> {
  if (memberCodes.length === 0) return;
  await db
    .insertInto('region_zone_members')
    .values(memberCodes.map((member_code) => ({ zone_code: zoneCode, member_code })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function findZoneMemberPaths(db: Db, zoneCode: string): Promise<{ path: string }[]> {
  return db
    .selectFrom('region_zone_members as z')
    .innerJoin('regions as m', 'm.code', 'z.member_code')
    .select('m.path')
    .where('z.zone_code', '=', zoneCode)
    .execute();
}

export function findRegionsByLevelWithin(db: Db, level: Region['level'], scope: Scope): Promise<Region[]> {
  return db.selectFrom('regions').selectAll().where('level', '=', level).where(inScope('path', scope)).orderBy('code').execute();
}

export function findRegionByName(db: Db, parentCode: string | null, name: string): Promise<Region | undefined> {
  const query = db.selectFrom('regions').selectAll().where('name', '=', name);
  return (parentCode === null ? query.where('parent_code', 'is', null) : query.where('parent_code', '=', parentCode)).executeTakeFirst();
}

/**
 * Recomputes what each region carries for single-row reads: its ancestors (root first) and how
 * many children it has (for a zone: members). Run after the tree changes.
 */
export async function refreshDerivedRegionColumns(db: Db): Promise<void> {
  await sql`
    update regions r set
      child_count = (select count(*)::int from regions c where c.parent_code = r.code)
        + (select count(*)::int from region_zone_members z where z.zone_code = r.code),
      ancestors = coalesce((
        select jsonb_agg(jsonb_build_object('code', a.code, 'name', a.name, 'name_en', a.name_en, 'level', a.level) order by nlevel(a.path))
        from regions a where a.path @> r.path and a.code <> r.code), '[]'::jsonb)`.execute(db);
}
