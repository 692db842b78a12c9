import { describe, expect, it } from 'vitest';
import { classifyReportSection } from '../../../src/components/processing/classify-report-section.js';

describe('classifyReportSection', () => {
  it('renders the cross-validated figures, the confusion matrix and the excluded columns of a supervised run', () => {
    const lines = classifyReportSection({
      mode: 'supervised',
      rows: 2500,
      label: 'class',
      features: ['duration', 'service'],
      excluded: [{ column: 'difficulty', reason: 'difficulty', detail: 'a benchmark annotation' }],
      model: 'kdd',
      model_loaded: false,
      labelled_rows: 2000,
      majority_rate: 0.544,
      cv: { folds: 5, accuracy: 0.986, classes: ['attack', 'normal'], confusion: [[900, 12], [16, 1072]], per_class: [{ label: 'attack', precision: 0.9825, recall: 0.9868, f1: 0.9847, support: 912 }, { label: 'normal', precision: 0.9889, recall: 0.9853, f1: 0.9871, support: 1088 }] },
      anomalies: null,
      top_anomaly_score: null,
    });
    const text = lines.join('\n');
    expect(lines[0]).toBe('## ML classification');
    expect(text).toContain('Gradient-boosted trees over 2 features predict class for 2,500 rows; model saved as kdd.');
    expect(text).toContain('accuracy 98.6% (always guessing the most common class: 54.4%)');
    expect(text).toContain('| attack | 98.3% | 98.7% | 98.5% | 912 |');
    expect(text).toContain('| normal | 16 | 1,072 |');
    expect(text).toContain('| difficulty | difficulty | a benchmark annotation |');
  });

  it('renders nothing for a missing or foreign summary', () => {
    expect(classifyReportSection(undefined)).toEqual([]);
    expect(classifyReportSection({ mode: 'clustering' })).toEqual([]);
  });
});
