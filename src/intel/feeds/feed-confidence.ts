// Reads a CSV feed's confidence column: feeds write it as a fraction (0.85) or as a percentage (85, as ThreatFox,
// MISP and STIX do), and the scale is decided once per column, never per value: in a column holding 20 and 95, a 1
// is 1%, not certainty (read per value, it scored the feed's weakest indicator highest).

/** How a confidence column writes its values. */
export const CONFIDENCE_SCALE = { fraction: 'fraction', percent: 'percent' } as const;
export type ConfidenceScale = (typeof CONFIDENCE_SCALE)[keyof typeof CONFIDENCE_SCALE];

/** The kind under which a feed counts the confidences it could not read (CollectedFeed.unsupported). */
export const UNREADABLE_CONFIDENCE = 'confidence not a number from 0 to 1 or 0 to 100: the default confidence used';

/** A plain decimal, optionally signed or followed by `%`; no hex (`0x10`), exponents or `Infinity`, which Number() reads. */
const DECIMAL = /^([+-]?(?:\d{1,12}(?:\.\d{0,12})?|\.\d{1,12}))\s*(%?)$/;

interface ParsedConfidence {
  readonly number: number;
  readonly percentSign: boolean;
}

function parse(text: string): ParsedConfidence | null {
  const match = DECIMAL.exec(text.trim());
  if (match === null) return null;
  return { number: Number(match[1]), percentSign: match[2] === '%' };
}

/**
 * The scale of a column from all its cells: percent when any value is above 1 or carries a `%`, a fraction
 * otherwise. A column of only 0 and 1 stays a fraction: that is how a 0-1 feed writes "none" and "certain".
 */
export function confidenceScaleOf(cells: Iterable<string>): ConfidenceScale {
  for (const cell of cells) {
    const parsed = parse(cell);
    if (parsed !== null && (parsed.percentSign || parsed.number > 1)) return CONFIDENCE_SCALE.percent;
  }
  return CONFIDENCE_SCALE.fraction;
}

/**
 * One cell as a 0..1 confidence: null when blank (no confidence given: the feed's default applies), 'unreadable'
 * when it is no number, negative, or beyond its column's scale (150 in a percent column, which no scale makes sense of).
 */
export function readConfidence(text: string, scale: ConfidenceScale): number | null | 'unreadable' {
  if (text.trim() === '') return null;
  const parsed = parse(text);
  if (parsed === null) return 'unreadable';
  const value = scale === CONFIDENCE_SCALE.percent ? parsed.number / 100 : parsed.number;
  return value >= 0 && value <= 1 ? value : 'unreadable';
}
