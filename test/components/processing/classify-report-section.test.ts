import { describe, expect, it } from 'vitest';
import { classifyReportSection } from '../../../src/components/processing/classify-report-section.js';
import { SUPERVISED_SUMMARY } from '../../helpers/classify-summary.js';

describe('classifyReportSection', () => {
  it('renders the cross-validated figures, the confusion matrix and the excluded columns of a supervised run', () => {
    const lines = classifyReportSection(SUPERVISED_SUMMARY);
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
