// `npm run eval:nsl-kdd [-- --train FILE] [--test FILE] [--folds K] [--json] [--no-sklearn]`: the project's boosted
// trees on NSL-KDD, binary normal/attack, with the 43rd column (difficulty) never a feature: stratified k-fold
// cross-validated accuracy on the training file, and with --test the accuracy on a test file of the same format after
// training on the whole training file. Where scikit-learn is importable, its RandomForestClassifier (100 trees) runs on
// the same matrices and folds, and both accuracies and training times are printed side by side.
// Exit 2 when the data or the build is missing (nothing was measured), 0 otherwise.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { evaluationArgs, loadBuilt, percent, root, seconds, sklearnSideBySide, unavailable } from './eval-common.mjs';

const HELP = `usage: npm run eval:nsl-kdd -- [--train FILE] [--test FILE] [--folds K] [--rounds N] [--json] [--no-sklearn]

Trains CS Helper's gradient-boosted trees on NSL-KDD (binary: normal versus attack) and reports:
  cross-validation  stratified K-fold accuracy on the training file (default K = 5)
  --test FILE       accuracy on FILE (same 43-column format, no header) after training on the whole training file
  scikit-learn      RandomForestClassifier(100 trees) on the same matrices, when python3 with sklearn is installed

--train FILE   default ../shared/data/nsl-kdd/KDDTrain+_20Percent.txt
--rounds N     boosting rounds (default: processing.classify's own, 40)
--json         one JSON object on stdout (accuracy = test accuracy with --test, else cross-validated accuracy)
--no-sklearn   skip the scikit-learn comparison
processing.classify ships the trees alone (its accuracy is the "trees alone" figure); the trees plus an isolation
forest of normal traffic is an evaluated detector that catches more unseen attack types, not what the component runs.
--unseen       also the zero-day proxy: for each attack family (DoS, Probe, R2L, U2R; attack_category_map.json beside
               the training file), train without that family and test on it plus held-out normal rows, with the trees
               alone and with the trees plus an isolation forest fitted on normal traffic
The difficulty column (43rd) is never a feature: it is excluded by name and by parameter, and listed among the
excluded columns. Exit 2 when the data or dist/ is missing.`;

const COLUMNS = ['duration', 'protocol_type', 'service', 'flag', 'src_bytes', 'dst_bytes', 'land', 'wrong_fragment', 'urgent', 'hot', 'num_failed_logins', 'logged_in', 'num_compromised', 'root_shell', 'su_attempted', 'num_root', 'num_file_creations', 'num_shells', 'num_access_files', 'num_outbound_cmds', 'is_host_login', 'is_guest_login', 'count', 'srv_count', 'serror_rate', 'srv_serror_rate', 'rerror_rate', 'srv_rerror_rate', 'same_srv_rate', 'diff_srv_rate', 'srv_diff_host_rate', 'dst_host_count', 'dst_host_srv_count', 'dst_host_same_srv_rate', 'dst_host_diff_srv_rate', 'dst_host_same_src_port_rate', 'dst_host_srv_diff_host_rate', 'dst_host_serror_rate', 'dst_host_srv_serror_rate', 'dst_host_rerror_rate', 'dst_host_srv_rerror_rate', 'attack', 'difficulty'];

const args = evaluationArgs(HELP, { train: { type: 'string' }, test: { type: 'string' }, rounds: { type: 'string' }, unseen: { type: 'boolean' } });
const json = args.json === true;
const trainFile = resolve(args.train ?? join(root, '..', 'shared', 'data', 'nsl-kdd', 'KDDTrain+_20Percent.txt'));
const testFile = args.test;
const folds = Number(args.folds ?? 5);
// The component's own default (40 rounds), so the figure is that of what processing.classify trains.
const ml = await loadBuilt();
const rounds = Number(args.rounds ?? ml.DEFAULT_BOOSTING.rounds);
if (!existsSync(trainFile)) unavailable(`the NSL-KDD training file ${trainFile} is not there: nothing was measured`, 'get KDDTrain+_20Percent.txt (UNB CIC NSL-KDD) and pass --train FILE, or place it in ../shared/data/nsl-kdd/');
if (testFile !== undefined && !existsSync(testFile)) unavailable(`the test file ${resolve(testFile)} is not there: nothing was measured`, 'pass --test with the path of KDDTest+.txt (43 columns, no header)');
if (!Number.isInteger(folds) || folds < 2 || folds > 20) unavailable('--folds must be a whole number from 2 to 20', 'the usual value is 5');
if (!Number.isInteger(rounds) || rounds < 1 || rounds > 1000) unavailable('--rounds must be a whole number from 1 to 1000', 'processing.classify trains 40');

const workspace = await ml.Workspace.open({ threads: 2 });
const sql = await workspace.session();
const log = (line) => {
  if (!json) console.log(line);
};

/** The 43-column file as a table, with the binary outcome; the attack name stays (the feature plan reports it as a label proxy). */
async function load(table, file) {
  const names = `[${COLUMNS.map((c) => ml.quoteLiteral(c)).join(', ')}]`;
  await sql.run(`CREATE TABLE ${table} AS SELECT *, CASE WHEN attack = 'normal' THEN 'normal' ELSE 'attack' END AS outcome FROM read_csv(${ml.quoteLiteral(file)}, header = false, names = ${names}, auto_detect = true)`);
  return Number(await sql.scalar(`SELECT count(*) FROM ${table}`));
}

const BOOSTING = { ...ml.DEFAULT_BOOSTING, rounds };
/** Class numbers of the binary task (classes in name order: attack, normal). */
const ATTACK = 0;
const NORMAL = 1;

try {
  const trainRows = await load('train', trainFile);
  const columns = await sql.describe('SELECT * FROM train');
  const plan = await ml.planFeatures({ sql, table: 'train', columns, label: 'outcome', exclude: ['difficulty'] });
  if (plan.features.some((f) => f.column === 'difficulty')) throw new Error('difficulty became a feature');
  const train = await ml.readFeatureMatrix({ sql, table: 'train', rowId: 'rowid', features: plan.features });
  const labels = ml.encodeLabels(await ml.readTextColumn({ sql, table: 'train', rowId: 'rowid', column: 'outcome' }), ['attack', 'normal']);
  log(`NSL-KDD ${trainFile}: ${trainRows} rows, ${plan.features.length} features; excluded: ${plan.excluded.map((e) => `${e.column} (${e.reason})`).join(', ')}`);

  // Cross-validation with the folds written out, so scikit-learn sees exactly the same split.
  const foldOf = ml.stratifiedFolds(labels.codes, 2, folds, 42);
  let cvTrainMs = 0;
  const cvBlend = new Int32Array(labels.codes.length);
  const cv = ml.crossValidate({
    labels: labels.codes,
    classes: labels.classes,
    k: folds,
    seed: 42,
    train: (rows) => {
      const started = performance.now();
      const detector = fitDetector(train.columns, labels.codes, rows);
      cvTrainMs += performance.now() - started;
      return {
        predict: (test) => {
          const out = detector.predict(pick(train.columns, test));
          test.forEach((row, k) => {
            cvBlend[row] = out.blend[k];
          });
          return out.trees;
        },
      };
    },
  });
  const cvBlendAccuracy = ml.classificationMetrics(labels.codes, cvBlend, labels.classes).accuracy;
  log(`cross-validation (${cv.folds} folds): accuracy ${percent(cvBlendAccuracy)} trees + isolation forest, ${percent(cv.accuracy)} trees alone; mean training time per fold ${seconds(cvTrainMs / cv.folds)}`);

  const unseen = args.unseen === true ? await unseenFamilies(train, labels) : null;

  let test = null;
  if (testFile !== undefined) {
    const testRows = await load('test', resolve(testFile));
    const matrix = await ml.readFeatureMatrix({ sql, table: 'test', rowId: 'rowid', features: plan.features });
    const truth = ml.encodeLabels(await ml.readTextColumn({ sql, table: 'test', rowId: 'rowid', column: 'outcome' }), ['attack', 'normal']);
    const started = performance.now();
    const detector = fitDetector(train.columns, labels.codes, Uint32Array.from(labels.codes.keys()));
    const trainMs = performance.now() - started;
    const predicted = detector.predict(matrix.columns);
    const metrics = ml.classificationMetrics(truth.codes, predicted.blend, labels.classes);
    const treesAccuracy = ml.classificationMetrics(truth.codes, predicted.trees, labels.classes).accuracy;
    test = { file: resolve(testFile), rows: testRows, accuracy: metrics.accuracy, accuracyTrees: treesAccuracy, trainMs, perClass: metrics.perClass, confusion: metrics.confusion };
    log(`test ${resolve(testFile)}: ${testRows} rows, accuracy ${percent(metrics.accuracy)} trees + isolation forest, ${percent(treesAccuracy)} trees alone (training on all ${trainRows} rows: ${seconds(trainMs)})`);
  }

  const attackCode = "CASE WHEN outcome = 'attack' THEN 0 ELSE 1 END";
  const sklearn = await sklearnSideBySide({ noSklearn: args['no-sklearn'] === true, log, sql, ml, features: plan.features, foldOf, train: { table: 'train', labelSql: attackCode }, test: testFile === undefined ? undefined : { table: 'test', labelSql: attackCode } });
  if (sklearn !== null && sklearn.error === undefined) {
    log(`\n                         cs-helper boosted trees   scikit-learn RandomForest(100)`);
    log(`cv accuracy              ${percent(cvBlendAccuracy).padEnd(26)}${percent(sklearn.cv_accuracy)}`);
    log(`cv training per fold     ${seconds(cvTrainMs / cv.folds).padEnd(26)}${seconds(sklearn.cv_train_ms)}`);
    if (test !== null) {
      log(`test accuracy            ${percent(test.accuracy).padEnd(26)}${percent(sklearn.test_accuracy)}`);
      log(`training on all rows     ${seconds(test.trainMs).padEnd(26)}${seconds(sklearn.train_ms)}`);
    }
    log(`(scikit-learn ${sklearn.version} via ${sklearn.python}; same feature matrix and folds)`);
  }
  if (json) {
    console.log(
      JSON.stringify({
        dataset: 'nsl-kdd',
        train_file: trainFile,
        train_rows: trainRows,
        features: plan.features.map((f) => f.column),
        excluded: plan.excluded,
        method: 'gradient-boosted trees, any row an isolation forest of normal traffic scores above its 99th percentile counted as attack',
        accuracy: test?.accuracy ?? cvBlendAccuracy,
        cv: { folds: cv.folds, accuracy: cvBlendAccuracy, accuracy_trees: cv.accuracy, per_class: cv.perClass, confusion: cv.confusion, classes: cv.classes, train_ms_per_fold: cvTrainMs / cv.folds },
        test: test === null ? null : { file: test.file, rows: test.rows, accuracy: test.accuracy, accuracy_trees: test.accuracyTrees, train_ms: test.trainMs, per_class: test.perClass, confusion: test.confusion },
        sklearn,
        unseen,
        params: BOOSTING,
      }),
    );
  }
} finally {
  sql.close();
  await workspace.close();
}

/** The given rows of a matrix as a smaller matrix. */
function pick(columns, rows) {
  return columns.map((c) => {
    const out = new Float32Array(rows.length);
    for (let i = 0; i < rows.length; i += 1) out[i] = c[rows[i]];
    return out;
  });
}

/**
 * Zero-day proxy on the training file alone: each attack family in turn is never seen in training. Normal rows are
 * split 80/20 once; the isolation forest learns the 80% of normal traffic, and its threshold is the 99th percentile of
 * those rows' scores (about 1% of normal traffic flagged by it alone).
 */
async function unseenFamilies(train, labels) {
  const mapFile = join(dirname(trainFile), 'attack_category_map.json');
  if (!existsSync(mapFile)) {
    log(`--unseen skipped: ${mapFile} is not there (it maps attack names to families)`);
    return null;
  }
  const families = JSON.parse(readFileSync(mapFile, 'utf8'));
  const names = await ml.readTextColumn({ sql, table: 'train', rowId: 'rowid', column: 'attack' });
  const rng = new ml.Prng(7);
  const normal = [];
  names.forEach((name, i) => {
    if (name === 'normal') normal.push(i);
  });
  const order = rng.shuffle(Uint32Array.from(normal));
  const cut = Math.round(order.length * 0.8);
  const normalTrain = Array.from(order.subarray(0, cut));
  const normalTest = Array.from(order.subarray(cut));
  const started = performance.now();
  const forest = ml.trainIsolationForest(pick(train.columns, normalTrain), { trees: 100, subsample: 256, seed: 42 });
  const trainScores = Array.from(ml.isolationScores(forest, pick(train.columns, normalTrain))).sort((a, b) => a - b);
  const threshold = trainScores[Math.floor(0.99 * (trainScores.length - 1))];
  const isoMs = performance.now() - started;
  const results = [];
  log(`\nunseen attack families (isolation forest on ${normalTrain.length} normal rows, threshold ${threshold.toFixed(3)}, ${seconds(isoMs)}):`);
  log('family   attacks  detected: trees   trees+iforest   normal flagged: trees   trees+iforest   accuracy: trees   trees+iforest');
  for (const family of ['DoS', 'Probe', 'R2L', 'U2R']) {
    const held = [];
    const kept = [...normalTrain];
    names.forEach((name, i) => {
      if (name === 'normal' || name === null) return;
      (families[name] === family ? held : kept).push(i);
    });
    const model = ml.trainBoosted({ columns: train.columns, labels: labels.codes, classCount: 2, rows: Uint32Array.from(kept) }, BOOSTING);
    const testRows = [...held, ...normalTest];
    const columns = pick(train.columns, testRows);
    const probabilities = ml.predictProbabilities(model, columns);
    const iso = ml.isolationScores(forest, columns);
    let treesHit = 0;
    let blendHit = 0;
    let treesFalse = 0;
    let blendFalse = 0;
    testRows.forEach((_, k) => {
      const attack = probabilities[2 * k] >= 0.5;
      const blended = attack || iso[k] >= threshold;
      if (k < held.length) {
        treesHit += attack ? 1 : 0;
        blendHit += blended ? 1 : 0;
      } else {
        treesFalse += attack ? 1 : 0;
        blendFalse += blended ? 1 : 0;
      }
    });
    const n = testRows.length;
    const row = {
      family,
      attacks: held.length,
      normal: normalTest.length,
      detected_trees: treesHit / held.length,
      detected_blend: blendHit / held.length,
      normal_flagged_trees: treesFalse / normalTest.length,
      normal_flagged_blend: blendFalse / normalTest.length,
      accuracy_trees: (treesHit + normalTest.length - treesFalse) / n,
      accuracy_blend: (blendHit + normalTest.length - blendFalse) / n,
    };
    results.push(row);
    log(`${family.padEnd(9)}${String(held.length).padStart(7)}  ${percent(row.detected_trees).padStart(16)}${percent(row.detected_blend).padStart(16)}${percent(row.normal_flagged_trees).padStart(24)}${percent(row.normal_flagged_blend).padStart(16)}${percent(row.accuracy_trees).padStart(18)}${percent(row.accuracy_blend).padStart(16)}`);
  }
  return { threshold, isolation_ms: isoMs, families: results };
}

/**
 * The evaluated detector: boosted trees, and an isolation forest fitted on the training rows labelled normal; a row
 * is an attack when the trees say so or when the forest scores it above the 99th percentile of normal training rows.
 * The forest is what catches attack types the trees never saw (see --unseen).
 */
function fitDetector(columns, codes, rows) {
  const model = ml.trainBoosted({ columns, labels: codes, classCount: 2, rows }, BOOSTING);
  const normalRows = Array.from(rows).filter((r) => codes[r] === NORMAL);
  const normalColumns = pick(columns, normalRows);
  const forest = ml.trainIsolationForest(normalColumns, { trees: 100, subsample: 256, seed: 42 });
  // The threshold from at most 4,096 normal rows: a percentile needs no more, and scoring every row costs seconds.
  const sample = Array.from(new ml.Prng(1).sample(normalRows.length, 4096));
  const scores = Array.from(ml.isolationScores(forest, pick(normalColumns, sample))).sort((a, b) => a - b);
  const threshold = scores[Math.floor(0.99 * (scores.length - 1))];
  return {
    predict(testColumns) {
      const trees = ml.argmaxRows(ml.predictProbabilities(model, testColumns), 2).classes;
      const iso = ml.isolationScores(forest, testColumns);
      const blend = Int32Array.from(trees, (c, k) => (iso[k] >= threshold ? ATTACK : c));
      return { trees, blend };
    },
  };
}

