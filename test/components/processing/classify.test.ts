import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { enrichment } from '../../../src/components/processing/enrich.js';
import { classification } from '../../../src/components/processing/classify.js';
import { classifyReportSection } from '../../../src/components/processing/classify-report-section.js';
import { plainText } from '../../../src/data/plain-value.js';
import { quoteLiteral } from '../../../src/data/sql-text.js';
import { modelPath } from '../../../src/ml/model-store.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';
import { ML_FIXTURES } from '../../ml/nsl-kdd-fixture.js';

const KDD = `read_csv(${quoteLiteral(`${ML_FIXTURES}nsl-kdd-2500.csv`)}, header = true)`;
/** The benchmark's binary task; every fifth row's label is blanked: those are the rows to predict. */
const KDD_PARTLY_LABELLED = `SELECT * EXCLUDE (label), CASE WHEN row_number() OVER () % 5 = 0 THEN NULL WHEN label = 'normal' THEN 'normal' ELSE 'attack' END AS class FROM ${KDD}`;

describe('processing.classify', () => {
  let harness: ComponentHarness;
  beforeEach(async () => {
    harness = await ComponentHarness.open();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('learns a label column, predicts the unlabelled rows well above chance, and adds the three columns', async () => {
    const dataset = await harness.table('kdd', KDD_PARTLY_LABELLED);
    const output = await harness.run(classification, { datasets: [dataset] }, { rounds: 30 });
    const classified = datasetOf(output);

    expect(classified.columns.slice(-3).map((c) => [c.name, c.sqlType])).toEqual([
      ['predicted_label', 'VARCHAR'],
      ['prediction_confidence', 'DOUBLE'],
      ['anomaly_score', 'DOUBLE'],
    ]);
    expect(classified.columns.slice(0, -3).map((c) => c.name)).toEqual(dataset.columns.map((c) => c.name));
    expect(classified.rowCount).toBe(2500);
    expect(output.summary?.['mode']).toBe('supervised');
    expect(output.summary?.['label']).toBe('class');
    const excluded = output.summary?.['excluded'] as { column: string; reason: string }[];
    expect(excluded).toContainEqual(expect.objectContaining({ column: 'difficulty', reason: 'difficulty' }));
    expect(output.summary?.['features']).not.toContain('difficulty');
    expect(harness.log.entries.some((e) => e.type === 'classify-excluded-column' && e.description.startsWith('difficulty is not a feature'))).toBe(true);

    // The truth for the blanked rows, against the predictions.
    const scored = await harness.sql.all(
      `SELECT c.predicted_label AS predicted, CASE WHEN k.label = 'normal' THEN 'normal' ELSE 'attack' END AS truth, c.prediction_confidence AS confidence, c.anomaly_score AS anomaly
       FROM ${classified.table} c POSITIONAL JOIN (SELECT label FROM ${KDD}) k WHERE c.class IS NULL`,
    );
    expect(scored).toHaveLength(500);
    const right = scored.filter((r) => r['predicted'] === r['truth']).length / scored.length;
    const majority = Math.max(...['normal', 'attack'].map((c) => scored.filter((r) => r['truth'] === c).length)) / scored.length;
    expect(majority).toBeLessThan(0.6);
    expect(right).toBeGreaterThan(0.95);
    expect(scored.every((r) => typeof r['confidence'] === 'number' && r['confidence'] >= 0.5 && r['confidence'] <= 1 && r['anomaly'] === null)).toBe(true);

    const cv = output.summary?.['cv'] as { folds: number; accuracy: number; classes: string[]; confusion: number[][]; per_class: { label: string; support: number }[] };
    expect(cv.folds).toBe(5);
    expect(cv.classes).toEqual(['attack', 'normal']);
    expect(cv.accuracy).toBeGreaterThan(0.95);
    expect(cv.confusion.flat().reduce((a, b) => a + b, 0)).toBe(2000);
    expect(cv.per_class.map((c) => c.support).reduce((a, b) => a + b, 0)).toBe(2000);
    expect(harness.log.decisions).toContainEqual(expect.objectContaining({ decision: 'classification mode', chosen: 'supervised' }));
    // The report section reads this very summary.
    expect(classifyReportSection(output.summary).join('\n')).toContain(`accuracy ${(cv.accuracy * 100).toFixed(1)}%`);

    // `normal` is a harmless class, so every row predicted `attack` is a finding for the threat score: 40 x confidence.
    const attacks = await harness.sql.all(`SELECT rowid AS row_id, round(40 * prediction_confidence) AS score FROM ${classified.table} WHERE predicted_label = 'attack' ORDER BY rowid`);
    expect(attacks.length).toBeGreaterThan(800);
    const findings = await harness.sql.all(`SELECT row_id, kind, label, score, source, entity FROM ${findingsOf(output).table} ORDER BY row_id`);
    expect(findings).toEqual(attacks.map((a) => ({ row_id: a['row_id'], kind: 'anomaly', label: 'ml: predicted class=attack', score: a['score'], source: 'processing.classify', entity: 'attack' })));
    expect(output.summary?.['threat_classes']).toEqual(['attack']);
    expect(output.summary?.['predicted_threats']).toBe(attacks.length);
    expect(output.message).toMatch(new RegExp(`; ${attacks.length.toLocaleString('en-US')} rows predicted as a threat \\(attack\\)$`));
    expect(classifyReportSection(output.summary).join('\n')).toContain(`${attacks.length.toLocaleString('en-US')} rows are predicted in a threat class (attack): each counts as an anomaly in the threat score`);
  });

  it('counts the rows predicted as threats by the other label of the data (the attack names beside attack/normal)', async () => {
    const dataset = await harness.table('kdd_named', `SELECT * EXCLUDE (difficulty), CASE WHEN label = 'normal' THEN 'normal' ELSE 'attack' END AS class FROM ${KDD}`);
    const output = await harness.run(classification, { datasets: [dataset] }, { label: 'class', rounds: 10 });
    const classified = datasetOf(output);
    const expected = await harness.sql.all(`SELECT label AS value, count(*)::INTEGER AS rows FROM ${classified.table} WHERE predicted_label = 'attack' GROUP BY 1 ORDER BY rows DESC, value LIMIT 12`);
    const more = Number(await harness.sql.scalar(`SELECT count(DISTINCT label) FROM ${classified.table} WHERE predicted_label = 'attack'`)) > 12;
    expect(expected[0]?.['value']).toBe('neptune');
    expect(output.summary?.['threats_by']).toEqual({ column: 'label', values: expected, more });
    const section = classifyReportSection(output.summary).join('\n');
    expect(section).toContain(`Rows predicted as threats by label${more ? ' (the 12 most common)' : ''}:`);
    expect(section).toContain(`| neptune | ${Number(expected[0]?.['rows']).toLocaleString('en-US')} |`);
  });

  it('makes no finding of predictions when no class of the label reads as harmless', async () => {
    // protocol_type (tcp, udp, icmp) says nothing about harm: its predictions are not threats.
    const dataset = await harness.table('kdd', `SELECT * EXCLUDE (label, difficulty) FROM ${KDD}`);
    const output = await harness.run(classification, { datasets: [dataset] }, { label: 'protocol_type', rounds: 10 });
    expect(output.summary?.['mode']).toBe('supervised');
    expect(output.summary?.['threat_classes']).toEqual([]);
    expect(output.summary?.['predicted_threats']).toBe(0);
    expect(output.summary?.['threats_by']).toBeNull();
    expect(Number(await harness.sql.scalar(`SELECT count(*) FROM ${findingsOf(output).table}`))).toBe(0);
    expect(output.message).toMatch(/; no class reads as benign \(normal, benign, 0, \.\.\.\), so no prediction counts as a threat$/);
    expect(classifyReportSection(output.summary).join('\n')).toContain('No class of protocol\\_type reads as harmless (normal, benign, legitimate, 0, ...), so no prediction counts as a threat signal.');
  });

  it('saves the model by name and, on data without labels, loads it and predicts the same', async () => {
    const dataset = await harness.table('kdd', KDD_PARTLY_LABELLED);
    const trained = await harness.run(classification, { datasets: [dataset] }, { rounds: 20, model: 'kdd-binary' });
    expect(existsSync(modelPath('kdd-binary'))).toBe(true);
    expect(trained.summary?.['model_loaded']).toBe(false);

    const unlabelled = await harness.table('kdd_new', `SELECT * EXCLUDE (class) FROM kdd`);
    const predicted = await harness.run(classification, { datasets: [unlabelled] }, { model: 'kdd-binary' });
    expect(predicted.summary?.['model_loaded']).toBe(true);
    expect(predicted.summary?.['mode']).toBe('supervised');
    const first = await harness.sql.all(`SELECT predicted_label, prediction_confidence FROM ${datasetOf(trained).table} WHERE class IS NULL ORDER BY rowid`);
    const second = await harness.sql.all(`SELECT predicted_label, prediction_confidence FROM ${datasetOf(predicted).table} WHERE rowid % 5 = 4 ORDER BY rowid`);
    expect(second).toEqual(first);
  });

  it('refuses a model name that could leave the models folder', async () => {
    const dataset = await harness.table('kdd', KDD_PARTLY_LABELLED);
    await expect(harness.run(classification, { datasets: [dataset] }, { model: '../escape' })).rejects.toMatchObject({ code: 'model-bad-name' });
  });

  it('refuses a label with more distinct values than a classifier can learn, naming the problem', async () => {
    const dataset = await harness.table('wide', `SELECT i % 7 AS a, (i * 13) % 11 AS b, 'user' || (i % 150) AS label FROM range(600) t(i)`);
    await expect(harness.run(classification, { datasets: [dataset] }, {})).rejects.toMatchObject({ code: 'model-too-many-classes', message: 'label has 150 distinct labels (at most 100)' });
  });

  it('without labels, ranks injected outliers first and flags them as anomaly findings for the threat score', async () => {
    // 995 ordinary connections (deterministic pseudo-random values) and 5 injected outliers at known rows.
    const dataset = await harness.table(
      'flows',
      `SELECT i AS n, CASE WHEN i IN (100, 300, 500, 700, 900) THEN 4e9 + i ELSE 500 + (i * 7919) % 1000 END AS bytes,
              CASE WHEN i IN (100, 300, 500, 700, 900) THEN 60000 ELSE 1 + (i * 104729) % 20 END AS packets,
              CASE WHEN i IN (100, 300, 500, 700, 900) THEN 'gre' WHEN i % 3 = 0 THEN 'udp' ELSE 'tcp' END AS proto
       FROM range(1000) t(i) ORDER BY i`,
    );
    const output = await harness.run(classification, { datasets: [dataset] }, {});
    expect(output.summary?.['mode']).toBe('unsupervised');
    // `n` is an id (unique integers) and is reported, not used.
    expect(output.summary?.['excluded']).toContainEqual(expect.objectContaining({ column: 'n', reason: 'id-like' }));
    const ranked = await harness.sql.all(`SELECT n, anomaly_score FROM ${datasetOf(output).table} ORDER BY anomaly_score DESC, n LIMIT 6`);
    expect(ranked.slice(0, 5).map((r) => r['n']).sort((a, b) => Number(a) - Number(b))).toEqual([100, 300, 500, 700, 900]);
    expect(Number(ranked[0]?.['anomaly_score'])).toBeGreaterThan(0.6);
    expect(Number(ranked[5]?.['anomaly_score'])).toBeLessThan(Number(ranked[4]?.['anomaly_score']));

    const findings = findingsOf(output);
    const rows = await harness.sql.all(`SELECT row_id, kind, label, score FROM ${findings.table} ORDER BY score DESC, row_id LIMIT 5`);
    expect(rows.map((r) => Number(r['row_id'])).sort((a, b) => a - b)).toEqual([100, 300, 500, 700, 900]);
    expect(rows.every((r) => r['kind'] === 'anomaly' && /^ml: isolation forest score 0\.\d\d$/.test(plainText(r['label'])))).toBe(true);

    const enriched = await harness.run(enrichment, { datasets: [datasetOf(output)], findings: [findings] }, {});
    const flagged = await harness.sql.all(`SELECT n, threat_score, anomaly_reasons FROM ${datasetOf(enriched).table} WHERE n IN (100, 300) ORDER BY n`);
    expect(flagged.map((r) => Number(r['threat_score']) > 0)).toEqual([true, true]);
    expect(String((flagged[0]?.['anomaly_reasons'] as string[])[0])).toMatch(/^ml: isolation forest score/);
  });

  it('categorises held-back free-text titles above the majority-class rate', async () => {
    // Sigma rule titles and their ATT&CK tactic; every fourth title's tactic is held back.
    const dataset = await harness.table(
      'titles',
      `SELECT title, CASE WHEN row_number() OVER () % 4 = 0 THEN NULL ELSE tactic END AS tactic FROM read_csv(${quoteLiteral(`${ML_FIXTURES}sigma-titles.csv`)}, header = true)`,
    );
    const output = await harness.run(classification, { datasets: [dataset] }, { label: 'tactic' });
    expect(output.summary?.['mode']).toBe('text');
    expect(output.summary?.['features']).toEqual(['title']);
    const scored = await harness.sql.all(
      `SELECT c.predicted_label AS predicted, t.tactic AS truth FROM ${datasetOf(output).table} c POSITIONAL JOIN read_csv(${quoteLiteral(`${ML_FIXTURES}sigma-titles.csv`)}, header = true) t WHERE c.tactic IS NULL`,
    );
    const counts = new Map<string, number>();
    for (const r of scored) counts.set(plainText(r['truth']), (counts.get(plainText(r['truth'])) ?? 0) + 1);
    const majority = Math.max(...counts.values()) / scored.length;
    const right = scored.filter((r) => r['predicted'] === r['truth']).length / scored.length;
    expect(scored.length).toBe(126);
    expect(majority).toBeLessThan(0.2);
    expect(right).toBeGreaterThan(majority + 0.2);
  });
});
