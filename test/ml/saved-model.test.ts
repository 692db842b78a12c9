import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlSession } from '../../src/data/sql-session.js';
import { Workspace } from '../../src/data/workspace.js';
import { readFeatureMatrix, readTextColumn, type FeatureMatrix } from '../../src/ml/feature-matrix.js';
import { DEFAULT_BOOSTING, predictProbabilities, trainBoosted } from '../../src/ml/gradient-boosting.js';
import { isolationScores, trainIsolationForest } from '../../src/ml/isolation-forest.js';
import { encodeLabels } from '../../src/ml/label-encoding.js';
import { checkModelName, loadModel, modelPath, saveModel } from '../../src/ml/model-store.js';
import { planFeatures } from '../../src/ml/plan-features.js';
import type { FeatureSpec } from '../../src/ml/feature-spec.js';
import { modelFromJson, modelToJson, type SavedModel } from '../../src/ml/saved-model.js';
import { loadNslKdd } from './nsl-kdd-fixture.js';

describe('saved models', () => {
  let workspace: Workspace;
  let sql: SqlSession;
  let matrix: FeatureMatrix;
  let features: readonly FeatureSpec[];
  let codes: Int32Array;
  let classes: readonly string[];
  const home = mkdtempSync(join(tmpdir(), 'cs-helper-models-'));
  beforeAll(async () => {
    workspace = await Workspace.open({ threads: 2 });
    sql = await workspace.session();
    await loadNslKdd(sql, 'kdd');
    // Multiclass this time: the attack names with at least 20 rows, the rest as "other".
    await sql.run(`CREATE TABLE kdd_multi AS SELECT * EXCLUDE (label), CASE WHEN count(*) OVER (PARTITION BY label) >= 20 THEN label ELSE 'other' END AS attack FROM kdd`);
    const columns = await sql.describe('SELECT * FROM kdd_multi');
    features = (await planFeatures({ sql, table: 'kdd_multi', columns, label: 'attack' })).features;
    matrix = await readFeatureMatrix({ sql, table: 'kdd_multi', rowId: 'rowid', features });
    ({ codes, classes } = encodeLabels(await readTextColumn({ sql, table: 'kdd_multi', rowId: 'rowid', column: 'attack' })));
  });
  afterAll(async () => {
    sql.close();
    await workspace.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('a boosted multiclass model reloads from JSON and predicts exactly the same probabilities', async () => {
    expect(classes.length).toBeGreaterThan(4);
    const boosted = trainBoosted({ columns: matrix.columns, labels: codes, classCount: classes.length }, { ...DEFAULT_BOOSTING, rounds: 15 });
    const model: SavedModel = { kind: 'supervised', createdAt: '2026-11-27T00:00:00.000Z', metrics: { cv_accuracy: 0.99 }, label: 'attack', classes, features, excluded: [], boosted };
    await saveModel('kdd-multi', model, home);
    const reloaded = await loadModel('kdd-multi', home);
    if (reloaded.kind !== 'supervised') throw new Error('wrong kind');
    expect(reloaded.features).toEqual(features);
    expect(reloaded.classes).toEqual(classes);
    const before = predictProbabilities(boosted, matrix.columns);
    const after = predictProbabilities(reloaded.boosted, matrix.columns);
    expect(after.length).toBe(2500 * classes.length);
    expect(Array.from(after)).toEqual(Array.from(before));
  });

  it('an isolation forest reloads and scores exactly the same', () => {
    const isolation = trainIsolationForest(matrix.columns, { trees: 50, subsample: 256, seed: 3 });
    const model: SavedModel = { kind: 'unsupervised', createdAt: '2026-11-27T00:00:00.000Z', metrics: {}, features, excluded: [], isolation };
    const reloaded = modelFromJson(modelToJson(model, 'iso'));
    if (reloaded.kind !== 'unsupervised') throw new Error('wrong kind');
    expect(Array.from(isolationScores(reloaded.isolation, matrix.columns))).toEqual(Array.from(isolationScores(isolation, matrix.columns)));
  });

  it('the same seed gives the same model, another seed another one', () => {
    const train = (seed: number): Float64Array => predictProbabilities(trainBoosted({ columns: matrix.columns, labels: codes, classCount: classes.length }, { ...DEFAULT_BOOSTING, rounds: 5, seed }), matrix.columns);
    expect(Array.from(train(1))).toEqual(Array.from(train(1)));
    expect(Array.from(train(2))).not.toEqual(Array.from(train(1)));
  });

  it('refuses names that could leave the models folder', () => {
    for (const name of ['../x', '..', 'a/b', 'a\\b', '', '.hidden', 'x'.repeat(65), 'a..b', 'nul\u0000']) {
      expect(() => checkModelName(name)).toThrow(expect.objectContaining({ code: 'model-bad-name' }) as Error);
    }
    expect(modelPath('kdd-2026.v1', home)).toBe(join(home, 'models', 'kdd-2026.v1.json'));
  });

  it('reports a missing or damaged model with its own code, and never follows a tree loop', async () => {
    await expect(loadModel('absent', home)).rejects.toMatchObject({ code: 'model-not-found' });
    mkdirSync(join(home, 'models'), { recursive: true });
    writeFileSync(join(home, 'models', 'broken.json'), '{"format":"cs-helper-model","version":1}');
    await expect(loadModel('broken', home)).rejects.toMatchObject({ code: 'model-damaged' });
    // A tree whose node points back at itself would make prediction loop forever: refused at load.
    const looping = { format: 'cs-helper-model', version: 1, name: 'loop', createdAt: 'x', metrics: {}, kind: 'supervised', label: 'y', classes: ['a', 'b'], features: [{ kind: 'numeric', column: 'v' }], excluded: [], boosted: { classCount: 2, featureCount: 1, init: [0], trees: [{ feature: [0, -1, -1], threshold: [1, 0, 0], binThreshold: [1, 0, 0], left: [0, -1, -1], right: [2, -1, -1], value: [0, 1, -1] }] } };
    writeFileSync(join(home, 'models', 'loop.json'), JSON.stringify(looping));
    await expect(loadModel('loop', home)).rejects.toMatchObject({ code: 'model-damaged', message: expect.stringContaining('children outside the tree') as string });
  });
});
