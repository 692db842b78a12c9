// Runs the built cs-helper binary with --model, as a user would: train and save on labelled connections, then load
// the model by name for a file without labels; a hostile model name is one error line with a hint.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../helpers/run-cli.js';
import { ML_FIXTURES } from '../../ml/nsl-kdd-fixture.js';

let work = '';

async function csHelper(args: readonly string[]): Promise<CliResult> {
  return runCli([...args, '--log-dir', join(work, 'logs')], { cwd: work, maxBuffer: 16 * 1024 * 1024 });
}

/** The classify step's one-line summary from the run summary that --json prints. */
function stepSummary(stdout: string): string {
  const summary = JSON.parse(stdout) as { steps: { component: string; summary: string }[] };
  return summary.steps.find((s) => s.component === 'processing.classify')?.summary ?? '';
}

const PROBLEM = 'Classify these connections with machine learning';

describe('cs-helper dynamic-workflow --model', () => {
  const truth: string[] = [];
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cs-helper-classify-cli-'));
    // 1,200 labelled connections (normal or attack) to train on, and 300 others with the label column empty.
    const [header = '', ...lines] = readFileSync(join(ML_FIXTURES, 'nsl-kdd-2500.csv'), 'utf8').trim().split('\n');
    const binary = (line: string, blank: boolean): string => {
      const cells = line.split(',');
      const attack = cells[41] ?? '';
      truth.push(attack === 'normal' ? 'normal' : 'attack');
      cells[41] = blank ? '' : attack === 'normal' ? 'normal' : 'attack';
      return cells.join(',');
    };
    await writeFile(join(work, 'labelled.csv'), [header, ...lines.slice(0, 1200).map((l) => binary(l, false))].join('\n'));
    truth.length = 0;
    await writeFile(join(work, 'unlabelled.csv'), [header, ...lines.slice(1200, 1500).map((l) => binary(l, true))].join('\n'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('trains and saves the model, then predicts a file without labels with it', async () => {
    const trained = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', 'labelled.csv', '--model', 'kdd-cli', '--outputs', 'classified_data', '--output-dir', 'out1', '--execute', '--json']);
    expect(trained.stderr, trained.stdout).not.toMatch(/^\s+at /m);
    expect(trained.code, `${trained.stdout}\n${trained.stderr}`).toBe(0);
    // Rows predicted in a threat class (attack: the label has a harmless class, normal) become findings, as many as
    // the CSV's rows predicted attack.
    const trainedRows = Papa.parse<Record<string, string>>(readFileSync(join(work, 'out1', 'classified_data.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    const trainedAttacks = trainedRows.filter((r) => r['predicted_label'] === 'attack');
    expect(trainedAttacks.length).toBeGreaterThan(400);
    expect(stepSummary(trained.stdout)).toMatch(new RegExp(`^boosted trees predicted label for 1,200 rows, 5-fold accuracy \\d+\\.\\d% \\(majority class \\d+\\.\\d%\\); ${trainedAttacks.length} rows predicted as a threat \\(attack\\)$`));
    expect(trainedAttacks.every((r) => r['anomaly_reasons'] === 'ml: predicted label=attack' && Number(r['threat_score']) === Math.round(40 * Number(r['prediction_confidence'])))).toBe(true);
    expect(trainedRows.filter((r) => r['predicted_label'] === 'normal').every((r) => r['anomaly_reasons'] === '' && r['threat_score'] === '0')).toBe(true);
    expect(existsSync(join(process.env['CS_HELPER_HOME'] ?? '', 'models', 'kdd-cli.json'))).toBe(true);

    const predicted = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', 'unlabelled.csv', '--model', 'kdd-cli', '--outputs', 'classified_data', '--output-dir', 'out2', '--execute', '--json']);
    expect(predicted.code).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(join(work, 'out2', 'classified_data.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(rows).toHaveLength(300);
    // The saved model's classes tell attack from normal, so its predictions are findings too.
    expect(stepSummary(predicted.stdout)).toBe(`saved model predicted label for 300 rows; ${rows.filter((r) => r['predicted_label'] === 'attack').length} rows predicted as a threat (attack)`);
    const right = rows.filter((r, i) => r['predicted_label'] === truth[i]).length / rows.length;
    const majority = Math.max(...['normal', 'attack'].map((c) => truth.filter((t) => t === c).length)) / truth.length;
    expect(right).toBeGreaterThan(Math.max(0.9, majority + 0.3));
    expect(rows.every((r) => Number(r['prediction_confidence']) >= 0.5 && Number(r['prediction_confidence']) <= 1)).toBe(true);
  });

  it('refuses a model name that is a path, in one error line with a hint', async () => {
    const result = await csHelper(['dynamic-workflow', PROBLEM, '--input-files', 'labelled.csv', '--model', '../escape', '--execute']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: the model name "\.\.\/escape" is not allowed$/m);
    expect(result.stderr).toMatch(/^hint: model names are 1-64 letters/m);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
