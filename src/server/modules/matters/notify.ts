// Who hears about a step on a matter. The messages are written in the step's own transaction
// (see notifications/service.ts), so they are never lost or doubled.
import type { Db } from '../../db/connect.js';
import type { Message } from '../../errors.js';
import type { MatterMessageParams } from '../notifications/messages.js';
import { queueNotifications, type NewNotification, type NewOutboxMessage } from '../notifications/service.js';
import * as q from './queries.js';
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
  matter: Matter;
  event: { seq: number; type: string; actor_id: string | null; data: Record<string, unknown>; note: string | null };
  step: Message | undefined;
  audience: readonly Audience[];
  previousOwnerOrgId?: string | null;
}

async function ownerPeople(db: Db, matter: Pick<Matter, 'owner_user_id' | 'owner_org_id'>): Promise<string[]> {
  if (matter.owner_user_id) return [matter.owner_user_id];
  return matter.owner_org_id ? q.findOrganisationMemberIds(db, matter.owner_org_id) : [];
}

export async function notifyTransition(db: Db, notice: TransitionNotice): Promise<void> {
  const { matter, event, workflow } = notice;
  const orgName =
    typeof event.data.ownerOrgName === 'string'
      ? event.data.ownerOrgName
      : matter.owner_org_id
        ? ((await q.findOrganisationBrief(db, matter.owner_org_id))?.name ?? null)
        : null;
  const params: MatterMessageParams = {
    number: matter.number,
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
  const outbox: NewOutboxMessage[] = [];
  const add = (userIds: string[], template: string) => {
    for (const userId of userIds) {
      if (userId === event.actor_id) continue;
      rows.push({ user_id: userId, matter_id: matter.id, event_seq: event.seq, template, params: { ...params } });
    }
  };

  for (const audience of notice.audience) {
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
    if (audience === 'owner') add(await ownerPeople(db, matter), event.type === 'supervise' ? 'matter.supervised' : 'matter.owner');
    if (audience === 'previous_owner' && notice.previousOwnerOrgId && notice.previousOwnerOrgId !== matter.owner_org_id) {
      add(await q.findOrganisationMemberIds(db, notice.previousOwnerOrgId), 'matter.transferred_away');
    }
  }
  // An escalation also reaches the owner's superior organisation.
  const escalatedTo = event.data.escalatedToOrgId;
  if (typeof escalatedTo === 'string') add(await q.findOrganisationMemberIds(db, escalatedTo), 'matter.supervised');
  await queueNotifications(db, rows, outbox);
}
