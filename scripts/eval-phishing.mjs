// `node scripts/eval-phishing.mjs [--data FILE] [--folds K] [--json] [--no-sklearn]`: phishing-URL classification
// with the features processing.enrich derives from a URL column (the lexical counts of the Hannousse & Yahiouche
// dataset, host, registered domain, TLD, DGA score): the enrichment component runs on the URL list as in a real run,
// then CS Helper's boosted trees are cross-validated on its output (stratified K folds) against the `status` label;
// scikit-learn's RandomForestClassifier(100) runs on the same matrix and folds where it is installed.
// Exit 2 when the data or the build is missing.
/* global AbortController */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { evaluationArgs, loadBuilt, percent, root, seconds, sklearnSideBySide, unavailable } from './eval-common.mjs';

const HELP = `usage: node scripts/eval-phishing.mjs [--data FILE] [--folds K] [--json] [--no-sklearn]

Cross-validates CS Helper's boosted trees on phishing URLs (legitimate versus phishing) using only the features that
processing.enrich derives from the URL. --data is a CSV with columns url and status
(default ../shared/data/phishing-urls/dataset_phishing_url_status.csv). Exit 2 when the data or dist/ is missing.`;

const args = evaluationArgs(HELP, { data: { type: 'string' } });
const json = args.json === true;
const dataFile = resolve(args.data ?? join(root, '..', 'shared', 'data', 'phishing-urls', 'dataset_phishing_url_status.csv'));
const folds = Number(args.folds ?? 5);
if (!existsSync(dataFile)) unavailable(`the phishing URL file ${dataFile} is not there: nothing was measured`, 'pass --data FILE (CSV with url and status columns), or place the Hannousse & Yahiouche set in ../shared/data/phishing-urls/');
if (!Number.isInteger(folds) || folds < 2 || folds > 20) unavailable('--folds must be a whole number from 2 to 20', 'the usual value is 5');
const enrichFile = join(root, 'dist', 'components', 'processing', 'enrich.js');
if (!existsSync(enrichFile)) unavailable('dist/components/processing/enrich.js is missing', 'run `npm run build` first');

const ml = await loadBuilt();
const { enrichment, enrichParams } = await import(pathToFileURL(enrichFile).href);
const log = (line) => {
  if (!json) console.log(line);
};
const workspace = await ml.Workspace.open({ threads: 2 });
const sql = await workspace.session();
try {
  await sql.run(`CREATE TABLE urls AS SELECT url, status FROM read_csv(${ml.quoteLiteral(dataFile)}, header = true)`);
  const handle = await workspace.handle(sql, 'urls', [dataFile]);
  // A minimal step context: the enrichment needs the engine, table names and descriptions; nothing here is logged.
  const signal = new AbortController().signal;
  const context = {
    sql,
    tableName: (prefix) => workspace.tableName(prefix),
    describe: (table, sources) => workspace.handle(sql, table, sources, signal),
    signal,
    log: { info() {}, warn() {}, dataOperation() {}, decision() {} },
    progress() {},
    run: { runId: 'eval', sessionId: null, baseDir: root, outputDir: tmpdir(), plan: null, node: 'enrich', startedAt: performance.now(), completedSteps: () => [] },
  };
  const enrichStarted = performance.now();
  const enriched = await enrichment.run(context, { datasets: [handle], findings: [], summaries: [] }, enrichParams.parse({}));
  const enrichMs = performance.now() - enrichStarted;
  const table = enriched.dataset.table;
  const columns = await sql.describe(`SELECT * FROM ${ml.quoteIdent(table)}`);
  const plan = await ml.planFeatures({ sql, table, columns, label: 'status', exclude: ['url'] });
  const matrix = await ml.readFeatureMatrix({ sql, table, rowId: 'rowid', features: plan.features });
  const labels = ml.encodeLabels(await ml.readTextColumn({ sql, table, rowId: 'rowid', column: 'status' }));
  log(`phishing URLs ${dataFile}: ${matrix.rows} rows (${labels.classes.join(' / ')}); enrichment ${seconds(enrichMs)}; ${plan.features.length} features: ${plan.features.map((f) => f.column).join(', ')}`);
  log(`excluded: ${plan.excluded.map((e) => `${e.column} (${e.reason})`).join(', ')}`);
  const foldOf = ml.stratifiedFolds(labels.codes, labels.classes.length, folds, 42);
  let trainMs = 0;
  const cv = ml.crossValidate({
    labels: labels.codes,
    classes: labels.classes,
    k: folds,
    seed: 42,
    train: (rows) => {
      const started = performance.now();
      const model = ml.trainBoosted({ columns: matrix.columns, labels: labels.codes, classCount: labels.classes.length, rows }, ml.DEFAULT_BOOSTING);
      trainMs += performance.now() - started;
      return { predict: (test) => ml.argmaxRows(ml.predictProbabilities(model, matrix.columns.map((c) => Float32Array.from(test, (r) => c[r]))), labels.classes.length).classes };
    },
  });
  log(`cross-validation (${cv.folds} folds): accuracy ${percent(cv.accuracy)}, mean training time per fold ${seconds(trainMs / cv.folds)}`);
  for (const c of cv.perClass) log(`  ${c.label.padEnd(12)} precision ${percent(c.precision)}  recall ${percent(c.recall)}  F1 ${percent(c.f1)}  (${c.support} rows)`);

  const classList = `[${labels.classes.map((c) => ml.quoteLiteral(c)).join(', ')}]::VARCHAR[]`;
  const sklearn = await sklearnSideBySide({ noSklearn: args['no-sklearn'] === true, log, sql, ml, features: plan.features, foldOf, train: { table, labelSql: `list_position(${classList}, CAST(t.status AS VARCHAR)) - 1` } });
  if (sklearn !== null && sklearn.error === undefined) log(`scikit-learn ${sklearn.version} RandomForest(100), same matrix and folds: accuracy ${percent(sklearn.cv_accuracy)}, ${seconds(sklearn.cv_train_ms)} per fold`);
  if (json) {
    console.log(JSON.stringify({ dataset: 'phishing-urls', file: dataFile, rows: matrix.rows, enrich_ms: enrichMs, features: plan.features.map((f) => f.column), excluded: plan.excluded, accuracy: cv.accuracy, cv: { folds: cv.folds, per_class: cv.perClass, confusion: cv.confusion, classes: cv.classes, train_ms_per_fold: trainMs / cv.folds }, sklearn }));
  }
} finally {
  sql.close();
  await workspace.close();
}
