// The HTML report's ML classification section, from a processing.classify summary of the shape the component writes.
import { describe, expect, it } from 'vitest';
import { classifySection } from '../../../src/components/export/report-html/classify-section.js';
import { SUPERVISED_SUMMARY } from '../../helpers/classify-summary.js';

const SUPERVISED = { ...SUPERVISED_SUMMARY, excluded: [{ column: 'difficulty', reason: 'difficulty', detail: 'a benchmark annotation <b>not</b> a feature' }] };

describe('classifySection (HTML report)', () => {
  it('shows the method, the cross-validated accuracy against the majority class, the per-class table, the matrix and the excluded columns', () => {
    const page = classifySection(SUPERVISED).toString();
    expect(page.startsWith('<section id="classification"><h2>ML classification</h2>')).toBe(true);
    expect(page).toContain('Gradient-boosted trees over 2 features predict <code>class</code> for 2,500 rows; model saved as <code>kdd</code>.');
    expect(page).toContain('accuracy <b>98.6%</b> (always guessing the most common class: 54.4%)');
    expect(page).toContain('<tr><td>attack</td><td>98.3%</td><td>98.7%</td><td>98.5%</td><td class="num">912</td></tr>');
    expect(page).toContain('<tr><td>normal</td><td class="num">16</td><td class="num">1,072</td></tr>');
    // Values from the data are escaped.
    expect(page).toContain('a benchmark annotation &lt;b&gt;not&lt;/b&gt; a feature');
  });

  it('states the anomaly count of an unsupervised run', () => {
    const page = classifySection({ ...SUPERVISED, mode: 'unsupervised', label: null, cv: null, labelled_rows: null, majority_rate: null, model: null, anomalies: 37, top_anomaly_score: 0.812 }).toString();
    expect(page).toContain('Isolation forest over 2 features scored 2,500 rows: <b>37</b> flagged as anomalies (highest score 0.81).');
  });

  it('is absent without a classification summary', () => {
    expect(classifySection(undefined)).toBe('');
    expect(classifySection({ mode: 'clustering' })).toBe('');
  });
});
