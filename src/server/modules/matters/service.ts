// Reading one matter: its row, its timeline and the steps the actor may take now; revealing the
// contact's phone number to staff (with a reason, audited).
import type { AppContext, Origin } from '../../context.js';
import type { Db } from '../../db/connect.js';
import { errors } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { loadFiles } from '../files/service.js';
import { hasRoleAt, requireActor, type Actor } from '../identity/access.js';
import { canSeeMatter, MATTER_STAFF_ROLES, partyOf } from './access.js';
import { WORKFLOWS, workflowOf } from './kinds/index.js';
import * as q from './queries.js';
import type { Matter } from './tables.js';

export async function requireVisibleMatter(db: Db, actor: Actor | null, id: string): Promise<{ me: Actor; matter: Matter }> {
  const me = requireActor(actor);
  const matter = await q.findMatterById(db, id);
  // Out of reach looks the same as missing.
  if (!matter || !canSeeMatter(me, matter)) throw errors.matterNotFound({ id });
  return { me, matter };
}

/** For attachments: may the actor see this matter (and so its files)? */
export async function canReadMatter(ctx: AppContext, actor: Actor, matterId: string): Promise<boolean> {
  const matter = await q.findMatterById(ctx.db, matterId);
  return !!matter && canSeeMatter(actor, matter);
}

/** The steps the actor may take on the matter in its current state. */
export function availableActions(me: Actor, matter: Matter) {
  const workflow = workflowOf(matter.kind);
  return Object.entries(workflow.transitions)
    .filter(([, t]) => t.from.includes(matter.status) && partyOf(me, t.by, matter) !== null)
    .filter(([, t]) => !(t.effect === 'pause' && matter.paused_since) && !(t.effect === 'resume' && !matter.paused_since))
    .map(([name, t]) => ({ name, label: t.label, noteRequired: t.noteRequired ?? false }));
}

/**
 * One matter for its page; `known` is the row when the caller has just read or written it, with
 * its timeline when the step read that too.
 */
export async function getMatterDetail(ctx: AppContext, actor: Actor | null, id: string, known?: Matter, timeline?: q.Timeline | null) {
  const { me, matter } = known ? { me: requireActor(actor), matter: known } : await requireVisibleMatter(ctx.db, actor, id);
  const { events, names } = timeline ?? (await q.findTimelineWithNames(ctx.db, matter));
  const fileIds = [...new Set(events.flatMap((e) => e.files))];
  const files = fileIds.length ? await loadFiles(ctx.db, fileIds) : [];
  return {
    matter,
    names,
    events,
    files,
    actions: availableActions(me, matter),
    isStaffView: hasRoleAt(me, MATTER_STAFF_ROLES, matter.region_path) || partyOf(me, ['owner'], matter) !== null,
  };
}

export async function revealContactPhone(
  ctx: AppContext,
  actor: Actor | null,
  id: string,
  reason: string,
  origin: Origin,
): Promise<string | null> {
  const { me, matter } = await requireVisibleMatter(ctx.db, actor, id);
  // Staff of the region or the owner may see it; the person who raised it knows their own number.
  const staff = hasRoleAt(me, MATTER_STAFF_ROLES, matter.region_path) || partyOf(me, ['owner'], matter) === 'owner';
  if (!staff) throw errors.forbidden();
  if (!matter.contact_phone_cipher) return null;
  await appendAudit(ctx.db, {
    actor: me,
    action: 'matter.reveal_contact',
    target: { type: 'matter', id, regionPath: matter.region_path, districtCode: matter.district_code },
    note: reason,
    origin,
  });
  return ctx.crypto.decrypt(matter.contact_phone_cipher);
}

/** The kinds, their states, categories and steps, for the apps to draw forms and labels. */
export function describeKinds() {
  return Object.values(WORKFLOWS).map((w) => ({
    kind: w.kind,
    label: w.label,
    initial: w.initial,
    states: Object.entries(w.states).map(([name, s]) => ({ name, label: s.label, final: s.final ?? false, clock: s.clock ?? false })),
    categories: Object.entries(w.categories).map(([name, c]) => ({ name, label: c.label, handleDays: c.handleDays })),
    transitions: Object.entries(w.transitions).map(([name, t]) => ({
      name,
      label: t.label,
      from: [...t.from],
      noteRequired: t.noteRequired ?? false,
      // The JSON schema of the step's fields: here once, not on every matter's list of actions.
      input: t.input,
    })),
    payload: w.payload,
  }));
}

/** Who an actor assigning or transferring this matter may choose from. */
export async function ownerCandidates(ctx: AppContext, actor: Actor | null, id: string) {
  const { me, matter } = await requireVisibleMatter(ctx.db, actor, id);
  const workflow = workflowOf(matter.kind);
  const assigning = Object.values(workflow.transitions).some((t) => t.effect === 'owner' && partyOf(me, t.by, matter) !== null);
  if (!assigning) throw errors.forbidden();
  return q.findOwnerCandidates(ctx.db, matter);
}
