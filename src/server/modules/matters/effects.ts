// What each kind of transition does, implemented once for every workflow (see workflow.ts Effect).
// An effect checks what only it can check and returns the event's data: the decisions the fold
// will apply (the owner, the computed deadline …).
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import type { Actor } from '../identity/access.js';
import { canSeeMatter, type MatterActor } from './access.js';
import type { Clock } from './clock.js';
import * as q from './queries.js';
import { organisationBrief } from './placement.js';
import type { Matter } from './tables.js';
import type { CompiledWorkflow, Effect } from './workflow.js';

export interface EffectArgs {
  ctx: AppContext;
  trx: Db;
  actor: MatterActor;
  matter: Matter;
  workflow: CompiledWorkflow;
  input: Record<string, unknown>;
  clock: Clock;
  now: Date;
  /** Set by the system's own transitions (the supervision job). */
  system?: Record<string, unknown>;
}

type EffectFn = (args: EffectArgs) => Promise<Record<string, unknown>>;

const MAX_DEADLINE_DAYS = 366;

async function owner({ trx, matter, workflow, input, clock, now }: EffectArgs): Promise<Record<string, unknown>> {
  const orgId = input.ownerOrgId as string;
  const org = await organisationBrief(trx, orgId);
  if (!org) throw errors.organisationNotFound({ id: orgId });
  // The owner works over the matter's region: an office above it (a district bureau for a
  // street's matter) or an organisation inside the same district.
  const above = matter.region_path === org.region_path || matter.region_path.startsWith(`${org.region_path}.`);
  const sameDistrict = org.district_code !== null && org.district_code === matter.district_code;
  if (!above && !sameDistrict) throw errors.ownerOutOfRegion({ ownerOrgId: orgId });
  const userId = (input.ownerUserId as string | undefined) ?? null;
  if (userId && !(await q.findOrganisationMemberIds(trx, orgId)).includes(userId)) throw errors.ownerNotMember({ ownerUserId: userId });

  let dueAt: Date;
  if (typeof input.dueAt === 'string') {
    dueAt = new Date(input.dueAt);
    if (!(dueAt > now) || dueAt.getTime() - now.getTime() > MAX_DEADLINE_DAYS * 86_400_000)
      throw errors.deadlineInvalid({ dueAt: input.dueAt });
  } else {
    const days = workflow.categories[matter.category]?.handleDays ?? 10;
    dueAt = clock.addWorkingDays(now, days);
  }
  return {
    ownerOrgId: orgId,
    ownerOrgName: org.name,
    ownerUserId: userId,
    dueAt: dueAt.toISOString(),
    previousOwnerOrgId: matter.owner_org_id,
  };
}

async function pause({ matter, input, clock, now }: EffectArgs): Promise<Record<string, unknown>> {
  if (matter.paused_since) throw errors.clockAlreadyPaused();
  const remaining = matter.due_at ? clock.workingMinutesLeft(now, matter.due_at) : null;
  return { reason: input.reason, pausedAt: now.toISOString(), remainingMinutes: remaining };
}

async function resume({ matter, clock, now }: EffectArgs): Promise<Record<string, unknown>> {
  if (!matter.paused_since) throw errors.clockNotPaused();
  const remaining = matter.clock_remaining_minutes;
  const dueAt = remaining === null ? matter.due_at : clock.addWorkingMinutes(now, remaining);
  return { resumed: true, dueAt: dueAt ? dueAt.toISOString() : null, pausedMinutes: clock.workingMinutesBetween(matter.paused_since, now) };
}

async function merge({ trx, actor, matter, input }: EffectArgs): Promise<Record<string, unknown>> {
  const targetId = input.intoMatterId as string;
  const target = targetId === matter.id ? undefined : await q.findMatterById(trx, targetId);
  const visible = target && (actor === 'system' || canSeeMatter(actor as Actor, target));
  if (!target || !visible || target.kind !== matter.kind || target.closed_at) throw errors.mergeTargetInvalid({ intoMatterId: targetId });
  return { intoMatterId: target.id, intoNumber: target.number };
}

async function supervise({ matter, system }: EffectArgs): Promise<Record<string, unknown>> {
  // Staff supervising by hand raise it to at least "supervised"; the job says which level.
  const level = typeof system?.supervisionLevel === 'number' ? system.supervisionLevel : Math.max(matter.supervision_level, 2);
  return { ...system, supervisionLevel: level };
}

const copyInput: EffectFn = async ({ input }) => ({ ...input });

export const EFFECTS: Record<Effect, EffectFn> = {
  owner,
  pause,
  resume,
  merge,
  supervise,
  reply: copyInput,
  rate: copyInput,
  record: copyInput,
  none: copyInput,
};
