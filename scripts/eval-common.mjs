// Shared by the evaluation scripts (eval-nsl-kdd.mjs, eval-phishing.mjs): argument reading, the built modules,
// cross-validation of the project's boosted trees over a workspace table, and the scikit-learn comparison.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';

export const root = resolve(import.meta.dirname, '..');

/** Exits 2 with an error and a hint: the evaluation cannot run (no data, no build), which is not a wrong result. */
export function unavailable(message, hint) {
  console.error(`error: ${message}`);
  console.error(`hint: ${hint}`);
  process.exit(2);
}

/**
 * The command line, read by node:util's parseArgs (strict: an unknown or incomplete option is an error line and exit 2):
 * --help prints `help` and exits; --json and --no-sklearn are common to every evaluation, `options` adds the script's own.
 */
export function evaluationArgs(help, options) {
  let parsed;
  try {
    parsed = parseArgs({ args: process.argv.slice(2), strict: true, options: { help: { type: 'boolean', short: 'h' }, json: { type: 'boolean' }, 'no-sklearn': { type: 'boolean' }, folds: { type: 'string' }, ...options } });
  } catch (error) {
    unavailable(error instanceof Error ? error.message : String(error), 'see --help for the options');
  }
  if (parsed.values.help === true) {
    console.log(help);
    process.exit(0);
  }
  return parsed.values;
}

/** The built project (dist/): the evaluation measures the code users run. */
export async function loadBuilt() {
  const needed = ['data/workspace.js', 'ml/plan-features.js', 'ml/feature-matrix.js', 'ml/gradient-boosting.js', 'ml/metrics.js', 'ml/cross-validation.js', 'ml/label-encoding.js', 'ml/isolation-forest.js', 'data/sql-text.js', 'ml/prng.js'];
  for (const file of needed) if (!existsSync(join(root, 'dist', file))) unavailable(`dist/${file} is missing`, 'run `npm run build` first');
  const load = (file) => import(pathToFileURL(join(root, 'dist', file)).href);
  const [workspace, plan, matrix, boosting, metrics, cv, labels, isolation, sqlText, prng] = await Promise.all(needed.map(load));
  return { ...workspace, ...plan, ...matrix, ...boosting, ...metrics, ...cv, ...labels, ...isolation, ...sqlText, ...prng };
}

/** /usr/bin/python3 (Debian's, where python3-sklearn installs) first, then python3 on PATH; null without sklearn. */
export function findSklearnPython() {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import sklearn, sys; sys.stdout.write(sklearn.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return null;
}

/** Runs scripts/eval_sklearn.py on CSV matrices the engine wrote; returns its JSON. */
export function runSklearn(python, args) {
  const result = spawnSync(python, [join(root, 'scripts', 'eval_sklearn.py'), ...args], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (result.status !== 0) return { error: (result.stderr || result.stdout || `exit ${result.status}`).trim().split('\n').slice(-3).join(' ') };
  return JSON.parse(result.stdout);
}

export function percent(value) {
  return value === null || value === undefined ? 'n/a' : `${(value * 100).toFixed(2)}%`;
}

export function seconds(ms) {
  return ms === null || ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`;
}

/**
 * scikit-learn's RandomForest on the same feature matrix and folds, for the side-by-side figures: the engine writes the
 * training rows (features, label code `y`, fold) and, when given, the test rows to CSV for scripts/eval_sklearn.py.
 * Returns null when skipped (--no-sklearn, or no python3 with sklearn: said through `log`), else the script's JSON
 * (with `error` when it failed).
 */
export async function sklearnSideBySide({ noSklearn, log, sql, ml, features, foldOf, train, test }) {
  const python = noSklearn ? null : findSklearnPython();
  if (python === null) {
    log(noSklearn ? 'scikit-learn comparison skipped (--no-sklearn)' : 'scikit-learn comparison skipped: no python3 with sklearn (Debian: apt install python3-sklearn)');
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'cs-helper-eval-'));
  try {
    const select = features.map((f) => `${ml.featureSql(f)} AS ${ml.quoteIdent(f.column)}`).join(', ');
    await sql.run('CREATE TABLE folds (row_id BIGINT, fold INTEGER)');
    await sql.append('folds', Array.from(foldOf, (f, i) => [i, f]));
    await sql.run(`COPY (SELECT ${select}, ${train.labelSql} AS y, f.fold FROM ${ml.quoteIdent(train.table)} t JOIN folds f ON f.row_id = t.rowid ORDER BY t.rowid) TO ${ml.quoteLiteral(join(dir, 'train.csv'))} (HEADER)`);
    const sklearnArgs = ['--train', join(dir, 'train.csv')];
    if (test !== undefined) {
      await sql.run(`COPY (SELECT ${select}, ${test.labelSql} AS y FROM ${ml.quoteIdent(test.table)} t ORDER BY t.rowid) TO ${ml.quoteLiteral(join(dir, 'test.csv'))} (HEADER)`);
      sklearnArgs.push('--test', join(dir, 'test.csv'));
    }
    const result = { python: python.python, version: python.version, ...runSklearn(python.python, sklearnArgs) };
    if (result.error !== undefined) log(`scikit-learn failed: ${result.error}`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
