// Shapes of the matters API (appeals and later kinds), notifications, attachments and the work
// calendar, as the server sends them (see /openapi.json, tags matters, notifications, files, calendar).
import type { LocalizedText } from '../types';

export interface MatterStateInfo {
  name: string;
  label: LocalizedText;
  final: boolean;
  /** The deadline runs in this state. */
  clock: boolean;
}

export interface MatterCategory {
  name: string;
  label: LocalizedText;
  /** Working days the owner has once it is assigned. */
  handleDays: number;
}

export interface MatterTransitionInfo {
  name: string;
  label: LocalizedText;
  from: string[];
  noteRequired: boolean;
}

export interface MatterKind {
  kind: string;
  label: LocalizedText;
  initial: string;
  states: MatterStateInfo[];
  categories: MatterCategory[];
  transitions: MatterTransitionInfo[];
}

export const DESK_CHANNELS = ['desk', 'phone', 'hotline', 'walk_in'] as const;
export type DeskChannel = (typeof DESK_CHANNELS)[number];
export type Channel = 'app' | DeskChannel;

export const LEDGER_SORTS = ['created_desc', 'created_asc', 'due_asc', 'updated_desc'] as const;
export type LedgerSort = (typeof LEDGER_SORTS)[number];
export type LedgerView = 'mine' | 'inbox' | 'ledger';

/** One row of a list of matters (the ledger, an inbox, my appeals). Contact fields are masked. */
export interface LedgerItem {
  id: string;
  number: number;
  kind: string;
  status: string;
  version: number;
  category: string;
  title: string;
  channel: Channel;
  regionCode: string;
  /** The path from the district down: 鲤城区 / 海滨街道 / 某社区. */
  regionName: string;
  contactName: string | null;
  contactPhone: string | null;
  ownerOrgId: string | null;
  ownerOrgName: string | null;
  priority: number;
  dueAt: string | null;
  paused: boolean;
  overdue: boolean;
  /** 0 none, 1 due soon, 2 overdue (supervised), 3 escalated. */
  supervisionLevel: number;
  reopenCount: number;
  satisfaction: Satisfaction | null;
  outcome: Outcome | null;
  /** Yuan. */
  moneyRecovered: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface LedgerPage {
  items: LedgerItem[];
  /** Pass back as `cursor` for the next page; null at the end. */
  nextCursor: string | null;
  /** Counted when asked with `withTotal` (null otherwise); at most 10,000. */
  total: number | null;
  totalCapped: boolean;
}

export interface LedgerQuery {
  view: LedgerView;
  region?: string;
  kind?: string;
  category?: string;
  status?: string[];
  ownerOrgId?: string;
  overdue?: boolean;
  supervised?: boolean;
  /** YYYY-MM-DD, registration date in Beijing time. */
  from?: string;
  to?: string;
  q?: string;
  sort?: LedgerSort;
  cursor?: string;
  limit?: number;
  /** Count the matching rows too (up to 10,000); ask on the first page only. */
  withTotal?: boolean;
}

export interface FileInfo {
  id: string;
  kind: 'image' | 'document';
  mime: string;
  size: number;
  name: string;
  width: number | null;
  height: number | null;
  url: string;
  thumbnailUrl: string | null;
  attached: boolean;
  createdAt: string;
}

export interface MatterEvent {
  seq: number;
  type: string;
  actorName: string | null;
  /** A role, or 'owner', 'raiser', 'system'. */
  actorRole: string | null;
  actorOrgName: string | null;
  fromStatus: string | null;
  toStatus: string | null;
  note: string | null;
  data: Record<string, unknown>;
  /** File ids attached with this step. */
  files: string[];
  at: string;
}

/** A step the viewer may take now (the JSON schema of its fields is in the kind's transitions). */
export interface MatterAction {
  name: string;
  label: LocalizedText;
  noteRequired: boolean;
}

export type Satisfaction = 'satisfied' | 'basically_satisfied' | 'not_satisfied';
export type Outcome = 'resolved' | 'partly_resolved' | 'unresolved' | 'explained';
export const SATISFACTIONS: readonly Satisfaction[] = ['satisfied', 'basically_satisfied', 'not_satisfied'];
export const OUTCOMES: readonly Outcome[] = ['resolved', 'partly_resolved', 'unresolved', 'explained'];
export const RECORD_METHODS = ['mediation', 'visit', 'call', 'other'] as const;
export type RecordMethod = (typeof RECORD_METHODS)[number];

export interface AppealPayload {
  employer?: string;
  platform?: string;
  /** Yuan. */
  amountClaimed?: number;
  /** YYYY-MM-DD. */
  incidentDate?: string;
}

export interface Matter extends Omit<LedgerItem, 'paused'> {
  body: string;
  payload: AppealPayload & Record<string, unknown>;
  raisedByMe: boolean;
  ownerUserId: string | null;
  ownerUserName: string | null;
  pausedSince: string | null;
  mergedInto: string | null;
  events: MatterEvent[];
  files: FileInfo[];
  actions: MatterAction[];
}

/** An organisation a matter may be assigned or transferred to, with the people who work for it. */
export interface OwnerCandidate {
  id: string;
  name: string;
  kind: string;
  regionCode: string;
  members: { id: string; name: string; role: string }[];
}

export interface NewMatter {
  kind: string;
  regionCode: string;
  category: string;
  title: string;
  body: string;
  payload?: AppealPayload;
  channel?: Channel;
  /** The person concerned, when staff register at a desk. */
  contact?: { name: string; phone: string };
  files?: string[];
  priority?: number;
}

export interface StepRequest {
  /** The version the person saw; a stale one is a 409 version_conflict. */
  version: number;
  note?: string | null;
  files?: string[];
  input?: Record<string, unknown>;
}

export interface Rate {
  numerator: number;
  denominator: number;
  /** 0–1, null when there is nothing to divide by. */
  value: number | null;
}

export interface Figures {
  kind: string;
  from: string;
  to: string;
  received: number;
  consultations: number;
  onTimeAssignment: Rate;
  resolution: Rate;
  satisfaction: Rate;
  reopen: Rate;
  averageHoursToClose: number | null;
  moneyRecovered: number;
  byStatus: { status: string; count: number }[];
  byCategory: { category: string; count: number }[];
}

export interface AppNotification {
  id: string;
  matterId: string | null;
  text: LocalizedText;
  readAt: string | null;
  createdAt: string;
}

export interface NotificationList {
  unread: number;
  items: AppNotification[];
}

export interface CalendarDay {
  day: string;
  isWorkday: boolean;
  /** Saturday or Sunday: a workday then is a make-up workday (调休上班). */
  weekend: boolean;
  name: string | null;
  /** 'package': the official arrangement; 'admin': set by an administrator; null: the weekday rule. */
  source: 'package' | 'admin' | null;
  updatedAt: string | null;
}

export interface CalendarYear {
  year: number;
  knownToPackage: boolean;
  workingHours: { start: string; end: string }[];
  summary: { workdays: number; restDays: number; holidays: number; makeUpWorkdays: number };
  days: CalendarDay[];
}
