// SQL of the ledger (台账): one filter builder shared by the page, the count and the export, so
// an export holds exactly the rows the page shows. Pages use keyset pagination on indexed sorts.
import { sql, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool, type Expression } from 'kysely';
import type { Db } from '../../db/connect.js';
import type { Database } from '../../db/database.js';
import { inScope, likeContains, type Scope } from '../../db/scope.js';

export type LedgerSort = 'created_desc' | 'created_asc' | 'due_asc' | 'updated_desc';

/** A region a filter narrows to; district and street use their own indexed columns. */
export interface RegionFilter {
  code: string;
  path: string;
  level: string;
  kind: string;
}

export interface LedgerFilter {
  /** Who is looking: a set of subtrees (staff), the matters one raised, or the ones one owns. */
  view:
    | { type: 'scope'; scope: Scope; regions: RegionFilter[] }
    | { type: 'raised'; userId: string }
    | { type: 'owned'; userId: string; orgIds: string[] };
  region?: RegionFilter;
  kind?: string;
  category?: string;
  statuses?: string[];
  ownerOrgId?: string;
  overdue?: { clockStates: string[]; now: Date };
  supervised?: boolean;
  createdFrom?: Date;
  createdTo?: Date;
  text?: string;
}

type Eb = ExpressionBuilder<Database, 'matters'>;

function regionCondition(eb: Eb, region: RegionFilter): Expression<SqlBool> {
  if (region.kind === 'admin' && region.level === 'district') return eb('matters.district_code', '=', region.code);
  if (region.kind === 'admin' && region.level === 'street') return eb('matters.street_code', '=', region.code);
  return inScope('matters.region_path', [region.path]);
}

export function ledgerWhere(filter: LedgerFilter) {
  return (eb: Eb): Expression<SqlBool> => {
    const and: Expression<SqlBool>[] = [];
    const view = filter.view;
    if (view.type === 'raised') and.push(eb('matters.raised_by', '=', view.userId));
    if (view.type === 'owned') {
      const owned: Expression<SqlBool>[] = [eb('matters.owner_user_id', '=', view.userId)];
      if (view.orgIds.length > 0) owned.push(eb('matters.owner_org_id', 'in', view.orgIds));
      and.push(eb.or(owned));
    }
    if (view.type === 'scope') {
      // A district or a street is its own column on the row (set from the region at registration),
      // which the ledger's indexes lead with; any other subtree is an ltree test.
      if (view.regions.length > 0 && view.regions.every((r) => r.kind === 'admin' && (r.level === 'district' || r.level === 'street'))) {
        and.push(eb.or(view.regions.map((r) => regionCondition(eb, r))));
      } else {
        and.push(inScope('matters.region_path', view.scope));
      }
    }
    if (filter.region) and.push(regionCondition(eb, filter.region));
    if (filter.kind) and.push(eb('matters.kind', '=', filter.kind));
    if (filter.category) and.push(eb('matters.category', '=', filter.category));
    if (filter.statuses?.length) and.push(eb('matters.status', 'in', filter.statuses));
    if (filter.ownerOrgId) and.push(eb('matters.owner_org_id', '=', filter.ownerOrgId));
    if (filter.overdue) {
      and.push(eb('matters.status', 'in', filter.overdue.clockStates.length ? filter.overdue.clockStates : ['-']));
      and.push(eb('matters.paused_since', 'is', null));
      and.push(eb('matters.due_at', '<', filter.overdue.now));
    }
    if (filter.supervised) and.push(eb('matters.supervision_level', '>', 0));
    if (filter.createdFrom) and.push(eb('matters.created_at', '>=', filter.createdFrom));
    if (filter.createdTo) and.push(eb('matters.created_at', '<', filter.createdTo));
    if (filter.text) {
      const number = /^\d{1,15}$/.test(filter.text) ? Number(filter.text) : null;
      const text = eb('matters.title', 'ilike', likeContains(filter.text));
      and.push(number === null ? text : eb.or([text, eb('matters.number', '=', number)]));
    }
    return and.length ? eb.and(and) : sql<SqlBool>`true`;
  };
}

export interface Cursor {
  /** The sort key of the last row seen (ISO time, or null for "no deadline"). */
  key: string | null;
  id: string;
}

function withSort<O>(query: SelectQueryBuilder<Database, 'matters', O>, sort: LedgerSort, after: Cursor | null) {
  switch (sort) {
    case 'created_desc':
      if (after?.key) query = query.where(sql<SqlBool>`(matters.created_at, matters.id) < (${new Date(after.key)}, ${after.id}::uuid)`);
      return query.orderBy('matters.created_at', 'desc').orderBy('matters.id', 'desc');
    case 'created_asc':
      if (after?.key) query = query.where(sql<SqlBool>`(matters.created_at, matters.id) > (${new Date(after.key)}, ${after.id}::uuid)`);
      return query.orderBy('matters.created_at', 'asc').orderBy('matters.id', 'asc');
    case 'updated_desc':
      if (after?.key) query = query.where(sql<SqlBool>`(matters.updated_at, matters.id) < (${new Date(after.key)}, ${after.id}::uuid)`);
      return query.orderBy('matters.updated_at', 'desc').orderBy('matters.id', 'desc');
    case 'due_asc':
      // Matters without a deadline come last, in id order.
      if (after) {
        query = after.key
          ? query.where(
              sql<SqlBool>`(matters.due_at is null or (matters.due_at, matters.id) > (${new Date(after.key)}, ${after.id}::uuid))`,
            )
          : query.where(sql<SqlBool>`(matters.due_at is null and matters.id > ${after.id}::uuid)`);
      }
      return query.orderBy(sql`matters.due_at asc nulls last`).orderBy('matters.id', 'asc');
  }
}

export function sortKeyOf(row: { created_at: Date; updated_at: Date; due_at: Date | null }, sort: LedgerSort): string | null {
  if (sort === 'due_asc') return row.due_at?.toISOString() ?? null;
  return (sort === 'updated_desc' ? row.updated_at : row.created_at).toISOString();
}

export function findLedgerPage(db: Db, filter: LedgerFilter, sort: LedgerSort, after: Cursor | null, limit: number) {
  const query = db
    .selectFrom('matters')
    .leftJoin('organisations as o', 'o.id', 'matters.owner_org_id')
    .innerJoin('regions as r', 'r.code', 'matters.region_code')
    .select([
      'matters.id',
      'matters.number',
      'matters.kind',
      'matters.status',
      'matters.version',
      'matters.category',
      'matters.title',
      'matters.channel',
      'matters.region_code',
      'r.name as region_name',
      'matters.contact_name',
      'matters.contact_phone_masked',
      'matters.raised_by',
      'matters.owner_org_id',
      'o.name as owner_org_name',
      'matters.owner_user_id',
      'matters.priority',
      'matters.due_at',
      'matters.paused_since',
      'matters.supervision_level',
      'matters.reopen_count',
      'matters.satisfaction',
      'matters.outcome',
      'matters.money_recovered',
      'matters.created_at',
      'matters.updated_at',
      'matters.closed_at',
    ])
    .where(ledgerWhere(filter))
    .limit(limit);
  return withSort(query, sort, after).execute();
}

export type LedgerRow = Awaited<ReturnType<typeof findLedgerPage>>[number];

/** Counts up to `cap` rows: enough for a pager without walking a million rows. */
export async function countLedger(db: Db, filter: LedgerFilter, cap: number): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('matters')
        .select(sql`1`.as('one'))
        .where(ledgerWhere(filter))
        .limit(cap)
        .as('capped'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
