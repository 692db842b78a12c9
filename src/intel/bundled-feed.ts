// Where the indicator feed shipped with CS Helper lives: real abuse.ch indicators, see assets/feeds/SOURCE.md.
import { packagePath } from '../package-root.js';

export const BUNDLED_FEED_PATH = packagePath('assets', 'feeds', 'abuse-ch-bundled.csv');
