// The rules shipped with CS Helper (rules/sigma, SigmaHQ rules under the DRL 1.1): the default rule set.
import { fileURLToPath } from 'node:url';

/** From src/intel/sigma or dist/intel/sigma alike: the package root's rules/sigma folder. */
export const DEFAULT_RULES_PATH = fileURLToPath(new URL('../../../rules/sigma/rules/', import.meta.url));
export const DEFAULT_RULES_DISPLAY = 'shipped Sigma rules';
