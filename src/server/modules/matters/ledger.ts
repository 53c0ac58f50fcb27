// The ledger (台账): the matters an actor may list, filtered, sorted and paged, and exported to
// Excel row for row as the page shows them. Workers see the ones they raised; staff their
// region's subtree or their own inbox.
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { requireActor, type Actor } from '../identity/access.js';
import { requireRegion } from '../regions/service.js';
import { organisationsOf, staffScope, MATTER_STAFF_ROLES } from './access.js';
import { clockStates, workflowOf } from './kinds/index.js';
import * as lq from './ledger-queries.js';

export type LedgerView = 'ledger' | 'inbox' | 'mine';

export interface LedgerQuery {
  view: LedgerView;
  region?: string;
  kind?: string;
  category?: string;
  status?: string[];
  ownerOrgId?: string;
  overdue?: boolean;
  supervised?: boolean;
  from?: string;
  to?: string;
  q?: string;
  sort: lq.LedgerSort;
  cursor?: string;
  limit: number;
  /** Also count the rows (up to TOTAL_CAP): costs a scan, so a pager asks for it once, on the first page. */
  withTotal?: boolean;
}

export const TOTAL_CAP = 10_000;

/** Turns the query of a page or an export into a filter, checking what the actor may see. */
export async function buildLedgerFilter(
  db: Db,
  actor: Actor | null,
  query: Omit<LedgerQuery, 'sort' | 'cursor' | 'limit' | 'withTotal'>,
): Promise<lq.LedgerFilter> {
  const me = requireActor(actor);
  let view: lq.LedgerFilter['view'];
  if (query.view === 'mine') view = { type: 'raised', userId: me.userId };
  else if (query.view === 'inbox') view = { type: 'owned', userId: me.userId, orgIds: organisationsOf(me) };
  else {
    const grants = me.grants.filter((g) => MATTER_STAFF_ROLES.includes(g.role));
    if (grants.length === 0) throw errors.forbidden();
    view = {
      type: 'scope',
      scope: staffScope(me),
      regions: grants.map((g) => ({ code: g.regionCode, path: g.scope[0] ?? '', level: g.regionLevel, kind: g.regionKind })),
    };
  }
  if (query.kind) workflowOf(query.kind);
  let region: lq.RegionFilter | undefined;
  if (query.region) {
    const r = await requireRegion(db, query.region);
    region = { code: r.code, path: r.path, level: r.level, kind: r.kind };
  }
  const from = query.from ? new Date(`${query.from}T00:00:00+08:00`) : undefined;
  const to = query.to ? new Date(new Date(`${query.to}T00:00:00+08:00`).getTime() + 86_400_000) : undefined;
  if (from && to && from >= to) throw errors.invalidRequest({ field: 'from', problem: 'from must not be after to' });
  return {
    view,
    region,
    kind: query.kind,
    category: query.category,
    statuses: query.status,
    ownerOrgId: query.ownerOrgId,
    overdue: query.overdue ? { clockStates: clockStates(query.kind), now: new Date() } : undefined,
    supervised: query.supervised,
    createdFrom: from,
    createdTo: to,
    text: query.q?.trim() || undefined,
  };
}

function decodeCursor(cursor: string | undefined): lq.Cursor | null {
  if (!cursor) return null;
  try {
    const [key, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    const validKey = key === null || (typeof key === 'string' && !Number.isNaN(Date.parse(key)));
    if (validKey && typeof id === 'string' && /^[0-9a-f-]{36}$/.test(id)) return { key: key as string | null, id };
  } catch {
    // fall through
  }
  throw errors.invalidRequest({ field: 'cursor', problem: 'is not a cursor this server gave' });
}

function encodeCursor(key: string | null, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString('base64url');
}

export async function listLedger(db: Db, actor: Actor | null, query: LedgerQuery) {
  const filter = await buildLedgerFilter(db, actor, query);
  const after = decodeCursor(query.cursor);
  const [rows, total] = await Promise.all([
    lq.findLedgerPage(db, filter, query.sort, after, query.limit + 1),
    query.withTotal && !after ? lq.countLedger(db, filter, TOTAL_CAP + 1) : Promise.resolve(null),
  ]);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  const nextCursor = rows.length > query.limit && last ? encodeCursor(lq.sortKeyOf(last, query.sort), last.id) : null;
  return {
    items: page,
    nextCursor,
    total: total === null ? null : Math.min(total, TOTAL_CAP),
    totalCapped: total !== null && total > TOTAL_CAP,
  };
}
