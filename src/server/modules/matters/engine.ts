// The matter engine: registering a matter and taking a transition on it. Each checks the workflow
// declaration and the actor, then writes in ONE statement (db/together.ts): the row folded from
// the event, the event, the messages and the audit row, all or nothing. A transition's update is
// guarded by the version, so of two people acting at once one wins and the other gets 409. When
// a step writes more than that (files, a kind's own hook, a merge) it all runs in a transaction.
import { randomUUID } from 'node:crypto';
import type { AppContext, Origin } from '../../context.js';
import { maskPhone } from '../../crypto/fields.js';
import type { Db } from '../../db/connect.js';
import { inTransaction } from '../../db/transaction.js';
import type { Sql } from '../../db/statement.js';
import { expectFailed, writeTogether, type Write } from '../../db/together.js';
import { errors } from '../../errors.js';
import { auditWrite } from '../audit/service.js';
import { getWorkCalendar } from '../calendar/service.js';
import { attachFiles } from '../files/service.js';
import { requireActor, type Actor } from '../identity/access.js';
import { canSeeMatter, partyOf, SYSTEM, type MatterActor } from './access.js';
import { makeClock } from './clock.js';
import { EFFECTS } from './effects.js';
import { applyEvent, type FoldEvent, type MatterState, type RegisterData } from './fold.js';
import { workflowOf } from './kinds/index.js';
import { transitionNotices } from './notify.js';
import { organisationBrief, regionPlacement, type Placement } from './placement.js';
import * as q from './queries.js';
import type { Matter } from './tables.js';
import { checkInput, type CompiledWorkflow } from './workflow.js';

export const DESK_CHANNELS = ['desk', 'phone', 'hotline', 'walk_in'] as const;
export type Channel = 'app' | (typeof DESK_CHANNELS)[number];

const finalStatesCache = new WeakMap<CompiledWorkflow, ReadonlySet<string>>();
export function finalStates(workflow: CompiledWorkflow): ReadonlySet<string> {
  let set = finalStatesCache.get(workflow);
  if (!set) {
    set = new Set(
      Object.entries(workflow.states)
        .filter(([, s]) => s.final)
        .map(([name]) => name),
    );
    finalStatesCache.set(workflow, set);
  }
  return set;
}

export function stateOf(matter: Matter): MatterState {
  const { contact_name, contact_phone_cipher, contact_phone_index, contact_phone_masked, is_demo, number, ...state } = matter;
  return { ...state, money_recovered: Number(state.money_recovered) };
}

/** Internal options: demo data and imports may date their events in the past. */
export interface EngineOptions {
  at?: Date;
  isDemo?: boolean;
  /** Data the system adds to its own transitions (the supervision job's level). */
  system?: Record<string, unknown>;
  /**
   * Set by a kind's own intake (see WorkflowDecl.ownIntake), which has checked the person and the
   * category: who raised it (null: from outside, e.g. Open311) and the channel it came by.
   */
  intake?: {
    raisedBy: string | null;
    channel: string;
    /** The region's placement when the intake has it at hand (saves a look-up per report). */
    region?: Placement;
  };
  /** A kind's own rows written by the same statement as the new matter (a report's row). */
  also?: (matterId: string) => Write[];
  /** Read the timeline after the step within the step's own statement (for an answer that shows it). */
  timeline?: boolean;
}

/** A matter after a step, with its timeline when EngineOptions.timeline asked for it. */
export interface Stepped {
  matter: Matter;
  timeline: q.Timeline | null;
}

export interface RegisterInput {
  kind: string;
  regionCode: string;
  category: string;
  title: string;
  body: string;
  payload?: Record<string, unknown>;
  channel?: Channel;
  /** The person concerned, when staff register for them (a walk-in, a phone call). */
  contact?: { name: string; phone: string };
  files?: string[];
  priority?: number;
}

function actorId(actor: MatterActor): string | null {
  return actor === SYSTEM ? null : actor.userId;
}

function staffOrgOf(actor: MatterActor, role: string | null): string | null {
  if (actor === SYSTEM) return null;
  return (
    actor.grants.find((g) => g.role === role && g.organisationId)?.organisationId ??
    actor.grants.find((g) => g.organisationId)?.organisationId ??
    null
  );
}

export async function registerMatter(
  ctx: AppContext,
  actor: MatterActor | null,
  input: RegisterInput,
  origin: Origin | null,
  options: EngineOptions = {},
): Promise<Stepped> {
  const signedIn = actor === SYSTEM ? SYSTEM : requireActor(actor);
  const workflow = workflowOf(input.kind);
  if (workflow.ownIntake && !options.intake) throw errors.forbidden({ kind: input.kind, reason: 'own_intake' });
  if (!options.intake && !workflow.categories[input.category]) throw errors.categoryUnknown({ category: input.category });
  const payload = checkInput<Record<string, unknown>>(workflow.validatePayload, input.payload ?? {}, 'payload');

  const known = options.intake?.region;
  const region = known?.code === input.regionCode ? known : await regionPlacement(ctx, input.regionCode);
  if (!region || region.level === 'city') throw errors.regionNotFound({ code: input.regionCode });
  const placement = { region_path: region.path, raised_by: null, owner_org_id: null, owner_user_id: null };

  // Two ways in: a worker for themselves in the app, or staff at a desk for somebody else.
  let role: string | null = null;
  let raisedBy: string | null = null;
  let channel: string;
  let contact: q.Contact = { contact_name: null, contact_phone_cipher: null, contact_phone_index: null, contact_phone_masked: null };
  let raiser: Sql | undefined;
  if (options.intake) {
    role = signedIn === SYSTEM ? null : (signedIn.grants.find((g) => workflow.selfRegisterBy.includes(g.role))?.role ?? null);
    raisedBy = options.intake.raisedBy;
    channel = options.intake.channel;
  } else if (input.contact || (signedIn !== SYSTEM && !signedIn.grants.some((g) => workflow.selfRegisterBy.includes(g.role)))) {
    if (signedIn !== SYSTEM) {
      role = partyOf(signedIn, workflow.registerBy, placement);
      if (!role) throw errors.forbidden();
    }
    if (!input.contact) throw errors.contactRequired();
    const phoneIndex = ctx.crypto.blindIndex('phone', input.contact.phone);
    // A registered worker sees what staff registered for them in their own app: the insert itself
    // finds their account, and the event records whom it found.
    raiser = q.raiserByPhone(phoneIndex);
    channel = input.channel && input.channel !== 'app' ? input.channel : 'desk';
    contact = {
      contact_name: input.contact.name.trim(),
      contact_phone_cipher: ctx.crypto.encrypt(input.contact.phone),
      contact_phone_index: phoneIndex,
      contact_phone_masked: maskPhone(input.contact.phone),
    };
  } else {
    role = signedIn === SYSTEM ? null : (signedIn.grants.find((g) => workflow.selfRegisterBy.includes(g.role))?.role ?? null);
    raisedBy = actorId(signedIn);
    channel = 'app';
  }

  const at = options.at ?? new Date();
  const id = randomUUID();
  const data: RegisterData = {
    kind: workflow.kind,
    regionCode: region.code,
    regionPath: region.path,
    districtCode: region.district_code,
    streetCode: region.street_code,
    category: input.category,
    title: input.title.trim(),
    body: input.body.trim(),
    payload,
    channel,
    raisedBy,
    priority: input.priority ?? 2,
  };
  const event: q.NewEvent = {
    matter_id: id,
    seq: 1,
    type: 'register',
    actor_id: actorId(signedIn),
    actor_role: role,
    actor_org_id: staffOrgOf(signedIn, role),
    from_status: null,
    to_status: workflow.initial,
    note: null,
    data: data as unknown as Record<string, unknown>,
    files: input.files ?? [],
    at,
  };
  const state = applyEvent(null, event, finalStates(workflow));

  const write = async (db: Db): Promise<Stepped> => {
    const raiserFromMain = raiser !== undefined;
    const others: Write[] = [
      q.insertEventQuery(event, raiserFromMain),
      ...(await transitionNotices(db, {
        workflow,
        matter: state,
        event,
        step: workflow.states[workflow.initial]?.label,
        audience: ['raiser'],
        raiserFromMain,
      })),
    ];
    if (signedIn !== SYSTEM && channel !== 'app') others.push(auditEvent(signedIn, state, event, origin));
    others.push(...(options.also?.(id) ?? []));
    const main = q.insertMatterQuery(state, contact, options.isDemo, raiser);
    const [written] = await writeTogether<{ number: number; raised_by: string | null }>(db, { main, others });
    if (!written) throw new Error('the matter was not written');
    if (raiserFromMain) {
      state.raised_by = written.raised_by;
      event.data.raisedBy = written.raised_by;
    }
    const matter: Matter = { ...state, ...contact, is_demo: options.isDemo ?? false, number: Number(written.number) };
    if (event.files.length > 0 && signedIn !== SYSTEM) await attachFiles(db, signedIn, event.files, { type: 'matter', id });
    return { matter, timeline: options.timeline ? await newTimeline(db, signedIn, region, state, event) : null };
  };
  return event.files.length > 0 ? inTransaction(ctx.db, write) : write(ctx.db);
}

/**
 * A new matter's timeline is its one event, named from what is at hand: the actor's own session,
 * the region's placement and the organisation's brief (both kept), so registering reads nothing.
 */
async function newTimeline(db: Db, actor: MatterActor, region: Placement, state: MatterState, event: q.NewEvent): Promise<q.Timeline> {
  // A kind that gives a new matter an owner at once names it from the database.
  if (state.owner_org_id || state.owner_user_id) return q.findTimelineWithNames(db, state);
  const org = event.actor_org_id ? await organisationBrief(db, event.actor_org_id) : undefined;
  return {
    events: [q.stepEvent(event, actor === SYSTEM ? null : actor.displayName, org?.name ?? null)],
    names: { region: q.regionChainName(region.name, region.ancestors), ownerOrg: null, ownerUser: null },
  };
}

export interface TransitionRequest {
  matterId: string;
  name: string;
  /** The version the actor saw; a stale one is a 409 with the current state. */
  version: number;
  note?: string | null;
  files?: string[];
  input?: Record<string, unknown>;
}

/** A transition lost the race: somebody moved the matter on since the version it read. */
class StaleVersion extends Error {}

export async function takeTransition(
  ctx: AppContext,
  actor: MatterActor | null,
  request: TransitionRequest,
  origin: Origin | null,
  options: EngineOptions = {},
): Promise<Stepped & { event: q.NewEvent }> {
  const signedIn = actor === SYSTEM ? SYSTEM : requireActor(actor);
  const calendar = await getWorkCalendar(ctx);
  const matter = await q.findMatterById(ctx.db, request.matterId);
  if (!matter || (signedIn !== SYSTEM && !canSeeMatter(signedIn, matter))) throw errors.matterNotFound({ id: request.matterId });
  const workflow = workflowOf(matter.kind);
  const decl = workflow.transitions[request.name];
  const validator = workflow.validateInput[request.name];
  if (!decl || !validator) throw errors.transitionUnknown({ name: request.name, kind: matter.kind });
  const take = async (db: Db): Promise<Stepped & { event: q.NewEvent }> => {
    const current = { status: matter.status, version: matter.version };
    if (request.version !== matter.version) throw errors.versionConflict(current);
    if (!decl.from.includes(matter.status)) throw errors.transitionNotAllowed({ ...current, transition: request.name });

    let role: string | null = null;
    if (signedIn === SYSTEM) {
      if (!options.system) throw errors.forbidden();
    } else {
      role = partyOf(signedIn, decl.by, matter);
      if (!role) throw errors.forbidden({ transition: request.name });
    }
    const input = checkInput<Record<string, unknown>>(validator, request.input ?? {}, 'input');
    const note = request.note?.trim() || null;
    if (decl.noteRequired && !note) throw errors.noteRequired({ transition: request.name });
    if (decl.filesRequired && !request.files?.length) throw errors.filesRequired({ transition: request.name });

    const now = options.at ?? new Date();
    const clock = makeClock(calendar, now);
    const args = { ctx, trx: db, actor: signedIn, matter, workflow, input, clock, now, system: options.system };
    const prepared = decl.before ? await decl.before({ ...args, files: request.files ?? [], note }) : undefined;
    if (prepared?.input) args.input = { ...input, ...prepared.input };
    const data = { ...(await EFFECTS[decl.effect](args)), ...prepared?.data };
    const to = typeof decl.to === 'function' ? decl.to(input) : (decl.to ?? null);
    const event: q.NewEvent = {
      matter_id: matter.id,
      seq: matter.version + 1,
      type: request.name,
      actor_id: actorId(signedIn),
      actor_role: role ?? (signedIn === SYSTEM ? 'system' : null),
      actor_org_id: staffOrgOf(signedIn, role),
      from_status: matter.status,
      to_status: to,
      note,
      data,
      files: request.files ?? [],
      at: now,
    };
    const next = applyEvent(stateOf(matter), event as FoldEvent, finalStates(workflow));
    const others: Write[] = [
      q.insertEventQuery(event),
      ...(await transitionNotices(db, {
        workflow,
        matter: { ...next, number: matter.number },
        event,
        step: to ? workflow.states[to]?.label : decl.label,
        audience: decl.notify ?? [],
        previousOwnerOrgId: matter.owner_org_id,
      })),
    ];
    const staffRole = role && role !== 'raiser' && !(role === 'worker');
    if (signedIn !== SYSTEM && staffRole) others.push(auditEvent(signedIn, next, event, origin, current));
    const read = options.timeline ? q.timelineRead({ ...matter, ...next }, event) : undefined;
    let written: { id: string; nx_read?: unknown }[];
    try {
      written = await writeTogether(db, {
        main: q.updateMatterChangesQuery(stateOf(matter), next),
        others,
        expectOne: 'version_conflict',
        read,
      });
    } catch (error) {
      // The guarded update found another version, or the winner's event took this seq first.
      if (expectFailed(error) === 'version_conflict' || isEventSeqTaken(error)) throw new StaleVersion();
      throw error;
    }
    if (written.length !== 1) throw new StaleVersion();
    // The row is its fold: what was there, with what changed.
    const updated: Matter = { ...matter, ...next };
    if (event.files.length > 0 && signedIn !== SYSTEM) await attachFiles(db, signedIn, event.files, { type: 'matter', id: matter.id });
    if (decl.effect === 'merge') await noteMergeOnTarget(db, signedIn, matter, data.intoMatterId as string, now);
    return { matter: updated, event, timeline: read ? q.timelineAfterStep(written[0]?.nx_read, event) : null };
  };
  // Files, a kind's own hook and a merge write beyond the one statement: then all in one transaction.
  const alone = !decl.before && decl.effect !== 'merge' && !request.files?.length;
  try {
    return alone ? await take(ctx.db) : await inTransaction(ctx.db, take);
  } catch (error) {
    if (!(error instanceof StaleVersion)) throw error;
    // Read afresh outside the failed statement (a transaction it ran in is over).
    const fresh = ctx.db.isTransaction ? matter : await q.findMatterById(ctx.db, request.matterId);
    throw errors.versionConflict({ status: fresh?.status, version: fresh?.version });
  }
}

function isEventSeqTaken(error: unknown): boolean {
  const e = error as { code?: string; constraint?: string; message?: string };
  return e?.code === '23505' && `${e.constraint ?? ''} ${e.message ?? ''}`.includes('matter_events');
}

/** The matter a duplicate was merged into shows it on its own timeline (no state change). */
async function noteMergeOnTarget(trx: Db, actor: MatterActor, source: Matter, targetId: string, at: Date): Promise<void> {
  const target = await q.lockMatter(trx, targetId);
  if (!target) throw errors.mergeTargetInvalid({ intoMatterId: targetId });
  const event: q.NewEvent = {
    matter_id: target.id,
    seq: target.version + 1,
    type: 'absorb',
    actor_id: actorId(actor),
    actor_role: null,
    actor_org_id: null,
    from_status: target.status,
    to_status: null,
    note: null,
    data: { fromMatterId: source.id, fromNumber: source.number },
    files: [],
    at,
  };
  const next = applyEvent(stateOf(target), event, finalStates(workflowOf(target.kind)));
  if (!(await q.updateMatterState(trx, next, target.version))) throw errors.versionConflict({ id: target.id });
  await q.insertEvent(trx, event);
}

function auditEvent(
  actor: Actor,
  matter: Pick<Matter, 'id' | 'region_path' | 'district_code' | 'status' | 'version' | 'owner_org_id' | 'due_at'>,
  event: q.NewEvent,
  origin: Origin | null,
  before?: { status: string; version: number },
): Write {
  return auditWrite({
    actor,
    action: `matter.${event.type}`,
    target: { type: 'matter', id: matter.id, regionPath: matter.region_path, districtCode: matter.district_code },
    before: before ?? null,
    after: { status: matter.status, version: matter.version, ownerOrgId: matter.owner_org_id, dueAt: matter.due_at },
    note: event.note,
    origin,
  });
}
