// The rules shipped with CS Helper (rules/sigma, SigmaHQ rules under the DRL 1.1): the default rule set.
import { packagePath } from '../../package-root.js';

/** The package root's rules/sigma folder (with a trailing separator, as the rule loader expects a folder). */
export const DEFAULT_RULES_PATH = `${packagePath('rules', 'sigma', 'rules')}/`;
export const DEFAULT_RULES_DISPLAY = 'shipped Sigma rules';
