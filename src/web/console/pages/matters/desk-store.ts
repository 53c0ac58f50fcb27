// The desk's tab and filters, kept while the console is open so that going to a matter and back
// finds the list as it was left.
import { reactive } from 'vue';
import type { LedgerQuery, LedgerSort } from '../../../shared/matters/types';

export type DeskTab = 'todo' | 'inbox' | 'ledger';
export const DESK_TABS: readonly DeskTab[] = ['todo', 'inbox', 'ledger'];

/** States waiting for the desk: new, and sent back by a "not satisfied". */
export const TODO_STATES = ['registered', 'reopened'];

/** The kinds the desk shows, one at a time; a report waits for the desk while awaiting review. */
export type DeskKind = 'appeal' | 'report';
export const DESK_KINDS: readonly DeskKind[] = ['appeal', 'report'];
export const TODO_STATES_OF: Record<DeskKind, string[]> = { appeal: TODO_STATES, report: ['submitted'] };

export interface DeskFilters {
  q: string;
  category: string;
  status: string[];
  ownerOrgId: string;
  /** [from, to] as YYYY-MM-DD, or null. */
  period: [string, string] | null;
  overdue: boolean;
  supervised: boolean;
  sort: LedgerSort;
}

export function emptyFilters(): DeskFilters {
  return { q: '', category: '', status: [], ownerOrgId: '', period: null, overdue: false, supervised: false, sort: 'created_desc' };
}

export const desk = reactive({
  tab: null as DeskTab | null,
  kind: 'appeal' as DeskKind,
  filters: emptyFilters(),
});

/** The ledger query of a tab and the filters, within a region. */
export function deskQuery(
  tab: DeskTab,
  f: DeskFilters,
  region: string | undefined,
  kind: DeskKind = 'appeal',
): Omit<LedgerQuery, 'cursor' | 'limit'> {
  return {
    view: tab === 'inbox' ? 'inbox' : 'ledger',
    kind,
    region: tab === 'inbox' ? undefined : region,
    q: f.q.trim() || undefined,
    category: f.category || undefined,
    status: tab === 'todo' ? TODO_STATES_OF[kind] : f.status.length ? f.status : undefined,
    ownerOrgId: f.ownerOrgId || undefined,
    from: f.period?.[0],
    to: f.period?.[1],
    overdue: f.overdue || undefined,
    supervised: f.supervised || undefined,
    sort: f.sort,
  };
}
