// The rules shipped with CS Helper, the default rule set when none is named:
// - rules/sigma: 304 SigmaHQ rules, copied verbatim, under the DRL 1.1 (attribution kept in each file);
// - rules/cs-helper: CS Helper's own behaviour rules (Apache-2.0, author "CS Helper"), for the Windows attack
//   techniques the SigmaHQ subset has no rule for (LSASS and hive dumping, LOLBin proxy execution, event log
//   tampering, WMI / service / task persistence, remote execution). Plain Sigma, run by the same engine.
import { packagePath } from '../../package-root.js';

export interface RuleSource {
  readonly absolute: string;
  readonly display: string;
}

/** Folders end with a separator, as the rule loader expects for a folder. */
export const SIGMAHQ_RULES: RuleSource = { absolute: `${packagePath('rules', 'sigma', 'rules')}/`, display: 'shipped Sigma rules' };
export const CS_HELPER_RULES: RuleSource = { absolute: `${packagePath('rules', 'cs-helper')}/`, display: 'CS Helper rules' };

export const DEFAULT_RULE_SOURCES: readonly RuleSource[] = [SIGMAHQ_RULES, CS_HELPER_RULES];
