// Export temporary files: the ones being written are removed by a hard quit, and an export removes those of its output
// that a dead run left, never any other file, nor one a live process is still writing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTextFile } from '../../../src/components/export/output-file.js';
import { claimTemporary, removeStaleTemporaries, removeTemporariesSync } from '../../../src/components/export/temporary-files.js';

let work: string;
/** The pid of a process that has exited. */
let deadPid: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-temporary-files-'));
  deadPid = spawnSync(process.execPath, ['-e', '']).pid;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function folderWith(name: string, files: readonly string[]): Promise<string> {
  const folder = join(work, name);
  await mkdir(folder);
  for (const file of files) await writeFile(join(folder, file), 'half-written\n');
  return folder;
}

describe('removeStaleTemporaries', () => {
  it('removes exactly the temporary files of that output name whose run is gone', async () => {
    const stale = ['enriched_data.csv.0a1b2c3d.tmp', `enriched_data.csv.${deadPid}.deadbeef.tmp`];
    const kept = [
      'enriched_data.csv',
      `enriched_data.csv.${process.ppid}.cafebabe.tmp`, // a live process is writing it
      'enriched_data.csv.DEADBEEF.tmp',
      'enriched_data.csv.deadbee.tmp',
      'enriched_data.csv.deadbeef.tmp.bak',
      'enriched_data.csv.deadbeef.tmpx',
      'xenriched_data.csv.deadbeef.tmp',
      'enriched_dataXcsv.deadbeef.tmp',
      'enriched_data.json.deadbeef.tmp',
      'threat_report.html.deadbeef.tmp',
    ];
    const folder = await folderWith('stale', [...stale, ...kept]);
    await mkdir(join(folder, 'enriched_data.csv.feedface.tmp'));
    expect((await removeStaleTemporaries(join(folder, 'enriched_data.csv'))).sort()).toEqual([...stale].sort());
    expect((await readdir(folder)).sort()).toEqual([...kept, 'enriched_data.csv.feedface.tmp'].sort());
  });

  it('leaves the temporary files this process is writing, which the hard quit removes', async () => {
    const folder = await folderWith('live', []);
    const first = claimTemporary(join(folder, 'enriched_data.csv'));
    const second = claimTemporary(join(folder, 'findings.json'));
    const done = claimTemporary(join(folder, 'threat_report.html'));
    for (const claimed of [first, second, done]) await writeFile(claimed.path, 'rows\n');
    expect(basename(first.path)).toMatch(new RegExp(`^enriched_data\\.csv\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(await removeStaleTemporaries(join(folder, 'enriched_data.csv'))).toEqual([]);
    // Renamed by its export: no longer this module's to remove.
    done.release();
    removeTemporariesSync();
    expect(existsSync(first.path)).toBe(false);
    expect(existsSync(second.path)).toBe(false);
    expect(existsSync(done.path)).toBe(true);
  });

  it('is nothing to do for a folder that does not exist yet', async () => {
    expect(await removeStaleTemporaries(join(work, 'missing', 'enriched_data.csv'))).toEqual([]);
  });
});

describe('an export to a folder', () => {
  it('removes the stale temporary files of its output left by an earlier run, and writes its own', async () => {
    const folder = await folderWith('export', ['report.md.0123abcd.tmp', `report.md.${deadPid}.0123abcd.tmp`, 'other.md.0123abcd.tmp']);
    await writeTextFile(join(folder, 'report.md'), '# Report\n');
    expect((await readdir(folder)).sort()).toEqual(['other.md.0123abcd.tmp', 'report.md']);
  });
});
