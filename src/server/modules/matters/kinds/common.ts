// Inputs and steps that kinds declare alike: the clock's pause and resume, supervision, a reply's
// fields and an owner. A kind spreads these into its transitions and names its own states.
import { Type } from 'typebox';
import type { Audience, TransitionDecl } from '../workflow.js';

export const Uuid = Type.String({ format: 'uuid' });
export const Empty = Type.Object({}, { additionalProperties: false });
export const Reason = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

/** The owner a step hands the matter to (assign, transfer, dispatch). */
export const Owner = {
  ownerOrgId: Uuid,
  ownerUserId: Type.Optional(Uuid),
  /** An explicit deadline; otherwise the category's working days. */
  dueAt: Type.Optional(Type.String({ format: 'date-time' })),
};

/** What the owner tells the person who raised it, and how it ended. */
export const ReplyInput = Type.Object(
  {
    reply: Type.String({ minLength: 1, maxLength: 2000 }),
    outcome: Type.Union([Type.Literal('resolved'), Type.Literal('partly_resolved'), Type.Literal('unresolved'), Type.Literal('explained')]),
  },
  { additionalProperties: false },
);

/** The owner stops the clock with a reason (waiting for the worker, for a third party …). */
export function pauseStep(from: readonly string[], notify?: readonly Audience[]): TransitionDecl {
  return {
    label: { zh: '暂停计时', en: 'Pause the clock' },
    from,
    by: ['owner'],
    input: Reason,
    effect: 'pause',
    ...(notify ? { notify } : {}),
  };
}

export function resumeStep(from: readonly string[]): TransitionDecl {
  return { label: { zh: '恢复计时', en: 'Resume the clock' }, from, by: ['owner'], input: Empty, effect: 'resume' };
}

/** 督办: a coordinator or administrator presses the owner, with a note; the owner hears of it. */
export function superviseStep(from: readonly string[]): TransitionDecl {
  return {
    label: { zh: '督办', en: 'Supervise' },
    from,
    by: ['coordinator', 'admin'],
    input: Empty,
    effect: 'supervise',
    noteRequired: true,
    notify: ['owner'],
  };
}
