// SQL of reports: categories, the routing table, the report rows beside their matters, likely
// duplicates, the worker's own list, the public map and the Open311 keys.
import { sql } from 'kysely';
import type { Db } from '../../db/connect.js';
import { inScope, type Scope } from '../../db/scope.js';
import { insertRow, runStatement, type Sql } from '../../db/statement.js';
import type { Open311Key, Report, ReportCategory, ReportTable } from './tables.js';
import type { Insertable } from 'kysely';

// ---- categories -------------------------------------------------------------------------------

export function findCategories(db: Db, activeOnly: boolean): Promise<ReportCategory[]> {
  let query = db.selectFrom('report_categories').selectAll().orderBy('sort').orderBy('code');
  if (activeOnly) query = query.where('active', '=', true);
  return query.execute();
}

export function findCategory(db: Db, code: string): Promise<ReportCategory | undefined> {
  return db.selectFrom('report_categories').selectAll().where('code', '=', code).executeTakeFirst();
}

export function upsertCategory(db: Db, row: Omit<ReportCategory, 'updated_at'>): Promise<ReportCategory> {
  return db
    .insertInto('report_categories')
    .values({ ...row, updated_at: new Date() })
    .onConflict((oc) =>
      oc.column('code').doUpdateSet({
        label_zh: row.label_zh,
        label_en: row.label_en,
        handle_days: row.handle_days,
        sort: row.sort,
        active: row.active,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- routing ----------------------------------------------------------------------------------

export interface RouteRow {
  id: string;
  category: string;
  region_code: string;
  region_path: string;
  region_name: string;
  organisation_id: string;
  organisation_name: string;
  updated_at: Date;
}

function routesQuery(db: Db) {
  return db
    .selectFrom('report_routes as r')
    .innerJoin('regions as g', 'g.code', 'r.region_code')
    .innerJoin('organisations as o', 'o.id', 'r.organisation_id')
    .select([
      'r.id',
      'r.category',
      'r.region_code',
      'r.region_path',
      'g.name as region_name',
      'r.organisation_id',
      'o.name as organisation_name',
      'r.updated_at',
    ]);
}

export function findRoutes(db: Db, scope: Scope, f: { category?: string; regionPath?: string }): Promise<RouteRow[]> {
  let query = routesQuery(db).where(inScope('r.region_path', scope));
  if (f.category) query = query.where('r.category', '=', f.category);
  if (f.regionPath) query = query.where(sql<boolean>`r.region_path <@ ${f.regionPath}::ltree`);
  return query.orderBy('r.region_path').orderBy('r.category').limit(1000).execute();
}

export function findRouteById(db: Db, id: string): Promise<RouteRow | undefined> {
  return routesQuery(db).where('r.id', '=', id).executeTakeFirst();
}

/** The route of the region itself or its nearest ancestor: the most specific wins. */
export function findRouteFor(db: Db, category: string, regionPath: string): Promise<RouteRow | undefined> {
  return routesQuery(db)
    .where('r.category', '=', category)
    .where(sql<boolean>`r.region_path @> ${regionPath}::ltree`)
    .orderBy(sql`nlevel(r.region_path)`, 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function upsertRoute(
  db: Db,
  row: { category: string; region_code: string; region_path: string; organisation_id: string; updated_by: string },
): Promise<{ id: string; previous_org: string | null }> {
  return sql<{ id: string; previous_org: string | null }>`
    with old as (select organisation_id from report_routes where category = ${row.category} and region_code = ${row.region_code})
    insert into report_routes (category, region_code, region_path, organisation_id, updated_by, updated_at)
    values (${row.category}, ${row.region_code}, ${row.region_path}::ltree, ${row.organisation_id}, ${row.updated_by}, now())
    on conflict (category, region_code) do update
      set organisation_id = excluded.organisation_id, updated_by = excluded.updated_by, updated_at = now()
    returning id, (select organisation_id from old) as previous_org`
    .execute(db)
    .then((r) => r.rows[0] as { id: string; previous_org: string | null });
}

export async function deleteRoute(db: Db, id: string): Promise<void> {
  await db.deleteFrom('report_routes').where('id', '=', id).execute();
}

// ---- reports ----------------------------------------------------------------------------------

export function insertReport(db: Db, row: Insertable<ReportTable>): Promise<void> {
  return runStatement(db, insertReportQuery(row), 'report').then(() => undefined);
}

/** The insert, to send together with the report's matter (see matters/engine.ts `also`). */
export function insertReportQuery(row: Insertable<ReportTable>): Sql {
  return insertRow('reports', row);
}

export function findReport(db: Db, matterId: string): Promise<Report | undefined> {
  return db.selectFrom('reports').selectAll().where('matter_id', '=', matterId).executeTakeFirst();
}

export function findReportByKey(db: Db, raisedBy: string, key: string): Promise<Report | undefined> {
  return db.selectFrom('reports').selectAll().where('raised_by', '=', raisedBy).where('idempotency_key', '=', key).executeTakeFirst();
}

export async function setReportPoints(db: Db, matterId: string, level: string, points: number | null): Promise<void> {
  await db.updateTable('reports').set({ level, points }).where('matter_id', '=', matterId).execute();
}

export interface DuplicateRow {
  id: string;
  number: number;
  status: string;
  category: string;
  title: string;
  region_path: string;
  raised_by: string | null;
  owner_org_id: string | null;
  owner_user_id: string | null;
  created_at: Date;
  text: string;
  distance_m: number;
  similarity: number;
}

/** Reports near a point within a radius and a time window, with their distance and text likeness. */
export function findNearbyReports(
  db: Db,
  f: { lat: number; lng: number; radiusM: number; since: Date; text: string; excludeId: string | null; limit: number },
): Promise<DuplicateRow[]> {
  // The box narrows by the lat/lng index first; earth_distance then keeps the circle.
  const dLat = f.radiusM / 111_000;
  const dLng = f.radiusM / (111_000 * Math.cos((f.lat * Math.PI) / 180));
  let query = db
    .selectFrom('reports as r')
    .innerJoin('matters as m', 'm.id', 'r.matter_id')
    .select([
      'm.id',
      'm.number',
      'm.status',
      'm.category',
      'm.title',
      'm.region_path',
      'm.raised_by',
      'm.owner_org_id',
      'm.owner_user_id',
      'm.created_at',
      'm.body as text',
      sql<number>`earth_distance(ll_to_earth(r.lat, r.lng), ll_to_earth(${f.lat}, ${f.lng}))`.as('distance_m'),
      sql<number>`case when ${f.text} = '' or m.body = '' then 0 else similarity(m.body, ${f.text}) end`.as('similarity'),
    ])
    .where('r.lat', '>=', f.lat - dLat)
    .where('r.lat', '<=', f.lat + dLat)
    .where('r.lng', '>=', f.lng - dLng)
    .where('r.lng', '<=', f.lng + dLng)
    .where('r.created_at', '>=', f.since)
    .where('m.status', 'not in', ['rejected', 'merged'])
    .where(sql<boolean>`earth_distance(ll_to_earth(r.lat, r.lng), ll_to_earth(${f.lat}, ${f.lng})) <= ${f.radiusM}`);
  if (f.excludeId) query = query.where('m.id', '!=', f.excludeId);
  return query.orderBy('r.created_at', 'desc').limit(f.limit).execute();
}

export interface MyReportRow {
  id: string;
  number: number;
  status: string;
  category: string;
  text: string;
  lat: number;
  lng: number;
  photos: string[];
  level: string | null;
  points: number | null;
  owner_org_name: string | null;
  merged_into_number: number | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export function findMyReports(db: Db, userId: string, f: { before: Date | null; limit: number }): Promise<MyReportRow[]> {
  let query = db
    .selectFrom('reports as r')
    .innerJoin('matters as m', 'm.id', 'r.matter_id')
    .leftJoin('organisations as o', 'o.id', 'm.owner_org_id')
    .leftJoin('matters as t', 't.id', 'm.merged_into')
    .select([
      'm.id',
      'm.number',
      'm.status',
      'm.category',
      'm.body as text',
      'r.lat',
      'r.lng',
      'r.photos',
      'r.level',
      'r.points',
      'o.name as owner_org_name',
      't.number as merged_into_number',
      'm.created_at',
      'm.updated_at',
      'm.closed_at',
    ])
    .where('r.raised_by', '=', userId)
    .where('m.raised_by', '=', userId);
  if (f.before) query = query.where('m.created_at', '<', f.before);
  return query.orderBy('m.created_at', 'desc').limit(f.limit).execute();
}

/** The last note of each matter's steps of these types (the reason a worker is shown). */
export async function findLastNotes(db: Db, matterIds: string[], types: string[]): Promise<Map<string, string>> {
  if (matterIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('matter_events')
    .select(['matter_id', 'note', 'seq', 'type'])
    .where('matter_id', 'in', matterIds)
    .where('type', 'in', types)
    .where('note', 'is not', null)
    .orderBy('seq')
    .execute();
  return new Map(rows.map((r) => [r.matter_id, r.note as string]));
}

export interface PublicReportRow {
  number: number;
  status: string;
  category: string;
  lat: number;
  lng: number;
  created_at: Date;
  closed_at: Date | null;
}

export function findPublicReports(
  db: Db,
  f: { box: [number, number, number, number]; since: Date; limit: number },
): Promise<PublicReportRow[]> {
  const [s, w, n, e] = f.box;
  return db
    .selectFrom('reports as r')
    .innerJoin('matters as m', 'm.id', 'r.matter_id')
    .select(['m.number', 'm.status', 'm.category', 'r.lat', 'r.lng', 'm.created_at', 'm.closed_at'])
    .where('r.lat', '>=', s)
    .where('r.lat', '<=', n)
    .where('r.lng', '>=', w)
    .where('r.lng', '<=', e)
    .where('r.created_at', '>=', f.since)
    .where('m.status', 'not in', ['rejected', 'merged'])
    .orderBy('r.created_at', 'desc')
    .limit(f.limit)
    .execute();
}

// ---- Open311 ----------------------------------------------------------------------------------

export interface Open311Row {
  id: string;
  number: number;
  status: string;
  category: string;
  body: string;
  owner_org_name: string | null;
  outcome: string | null;
  due_at: Date | null;
  created_at: Date;
  updated_at: Date;
  lat: number;
  lng: number;
  source: string;
  open311_token: string | null;
  photos: string[];
  media_url: string | null;
}

function open311Query(db: Db) {
  return db
    .selectFrom('reports as r')
    .innerJoin('matters as m', 'm.id', 'r.matter_id')
    .leftJoin('organisations as o', 'o.id', 'm.owner_org_id')
    .select([
      'm.id',
      'm.number',
      'm.status',
      'm.category',
      'm.body',
      'o.name as owner_org_name',
      'm.outcome',
      'm.due_at',
      'm.created_at',
      'm.updated_at',
      'r.lat',
      'r.lng',
      'r.source',
      'r.open311_token',
      'r.photos',
      sql<string | null>`m.payload ->> 'mediaUrl'`.as('media_url'),
    ]);
}

export function findOpen311Requests(
  db: Db,
  f: {
    numbers: number[] | null;
    categories: string[] | null;
    from: Date | null;
    to: Date | null;
    statuses: string[] | null;
    limit: number;
  },
): Promise<Open311Row[]> {
  let query = open311Query(db);
  if (f.from) query = query.where('m.created_at', '>=', f.from);
  if (f.to) query = query.where('m.created_at', '<=', f.to);
  if (f.numbers) query = query.where('m.number', 'in', f.numbers.length ? f.numbers : [-1]);
  if (f.categories) query = query.where('m.category', 'in', f.categories);
  if (f.statuses) query = query.where('m.status', 'in', f.statuses);
  return query.orderBy('m.created_at', 'desc').limit(f.limit).execute();
}

export function findOpen311Request(db: Db, number: number): Promise<Open311Row | undefined> {
  return open311Query(db).where('m.number', '=', number).executeTakeFirst();
}

export function findOpen311Token(db: Db, token: string): Promise<{ number: number } | undefined> {
  return db
    .selectFrom('reports as r')
    .innerJoin('matters as m', 'm.id', 'r.matter_id')
    .select('m.number')
    .where('r.open311_token', '=', token)
    .executeTakeFirst();
}

export function findKeyByHash(db: Db, hash: string): Promise<Open311Key | undefined> {
  return db.selectFrom('open311_keys').selectAll().where('key_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst();
}

export function findKeys(db: Db): Promise<Open311Key[]> {
  return db.selectFrom('open311_keys').selectAll().orderBy('created_at', 'desc').limit(500).execute();
}

export function insertKey(db: Db, row: { name: string; key_hash: string; key_hint: string; created_by: string }): Promise<Open311Key> {
  return db.insertInto('open311_keys').values(row).returningAll().executeTakeFirstOrThrow();
}

export function revokeKey(db: Db, id: string, by: string): Promise<Open311Key | undefined> {
  return db
    .updateTable('open311_keys')
    .set({ revoked_at: new Date(), revoked_by: by })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function findActivePlace(
  db: Db,
  id: string,
): Promise<{ id: string; name: string; lat: number; lng: number; region_code: string } | undefined> {
  return db
    .selectFrom('places')
    .select(['id', 'name', 'lat', 'lng', 'region_code'])
    .where('id', '=', id)
    .where('is_active', '=', true)
    .executeTakeFirst();
}

/** What the department answered when it closed each report (the 'reply' step). */
export async function findCloseReplies(db: Db, matterIds: string[]): Promise<Map<string, string>> {
  if (matterIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('matter_events')
    .select(['matter_id', sql<string>`data ->> 'reply'`.as('reply')])
    .where('matter_id', 'in', matterIds)
    .where('type', '=', 'reply')
    .execute();
  return new Map(rows.map((r) => [r.matter_id, r.reply]));
}
