// Ctrl-C on the built binary while an export of a million rows is being written: one cancels cleanly, two quit at once;
// both exit 130 and leave no `<name>.<pid>.<hex>.tmp` behind, and a later export removes one a killed run left.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH } from '../helpers/run-cli.js';

const ROWS = 1_000_000;
let work: string;

beforeAll(async () => {
  if (!existsSync(CLI_PATH)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-interrupt-'));
  const file = createWriteStream(join(work, 'flows.csv'));
  file.write('timestamp,src_ip,dst_ip,dst_port,bytes,action\n');
  const chunk: string[] = [];
  for (let i = 0; i < ROWS; i += 1) {
    const time = new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString();
    chunk.push(`${time},10.0.${i % 250}.${i % 200},93.184.${i % 50}.${i % 240},${[80, 443, 22, 53][i % 4] ?? 80},${(i * 7919) % 100_000},${i % 3 === 0 ? 'deny' : 'allow'}\n`);
    if (chunk.length === 10_000) {
      if (!file.write(chunk.join(''))) await once(file, 'drain');
      chunk.length = 0;
    }
  }
  file.end();
  await once(file, 'finish');
}, 120_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

interface Interrupted {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly sawTemporary: boolean;
  readonly left: string[];
  readonly stderr: string;
}

/** Runs the conversion into `folder`, and sends SIGINT `times` (`gapMs` apart) once its export has written `bytes`. */
async function interruptExport(folder: string, times: number, gapMs = 0, bytes = 1): Promise<Interrupted> {
  const child = spawn(process.execPath, [CLI_PATH, 'dynamic-workflow', 'Convert this CSV to JSON', '--input-files', 'flows.csv', '--outputs', 'enriched_data', '--output-dir', folder, '--execute', '--no-cache', '--log-dir', 'logs'], { cwd: work, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  child.stdout.resume();
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let sawTemporary = false;
  const deadline = Date.now() + 180_000;
  while (!sawTemporary && child.exitCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const names = existsSync(join(work, folder)) ? await readdir(join(work, folder)) : [];
    const temporary = names.find((n) => n.endsWith('.tmp'));
    sawTemporary = temporary !== undefined && ((await stat(join(work, folder, temporary)).catch(() => null))?.size ?? 0) >= bytes;
  }
  for (let i = 0; i < times; i += 1) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
    child.kill('SIGINT');
  }
  const [code, signal] = await exited;
  return { code, signal, sawTemporary, left: await readdir(join(work, folder)), stderr };
}

describe('Ctrl-C during an export', () => {
  it('twice: quits at once with exit code 130, removing the half-written file', async () => {
    // 5 ms apart, into an export well under way: the second one finds the file still being written (without the
    // removal on the hard quit, a file of several MB stays behind).
    const result = await interruptExport('twice', 2, 5, 4 * 1024 * 1024);
    expect(result.sawTemporary, result.stderr).toBe(true);
    // A second Ctrl-C that arrives only after the cancelled run has ended meets Node's default instead: death by SIGINT,
    // which a shell reports as 130 too.
    expect(result.code === 130 || result.signal === 'SIGINT', `${String(result.code)} ${String(result.signal)} ${result.stderr}`).toBe(true);
    expect(result.left.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 240_000);

  it('once: cancels cleanly with exit code 130, as documented', async () => {
    const result = await interruptExport('once', 1);
    expect(result.sawTemporary, result.stderr).toBe(true);
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('error: the run was cancelled');
    expect(result.left.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 240_000);

  it('a later export to the folder removes the temporary file a killed run left, and no other', async () => {
    await writeFile(join(work, 'once', 'enriched_data.csv.0badf00d.tmp'), 'rows of a run killed with -9\n');
    await writeFile(join(work, 'once', 'notes.tmp'), 'the user\'s own\n');
    await writeFile(join(work, 'small.csv'), 'timestamp,src_ip,dst_ip,dst_port,bytes,action\n2024-01-01T00:00:00Z,10.0.0.1,93.184.0.1,443,100,allow\n');
    const child = spawn(process.execPath, [CLI_PATH, 'dynamic-workflow', 'Convert this CSV to JSON', '--input-files', 'small.csv', '--outputs', 'enriched_data', '--output-dir', 'once', '--execute', '--log-dir', 'logs'], { cwd: work, stdio: 'ignore' });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect((await readdir(join(work, 'once'))).sort()).toEqual(['enriched_data.csv', 'notes.tmp']);
  }, 120_000);
});
