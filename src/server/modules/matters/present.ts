// What the API shows of matters. Personal fields of the person concerned are masked; the full
// number is a separate, audited action.
import { Type, type Static } from 'typebox';
import { FileOut, presentFile } from '../files/present.js';
import type { FileRow } from '../files/tables.js';
import { isOverdue } from './kinds/index.js';
import type { LedgerRow } from './ledger-queries.js';
import type { Timeline, TimelineEvent } from './queries.js';
import type { Matter } from './tables.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Time = Type.String({ format: 'date-time' });
const Label = Type.Object({ zh: Type.String(), en: Type.String() });

/** Shows a name as its first character and stars: 张** */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 3))}`;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export const LedgerItemOut = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  kind: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  category: Type.String(),
  title: Type.String(),
  channel: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  ownerOrgId: Nullable(Type.String()),
  ownerOrgName: Nullable(Type.String()),
  priority: Type.Integer(),
  dueAt: Nullable(Time),
  paused: Type.Boolean(),
  overdue: Type.Boolean(),
  supervisionLevel: Type.Integer(),
  reopenCount: Type.Integer(),
  satisfaction: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  moneyRecovered: Type.Number(),
  createdAt: Time,
  updatedAt: Time,
  closedAt: Nullable(Time),
});

export function presentLedgerRow(r: LedgerRow): Static<typeof LedgerItemOut> {
  return {
    id: r.id,
    number: Number(r.number),
    kind: r.kind,
    status: r.status,
    version: r.version,
    category: r.category,
    title: r.title,
    channel: r.channel,
    regionCode: r.region_code,
    regionName: r.region_name,
    contactName: maskName(r.contact_name),
    contactPhone: r.contact_phone_masked,
    ownerOrgId: r.owner_org_id,
    ownerOrgName: r.owner_org_name,
    priority: r.priority,
    dueAt: iso(r.due_at),
    paused: r.paused_since !== null,
    overdue: isOverdue(r),
    supervisionLevel: r.supervision_level,
    reopenCount: r.reopen_count,
    satisfaction: r.satisfaction,
    outcome: r.outcome,
    moneyRecovered: Number(r.money_recovered),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    closedAt: iso(r.closed_at),
  };
}

export const EventOut = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  actorName: Nullable(Type.String()),
  actorRole: Nullable(Type.String()),
  actorOrgName: Nullable(Type.String()),
  fromStatus: Nullable(Type.String()),
  toStatus: Nullable(Type.String()),
  note: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  files: Type.Array(Type.String()),
  at: Time,
});

export function presentEvent(e: TimelineEvent): Static<typeof EventOut> {
  // The register event repeats the row; the timeline needs only what it adds.
  const data = e.type === 'register' ? { channel: e.data.channel, category: e.data.category } : e.data;
  return {
    seq: e.seq,
    type: e.type,
    actorName: e.actorName,
    actorRole: e.actor_role,
    actorOrgName: e.actorOrgName,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    note: e.note,
    data,
    files: e.files,
    at: e.at.toISOString(),
  };
}

export const MatterOut = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  kind: Type.String(),
  status: Type.String(),
  version: Type.Integer(),
  category: Type.String(),
  title: Type.String(),
  body: Type.String(),
  payload: Type.Record(Type.String(), Type.Unknown()),
  channel: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  raisedByMe: Type.Boolean(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  ownerOrgId: Nullable(Type.String()),
  ownerOrgName: Nullable(Type.String()),
  ownerUserId: Nullable(Type.String()),
  ownerUserName: Nullable(Type.String()),
  priority: Type.Integer(),
  dueAt: Nullable(Time),
  pausedSince: Nullable(Time),
  overdue: Type.Boolean(),
  supervisionLevel: Type.Integer(),
  reopenCount: Type.Integer(),
  outcome: Nullable(Type.String()),
  satisfaction: Nullable(Type.String()),
  moneyRecovered: Type.Number(),
  mergedInto: Nullable(Type.String()),
  createdAt: Time,
  updatedAt: Time,
  closedAt: Nullable(Time),
  events: Type.Array(EventOut),
  files: Type.Array(FileOut),
  actions: Type.Array(Type.Object({ name: Type.String(), label: Label, noteRequired: Type.Boolean() })),
});

export interface MatterDetail {
  matter: Matter;
  names: Timeline['names'];
  events: TimelineEvent[];
  files: FileRow[];
  actions: { name: string; label: { zh: string; en: string }; noteRequired: boolean }[];
  isStaffView: boolean;
}

export function presentMatter(d: MatterDetail, viewerId: string): Static<typeof MatterOut> {
  const m = d.matter;
  return {
    id: m.id,
    number: Number(m.number),
    kind: m.kind,
    status: m.status,
    version: m.version,
    category: m.category,
    title: m.title,
    body: m.body,
    payload: m.payload,
    channel: m.channel,
    regionCode: m.region_code,
    regionName: d.names.region,
    raisedByMe: m.raised_by === viewerId,
    contactName: d.isStaffView ? m.contact_name : maskName(m.contact_name),
    contactPhone: m.contact_phone_masked,
    ownerOrgId: m.owner_org_id,
    ownerOrgName: d.names.ownerOrg,
    ownerUserId: m.owner_user_id,
    ownerUserName: d.names.ownerUser,
    priority: m.priority,
    dueAt: iso(m.due_at),
    pausedSince: iso(m.paused_since),
    overdue: isOverdue(m),
    supervisionLevel: m.supervision_level,
    reopenCount: m.reopen_count,
    outcome: m.outcome,
    satisfaction: m.satisfaction,
    moneyRecovered: Number(m.money_recovered),
    mergedInto: m.merged_into,
    createdAt: m.created_at.toISOString(),
    updatedAt: m.updated_at.toISOString(),
    closedAt: iso(m.closed_at),
    events: d.events.map(presentEvent),
    files: d.files.map(presentFile),
    actions: d.actions,
  };
}
