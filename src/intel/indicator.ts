// One indicator as every feed loader produces it.
import type { IndicatorType } from './indicator-type.js';

export interface Indicator {
  readonly type: IndicatorType;
  /** Normalised with `normaliseIndicator`. */
  readonly value: string;
  readonly source: string;
  /** 0..1: how sure the feed is; drives the threat score of a hit. */
  readonly confidence: number;
  readonly threat: string | null;
}
