// Compressed inputs through the built binary, as analysts get them: an OTRF recording as its ZIP archive ships, a
// gzip-rotated Zeek log. The results must be those of the same data handed over plain.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveMember, extractMember } from '../../src/data/archive/archive-member.js';
import { runCli } from '../helpers/run-cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const OTRF_ZIP = join(root, 'test', 'fixtures', 'import', 'archive', 'psh_powershell_httplistener.zip');
const ZEEK_CONN = join(root, 'test', 'fixtures', 'import', 'zeek', 'conn-trickbot.log');

let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-compressed-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface RunSummary {
  status: string;
  rows_in: number;
  steps: { node: string; component: string; summary: string }[];
}

async function workflow(problem: string, input: string, out: string, outputs: string[]): Promise<RunSummary> {
  const result = await runCli(['dynamic-workflow', problem, '--input-files', input, '--outputs', ...outputs, '--output-dir', out, '--log-dir', join(work, 'logs'), '--execute', '--json'], { cwd: work });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as RunSummary;
}

describe('compressed inputs', () => {
  it('runs a workflow on an OTRF recording as its ZIP archive ships: every event read', async () => {
    const summary = await workflow('Detect attacker activity in these Windows events and map to MITRE ATT&CK', OTRF_ZIP, join(work, 'otrf'), ['enriched_data.json']);
    expect(summary.status).toBe('completed');
    expect(summary.rows_in).toBe(110);
    const importStep = summary.steps.find((s) => s.node === 'import');
    expect(importStep?.component).toBe('import.json');
    expect(importStep?.summary).toContain('inflated from psh_powershell_httplistener.zip');
    const rows = JSON.parse(await readFile(join(work, 'otrf', 'enriched_data.json'), 'utf8')) as Record<string, unknown>[];
    expect(rows).toHaveLength(110);
    expect(rows[0]).toMatchObject({ EventID: 1102, Channel: 'Security' });
  }, 120_000);

  it('reads a gzip-compressed Zeek log as the log itself: the same enriched rows', async () => {
    const gz = join(work, 'conn.log.gz');
    await writeFile(gz, gzipSync(await readFile(ZEEK_CONN)));
    const plain = await workflow('Hunt for threats in these connection logs', ZEEK_CONN, join(work, 'plain'), ['enriched_data']);
    const zipped = await workflow('Hunt for threats in these connection logs', gz, join(work, 'gz'), ['enriched_data']);
    expect(zipped.steps.find((s) => s.node === 'import')?.component).toBe('import.log');
    expect(zipped.rows_in).toBe(plain.rows_in);
    const read = async (dir: string): Promise<Record<string, string>[]> => Papa.parse<Record<string, string>>(await readFile(join(work, dir, 'enriched_data.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(await read('gz')).toEqual(await read('plain'));
  }, 120_000);

  it('detect reads the recording inside a ZIP archive, and finds what it finds in the plain file', async () => {
    const plain = join(work, 'httplistener.json');
    const member = await archiveMember(OTRF_ZIP, 'otrf.zip', 'zip', (await readFile(OTRF_ZIP)).length);
    if (member === null) throw new Error('the OTRF fixture holds no data file');
    await extractMember(OTRF_ZIP, 'otrf.zip', member, plain);
    const fromZip = await runCli(['detect', '--json', OTRF_ZIP], { cwd: work });
    const fromPlain = await runCli(['detect', '--json', plain], { cwd: work });
    expect(fromZip.code, fromZip.stderr).toBe(0);
    expect(fromPlain.code, fromPlain.stderr).toBe(0);
    const strip = (text: string): unknown => {
      const parsed = JSON.parse(text) as { files: string[]; detections: { file: string }[]; rules_loaded: number };
      return { rules_loaded: parsed.rules_loaded, detections: parsed.detections.map((d) => ({ ...d, file: null })) };
    };
    expect(strip(fromZip.stdout)).toEqual(strip(fromPlain.stdout));
    expect((JSON.parse(fromZip.stdout) as { rules_loaded: number }).rules_loaded).toBeGreaterThan(200);
  }, 120_000);
});
