// Plans kept in the state database (the pattern cache, the run journal, templates) hold the problem text as typed: a
// password or token pasted into a problem is redacted there as the session log redacts it, so state.db never holds
// what the logs were careful to leave out. The plan still runs the same: no step reads the problem text.
import type { WorkflowPlan } from '../model/workflow-plan.js';
import { redactText } from '../session/redact.js';

export function storedPlan<P extends WorkflowPlan>(plan: P): P {
  const problem = redactText(plan.profile.problem);
  return problem === plan.profile.problem ? plan : { ...plan, profile: { ...plan.profile, problem } };
}
