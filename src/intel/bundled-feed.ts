// Where the indicator feed shipped with CS Helper lives: real abuse.ch indicators, see assets/feeds/SOURCE.md.
import { fileURLToPath } from 'node:url';

/** Same relative place from src/intel and dist/intel: the package root's assets folder. */
export const BUNDLED_FEED_PATH = fileURLToPath(new URL('../../assets/feeds/abuse-ch-bundled.csv', import.meta.url));
