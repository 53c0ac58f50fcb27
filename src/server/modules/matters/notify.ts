// Who hears about a step on a matter. The messages are written by the step's own statement
// (see notifications/service.ts), so they are never lost or doubled.
import type { Db } from '../../db/connect.js';
import type { Write } from '../../db/together.js';
import type { Message } from '../../errors.js';
import type { MatterMessageParams } from '../notifications/messages.js';
import { notificationWrites, type MemberNotice, type NewNotification, type NewOutboxMessage, type RaiserNotice } from '../notifications/service.js';
import { organisationBrief } from './placement.js';
import type { Matter } from './tables.js';
import type { Audience, CompiledWorkflow } from './workflow.js';

const SUPERVISION_STEPS: Record<number, Message> = {
  1: { zh: '即将到期', en: 'due soon' },
  2: { zh: '已超期', en: 'overdue' },
  3: { zh: '超期提级督办', en: 'overdue, escalated' },
};

/** Steps worth a text message to the person who raised the matter. */
const TEXTED_STEPS = new Set(['assign', 'reply', 'reject']);

export interface TransitionNotice {
  workflow: CompiledWorkflow;
  /** The matter after the step; without its number when the same statement inserts it (register). */
  matter: Pick<Matter, 'id' | 'title' | 'raised_by' | 'owner_user_id' | 'owner_org_id' | 'due_at'> & { number?: Matter['number'] };
  event: { seq: number; type: string; actor_id: string | null; data: Record<string, unknown>; note: string | null };
  step: Message | undefined;
  audience: readonly Audience[];
  previousOwnerOrgId?: string | null;
  /** Who raised it is found by the insert of the same statement (registering by phone number). */
  raiserFromMain?: boolean;
}

/** The writes that tell the people concerned, to go with the step's own writes. */
export async function transitionNotices(db: Db, notice: TransitionNotice): Promise<Write[]> {
  const { matter, event, workflow } = notice;
  const orgName =
    typeof event.data.ownerOrgName === 'string'
      ? event.data.ownerOrgName
      : matter.owner_org_id
        ? ((await organisationBrief(db, matter.owner_org_id))?.name ?? null)
        : null;
  const params: MatterMessageParams = {
    // A matter inserted by the same statement gets its number there (numberFromMain).
    number: matter.number ?? 0,
    title: matter.title,
    kind: workflow.label,
    step:
      event.type === 'supervise'
        ? (SUPERVISION_STEPS[Number(event.data.supervisionLevel)] ?? { zh: '督办', en: 'supervised' })
        : (notice.step ?? { zh: event.type, en: event.type }),
    org: orgName,
    dueAt: matter.due_at?.toISOString() ?? null,
    note: event.note,
  };
  const rows: NewNotification[] = [];
  const members: MemberNotice[] = [];
  const outbox: NewOutboxMessage[] = [];
  let raiserFromMain: RaiserNotice | undefined;
  const add = (userIds: string[], template: string) => {
    for (const userId of userIds) {
      if (userId === event.actor_id) continue;
      rows.push({ user_id: userId, matter_id: matter.id, event_seq: event.seq, template, params: { ...params } });
    }
  };
  // Everyone who works for the organisation, found by the insert itself (no look-up first).
  const addMembers = (organisationId: string, template: string) => {
    members.push({ organisationId, exceptUserId: event.actor_id, matterId: matter.id, eventSeq: event.seq, template, params: { ...params } });
  };

  for (const audience of notice.audience) {
    // Registering is never texted, so the message in the app is all there is to send.
    if (audience === 'raiser' && notice.raiserFromMain) {
      raiserFromMain = { exceptUserId: event.actor_id, eventSeq: event.seq, template: 'matter.raiser', params: { ...params } };
    }
    if (audience === 'raiser' && matter.raised_by) {
      add([matter.raised_by], 'matter.raiser');
      if (TEXTED_STEPS.has(event.type) && matter.raised_by !== event.actor_id) {
        outbox.push({
          channel: 'sms',
          user_id: matter.raised_by,
          template: 'matter_update',
          params: { number: String(matter.number), step: params.step.zh },
          dedupe_key: `matter:${matter.id}:${event.seq}:sms`,
        });
      }
    }
    if (audience === 'owner') {
      const template = event.type === 'supervise' ? 'matter.supervised' : 'matter.owner';
      if (matter.owner_user_id) add([matter.owner_user_id], template);
      else if (matter.owner_org_id) addMembers(matter.owner_org_id, template);
    }
    if (audience === 'previous_owner' && notice.previousOwnerOrgId && notice.previousOwnerOrgId !== matter.owner_org_id) {
      addMembers(notice.previousOwnerOrgId, 'matter.transferred_away');
    }
  }
  // An escalation also reaches the owner's superior organisation.
  const escalatedTo = event.data.escalatedToOrgId;
  if (typeof escalatedTo === 'string') addMembers(escalatedTo, 'matter.supervised');
  return notificationWrites({ rows, members, outbox, numberFromMain: matter.number === undefined, raiserFromMain });
}
