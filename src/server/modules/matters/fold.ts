// The matter row is a fold over its events. The engine applies each new event to the current
// row with applyEvent; foldMatter rebuilds a row from the whole timeline, and the two must agree
// (tested). Events carry what they decided (the owner, the computed deadline), so the fold needs
// no calendar and no other table: a later change to the holiday calendar does not rewrite history.

/** The columns of `matters` that the timeline determines (personal contact fields are not among them). */
export interface MatterState {
  id: string;
  kind: string;
  status: string;
  version: number;
  region_code: string;
  region_path: string;
  district_code: string | null;
  street_code: string | null;
  category: string;
  title: string;
  body: string;
  payload: Record<string, unknown>;
  channel: string;
  raised_by: string | null;
  owner_org_id: string | null;
  owner_user_id: string | null;
  priority: number;
  due_at: Date | null;
  paused_since: Date | null;
  clock_remaining_minutes: number | null;
  supervision_level: number;
  reopen_count: number;
  outcome: string | null;
  satisfaction: string | null;
  money_recovered: number;
  merged_into: string | null;
  first_assigned_at: Date | null;
  assigned_at: Date | null;
  replied_at: Date | null;
  closed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export const STATE_COLUMNS = [
  'id',
  'kind',
  'status',
  'version',
  'region_code',
  'region_path',
  'district_code',
  'street_code',
  'category',
  'title',
  'body',
  'payload',
  'channel',
  'raised_by',
  'owner_org_id',
  'owner_user_id',
  'priority',
  'due_at',
  'paused_since',
  'clock_remaining_minutes',
  'supervision_level',
  'reopen_count',
  'outcome',
  'satisfaction',
  'money_recovered',
  'merged_into',
  'first_assigned_at',
  'assigned_at',
  'replied_at',
  'closed_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof MatterState)[];

export interface FoldEvent {
  matter_id: string;
  seq: number;
  type: string;
  to_status: string | null;
  data: Record<string, unknown>;
  at: Date;
}

/** What the register event records: everything the row starts from. */
export interface RegisterData {
  kind: string;
  regionCode: string;
  regionPath: string;
  districtCode: string | null;
  streetCode: string | null;
  category: string;
  title: string;
  body: string;
  payload: Record<string, unknown>;
  channel: string;
  raisedBy: string | null;
  priority: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const date = (v: unknown): Date | null => (typeof v === 'string' || v instanceof Date ? new Date(v) : null);
const cents = (n: number): number => Math.round(n * 100) / 100;

export function applyEvent(row: MatterState | null, event: FoldEvent, finalStates: ReadonlySet<string>): MatterState {
  const d = event.data;
  if (!row) {
    if (event.type !== 'register' || !event.to_status) throw new Error(`matter ${event.matter_id}: the first event must be register`);
    const r = d as unknown as RegisterData;
    return {
      id: event.matter_id,
      kind: r.kind,
      status: event.to_status,
      version: event.seq,
      region_code: r.regionCode,
      region_path: r.regionPath,
      district_code: r.districtCode,
      street_code: r.streetCode,
      category: r.category,
      title: r.title,
      body: r.body,
      payload: r.payload,
      channel: r.channel,
      raised_by: r.raisedBy,
      owner_org_id: null,
      owner_user_id: null,
      priority: r.priority,
      due_at: null,
      paused_since: null,
      clock_remaining_minutes: null,
      supervision_level: 0,
      reopen_count: 0,
      outcome: null,
      satisfaction: null,
      money_recovered: 0,
      merged_into: null,
      first_assigned_at: null,
      assigned_at: null,
      replied_at: null,
      closed_at: null,
      created_at: event.at,
      updated_at: event.at,
    };
  }

  const next: MatterState = { ...row, version: event.seq, updated_at: event.at };
  if (event.to_status) next.status = event.to_status;
  if ('ownerOrgId' in d) {
    next.owner_org_id = str(d.ownerOrgId);
    next.owner_user_id = str(d.ownerUserId);
    next.assigned_at = event.at;
    next.first_assigned_at ??= event.at;
    next.supervision_level = 0;
    next.paused_since = null;
    next.clock_remaining_minutes = null;
  }
  if ('dueAt' in d) next.due_at = date(d.dueAt);
  if ('pausedAt' in d) {
    next.paused_since = date(d.pausedAt);
    next.clock_remaining_minutes = typeof d.remainingMinutes === 'number' ? d.remainingMinutes : null;
  }
  if (d.resumed === true) {
    next.paused_since = null;
    next.clock_remaining_minutes = null;
  }
  if ('reply' in d) {
    next.replied_at = event.at;
    next.outcome = str(d.outcome);
    next.supervision_level = 0;
  }
  if ('satisfaction' in d) next.satisfaction = str(d.satisfaction);
  if (typeof d.moneyRecovered === 'number') next.money_recovered = cents(next.money_recovered + d.moneyRecovered);
  if ('intoMatterId' in d) next.merged_into = str(d.intoMatterId);
  if (typeof d.supervisionLevel === 'number') next.supervision_level = d.supervisionLevel;
  if (event.to_status === 'reopened') {
    next.reopen_count += 1;
    next.due_at = null;
  }
  if (event.to_status && finalStates.has(event.to_status)) {
    next.closed_at = event.at;
    next.paused_since = null;
    next.clock_remaining_minutes = null;
  }
  return next;
}

export function foldMatter(events: readonly FoldEvent[], finalStates: ReadonlySet<string>): MatterState {
  let row: MatterState | null = null;
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) row = applyEvent(row, e, finalStates);
  if (!row) throw new Error('a matter has at least its register event');
  return row;
}
