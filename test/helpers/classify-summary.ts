// A processing.classify summary of a supervised run, in the shape the component writes: what the report sections read.
export const SUPERVISED_SUMMARY = {
  mode: 'supervised',
  rows: 2500,
  label: 'class',
  features: ['duration', 'service'],
  excluded: [{ column: 'difficulty', reason: 'difficulty', detail: 'a benchmark annotation' }],
  model: 'kdd',
  model_loaded: false,
  labelled_rows: 2000,
  majority_rate: 0.544,
  cv: {
    folds: 5,
    accuracy: 0.986,
    classes: ['attack', 'normal'],
    confusion: [
      [900, 12],
      [16, 1072],
    ],
    per_class: [
      { label: 'attack', precision: 0.9825, recall: 0.9868, f1: 0.9847, support: 912 },
      { label: 'normal', precision: 0.9889, recall: 0.9853, f1: 0.9871, support: 1088 },
    ],
  },
  anomalies: null,
  top_anomaly_score: null,
};
