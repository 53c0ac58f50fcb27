// Every kind of matter the engine runs, in one place. A new kind is a declaration file and a
// line here.
import { errors } from '../../../errors.js';
import { compileWorkflow, type CompiledWorkflow } from '../workflow.js';
import { appeal } from './appeal.js';
import { report } from './report.js';

export const WORKFLOWS: Readonly<Record<string, CompiledWorkflow>> = {
  appeal: compileWorkflow(appeal),
  report: compileWorkflow(report),
};

export const KINDS = Object.keys(WORKFLOWS);

/** States in which a deadline runs, of one kind or of all. */
export function clockStates(kind?: string): string[] {
  const workflows = kind ? [workflowOf(kind)] : Object.values(WORKFLOWS);
  return [
    ...new Set(
      workflows.flatMap((w) =>
        Object.entries(w.states)
          .filter(([, s]) => s.clock)
          .map(([name]) => name),
      ),
    ),
  ];
}

/** Past its deadline, with the clock running (not paused, not finished). */
export function isOverdue(
  m: { kind: string; status: string; due_at: Date | null; paused_since: Date | null; closed_at: Date | null },
  now = Date.now(),
): boolean {
  const running = WORKFLOWS[m.kind]?.states[m.status]?.clock ?? false;
  return running && !!m.due_at && !m.paused_since && !m.closed_at && m.due_at.getTime() < now;
}

export function workflowOf(kind: string): CompiledWorkflow {
  const workflow = WORKFLOWS[kind];
  if (!workflow) throw errors.invalidRequest({ field: 'kind', kind });
  return workflow;
}
