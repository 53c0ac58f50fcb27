// Every kind of matter the engine runs, in one place. A new kind is a declaration file and a
// line here.
import { errors } from '../../../errors.js';
import { compileWorkflow, type CompiledWorkflow } from '../workflow.js';
import { appeal } from './appeal.js';

export const WORKFLOWS: Readonly<Record<string, CompiledWorkflow>> = {
  appeal: compileWorkflow(appeal),
};

export const KINDS = Object.keys(WORKFLOWS);

export function workflowOf(kind: string): CompiledWorkflow {
  const workflow = WORKFLOWS[kind];
  if (!workflow) throw errors.invalidRequest({ field: 'kind', kind });
  return workflow;
}
