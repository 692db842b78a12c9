import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlSession } from '../../src/data/sql-session.js';
import { Workspace } from '../../src/data/workspace.js';
import { readFeatureMatrix, readTextColumn } from '../../src/ml/feature-matrix.js';
import { argmaxRows, predictProbabilities, trainBoosted, type BoostingParams } from '../../src/ml/gradient-boosting.js';
import { encodeLabels } from '../../src/ml/label-encoding.js';
import { classificationMetrics, majorityRate } from '../../src/ml/metrics.js';
import { planFeatures } from '../../src/ml/plan-features.js';
import { loadNslKdd } from './nsl-kdd-fixture.js';

describe('gradient-boosted trees on an NSL-KDD slice', () => {
  let workspace: Workspace;
  let sql: SqlSession;
  beforeAll(async () => {
    workspace = await Workspace.open({ threads: 2 });
    sql = await workspace.session();
    await loadNslKdd(sql, 'kdd');
    // The binary task of the benchmark: normal or attack; the attack name stays in the table as a label proxy.
    await sql.run(`CREATE TABLE kdd_binary AS SELECT *, CASE WHEN label = 'normal' THEN 'normal' ELSE 'attack' END AS outcome FROM kdd`);
  });
  afterAll(async () => {
    sql.close();
    await workspace.close();
  });

  const columnsOf = async (table: string): Promise<{ name: string; sqlType: string }[]> => sql.describe(`SELECT * FROM ${table}`);

  it('leaves out the difficulty column and the attack name, and says why', async () => {
    const plan = await planFeatures({ sql, table: 'kdd_binary', columns: await columnsOf('kdd_binary'), label: 'outcome' });
    const excluded = new Map(plan.excluded.map((e) => [e.column, e.reason]));
    expect(excluded.get('difficulty')).toBe('difficulty');
    expect(excluded.get('label')).toBe('label-proxy');
    expect(excluded.get('outcome')).toBe('label');
    // num_outbound_cmds is 0 in every row of NSL-KDD.
    expect(excluded.get('num_outbound_cmds')).toBe('constant');
    const names = plan.features.map((f) => f.column);
    expect(names).not.toContain('difficulty');
    expect(names).toContain('src_bytes');
    expect(plan.features.find((f) => f.column === 'protocol_type')).toEqual({ kind: 'categorical', column: 'protocol_type', categories: ['tcp', 'udp', 'icmp'] });
  });

  it('predicts a held-back fifth far above the majority-class rate', async () => {
    const plan = await planFeatures({ sql, table: 'kdd_binary', columns: await columnsOf('kdd_binary'), label: 'outcome' });
    const matrix = await readFeatureMatrix({ sql, table: 'kdd_binary', rowId: 'rowid', features: plan.features });
    const labels = encodeLabels(await readTextColumn({ sql, table: 'kdd_binary', rowId: 'rowid', column: 'outcome' }));
    expect(labels.classes).toEqual(['attack', 'normal']);
    const train = Uint32Array.from({ length: 2000 }, (_, i) => i);
    const model = trainBoosted({ columns: matrix.columns, labels: labels.codes, classCount: 2, rows: train }, { ...defaults(), rounds: 60 });
    const held = matrix.columns.map((c) => c.slice(2000));
    const truth = labels.codes.slice(2000);
    const { classes } = argmaxRows(predictProbabilities(model, held), 2);
    const metrics = classificationMetrics(truth, classes, labels.classes);
    const chance = majorityRate(truth, 2);
    expect(chance).toBeGreaterThan(0.5);
    expect(chance).toBeLessThan(0.6);
    // Published learners reach ~99% in-distribution on NSL-KDD; a model that learned nothing stays at the chance rate.
    expect(metrics.accuracy).toBeGreaterThan(0.97);
    expect(metrics.perClass.map((c) => c.support)).toEqual([...metrics.confusion.map((row) => row.reduce((a, b) => a + b, 0))]);
  });
});

function defaults(): BoostingParams {
  return { rounds: 100, learningRate: 0.1, maxLeaves: 31, maxDepth: 8, minSamplesLeaf: 20, minHessianLeaf: 1e-3, lambda: 1, minGain: 0, featureFraction: 1, rowFraction: 1, seed: 7 };
}

describe('planFeatures: other ground-truth columns', () => {
  it('never learns from another column with the label role (UNSW-NB15: label beside attack_cat)', async () => {
    const workspace = await Workspace.open({ threads: 1 });
    const sql = await workspace.session();
    try {
      await sql.run(`CREATE TABLE flows AS SELECT (r * 37) % 101 AS bytes, CASE WHEN r % 3 = 0 THEN 'Normal' WHEN r % 3 = 1 THEN 'DoS' ELSE 'Exploits' END AS attack_cat, CASE WHEN r % 3 = 0 THEN 0 ELSE 1 END AS label FROM range(300) t(r)`);
      const columns = [
        { name: 'bytes', sqlType: 'BIGINT', role: null },
        { name: 'attack_cat', sqlType: 'VARCHAR', role: 'label' },
        { name: 'label', sqlType: 'INTEGER', role: 'label' },
      ];
      const plan = await planFeatures({ sql, table: 'flows', columns, label: 'attack_cat' });
      expect(plan.features.map((f) => f.column)).toEqual(['bytes']);
      expect(plan.excluded).toContainEqual({ column: 'label', reason: 'other-label', detail: 'another ground-truth column beside attack_cat: its values are answers, not evidence' });
    } finally {
      sql.close();
      await workspace.close();
    }
  });
});
