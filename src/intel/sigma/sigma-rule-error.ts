// A rule the engine cannot apply as written: the rule and the construct are named, so nothing is silently dropped.
import { CsHelperError } from '../../model/errors/cs-helper-error.js';

export type SigmaProblem = 'unsupported' | 'invalid' | 'too-large';

export class SigmaRuleError extends CsHelperError {
  override readonly name = 'SigmaRuleError';
  readonly problem: SigmaProblem;

  constructor(problem: SigmaProblem, detail: string) {
    super(`sigma-rule-${problem}`, detail, {
      hint: problem === 'unsupported' ? 'the rule is skipped; the other rules still run' : 'fix the rule file; the other rules still run',
    });
    this.problem = problem;
  }
}
