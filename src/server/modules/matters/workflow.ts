// The shape of a workflow declaration. A kind of matter (an appeal, a photo report, a need …) is
// one WorkflowDecl plus a payload schema: states, transitions, who may take each, what each
// needs and what it does to the clock. The engine (engine.ts) reads these and nothing else.
import { Compile, type Validator } from 'typebox/compile';
import type { TObject } from 'typebox';
import { AppError, errors, type Message } from '../../errors.js';
import type { Role } from '../identity/tables.js';
import type { EffectArgs } from './effects.js';

/** Who may take a transition: a role over the matter's region, the person who raised it, or its owner. */
export type Party = Role | 'raiser' | 'owner';

/**
 * What a transition does beyond moving the state, implemented once in effects.ts:
 * - owner: sets the owning organisation and person and starts a fresh deadline (assign, transfer)
 * - pause / resume: stops and restarts the clock
 * - reply: records the answer to the person who raised it; the clock stops
 * - rate: records satisfaction; "not satisfied" reopens
 * - record: a record of work done (a mediation session, a visit), may carry money recovered
 * - merge: folds a duplicate into another matter
 * - supervise: raises the supervision level
 * - none: just the state change and the note
 */
export type Effect = 'owner' | 'pause' | 'resume' | 'reply' | 'rate' | 'record' | 'merge' | 'supervise' | 'none';

/** Who hears about a transition in the app (and, for the raiser, by text message). */
export type Audience = 'raiser' | 'owner' | 'previous_owner';

export interface TransitionDecl {
  label: Message;
  from: readonly string[];
  /** The state it leads to; a function of the input when it branches; absent: the state stays. */
  to?: string | ((input: Record<string, unknown>) => string);
  by: readonly Party[];
  /** The transition's own fields; a missing required field is a 400 naming it. */
  input: TObject;
  effect: Effect;
  /** A note is required (a reason for a transfer or a rejection). */
  noteRequired?: boolean;
  notify?: readonly Audience[];
  /** At least one file must come with it (a report is closed with an "after" photo). */
  filesRequired?: boolean;
  /**
   * The kind's own work, in the transition's transaction after every check and before the effect:
   * it may add to the input the effect reads (an owner found in a routing table) and to the
   * event's data (points awarded). A throw refuses the step and undoes it all.
   */
  before?: (args: BeforeArgs) => Promise<{ input?: Record<string, unknown>; data?: Record<string, unknown> } | void>;
}

export interface BeforeArgs extends EffectArgs {
  files: readonly string[];
  note: string | null;
}

export interface StateDecl {
  label: Message;
  /** Closed for good: no clock, counted as finished. */
  final?: boolean;
  /** The deadline runs in this state (it can be overdue and supervised). */
  clock?: boolean;
}

export interface CategoryDecl {
  label: Message;
  /** Working days the owner has to handle it once assigned. */
  handleDays: number;
}

export interface WorkflowDecl {
  kind: string;
  label: Message;
  states: Record<string, StateDecl>;
  initial: string;
  /** Who may register one for somebody else (at a desk, from a phone call). */
  registerBy: readonly Party[];
  /** Who may register one for themselves in the app. */
  selfRegisterBy: readonly Role[];
  categories: Record<string, CategoryDecl>;
  /** The kind's own fields (employer, platform, amount claimed …). */
  payload: TObject;
  transitions: Record<string, TransitionDecl>;
  /** Working hours after registration within which assignment counts as on time. */
  assignWithinWorkingHours: number;
  /**
   * Registered only through the kind's own intake (reports: photos, location, idempotency), which
   * checks the category against its own table; POST /api/matters refuses it.
   */
  ownIntake?: boolean;
}

export interface CompiledWorkflow extends WorkflowDecl {
  validatePayload: Validator;
  validateInput: Record<string, Validator>;
}

export function compileWorkflow(decl: WorkflowDecl): CompiledWorkflow {
  for (const [name, t] of Object.entries(decl.transitions)) {
    for (const s of t.from) if (!decl.states[s]) throw new Error(`${decl.kind}.${name}: unknown state ${s}`);
    if (typeof t.to === 'string' && !decl.states[t.to]) throw new Error(`${decl.kind}.${name}: unknown state ${t.to}`);
  }
  return {
    ...decl,
    validatePayload: Compile(decl.payload),
    validateInput: Object.fromEntries(Object.entries(decl.transitions).map(([name, t]) => [name, Compile(t.input)])),
  };
}

/** Checks a value against a compiled schema; a failure is a 400 naming the first failing field. */
export function checkInput<T>(validator: Validator, value: unknown, field: string): T {
  if (validator.Check(value)) return value as T;
  const issues = validator.Errors(value).map((e) => {
    const params = e.params as Record<string, unknown>;
    const missing = Array.isArray(params.requiredProperties) ? `/${String(params.requiredProperties[0])}` : '';
    const extra = Array.isArray(params.additionalProperties) ? `/${String(params.additionalProperties[0])}` : '';
    return { field: `${field}${`${e.instancePath}${missing}${extra}`.replaceAll('/', '.')}`, problem: e.message };
  });
  const err: AppError = errors.invalidRequest({ issues });
  const first = issues[0];
  if (first) {
    err.messages.zh = `请求内容不符合要求：${first.field} ${first.problem}`;
    err.messages.en = `The request is not valid: ${first.field} ${first.problem}`;
  }
  throw err;
}
