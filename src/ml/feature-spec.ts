// What a model's features are and why other columns are not features: saved with the model so prediction on new data
// builds exactly the same matrix (same columns, same category codes).

/**
 * numeric: the column's value as a number (NaN when missing or not a number).
 * categorical: 1 + the value's position in `categories` (the most frequent values at training time); 0 for any other
 * value, so a category never seen in training maps to one "other" code; NaN when missing.
 */
export type FeatureSpec =
  | { readonly kind: 'numeric'; readonly column: string }
  | { readonly kind: 'categorical'; readonly column: string; readonly categories: readonly string[] };

export type ExclusionReason =
  | 'label'
  | 'difficulty'
  | 'excluded-by-parameter'
  | 'id-like'
  | 'constant'
  | 'label-proxy'
  | 'other-label'
  | 'free-text'
  | 'unsupported-type'
  | 'output-column';

export interface ExcludedColumn {
  readonly column: string;
  readonly reason: ExclusionReason;
  /** The evidence, for the report: "25192 distinct values in 25192 rows", "predicts label alone with 100.0% accuracy". */
  readonly detail: string;
}

export interface FeaturePlan {
  readonly features: readonly FeatureSpec[];
  readonly excluded: readonly ExcludedColumn[];
}

/** The columns this component writes: never features of a later run on its own output. */
export const OUTPUT_COLUMNS: readonly string[] = ['predicted_label', 'prediction_confidence', 'anomaly_score'];

/** NSL-KDD's 43rd column (how many of 21 learners got the row right) and its usual names: a property of the benchmark, not of the traffic. */
export const DIFFICULTY_NAME = /^(difficulty|difficulty_level|difficulty_score|success_pred)$/i;

/** Label column names, in order of preference, for choosing the label when the user names none. */
export const LABEL_NAMES: readonly string[] = ['label', 'class', 'attack_cat', 'attack_type', 'attack', 'category', 'target', 'outcome', 'status', 'verdict', 'y'];
