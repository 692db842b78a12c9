// Sigma rules run on a written event table: each run writes its rule files to a folder of its own and runs the rules
// as analysis.sigma and `cs-helper detect` do (runSigma), returning the detections as "title @ row".
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainText } from '../../src/data/plain-value.js';
import type { SqlSession } from '../../src/data/sql-session.js';
import { Workspace } from '../../src/data/workspace.js';
import { runSigma, type SigmaRun } from '../../src/intel/sigma/run-sigma.js';
import type { SigmaLevel } from '../../src/intel/sigma/sigma-rule.js';

export class SigmaCase {
  #runs = 0;

  private constructor(
    private readonly workspace: Workspace,
    readonly sql: SqlSession,
    private readonly dir: string,
  ) {}

  static async open(): Promise<SigmaCase> {
    const workspace = await Workspace.open({ threads: 2 });
    return new SigmaCase(workspace, await workspace.session(), await mkdtemp(join(tmpdir(), 'cs-helper-sigma-case-')));
  }

  /** Runs the rule files (name -> YAML) on `table`, whose columns are given as "name:SQL TYPE". */
  async run(files: Readonly<Record<string, string>>, table: string, columns: readonly string[], minLevel: SigmaLevel = 'informational'): Promise<{ run: SigmaRun; hits: string[] }> {
    this.#runs += 1;
    const suffix = String(this.#runs);
    const folder = join(this.dir, `run${suffix}`);
    await mkdir(folder, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
    const typed = columns.map((c) => {
      const [name = '', sqlType = ''] = c.split(':');
      return { name, sqlType };
    });
    const run = await runSigma(this.sql, { table, rowId: 'rowid', columns: typed }, { rules: [{ absolute: folder, display: 'rules' }], minLevel, tableName: (p) => `${p}_${suffix}`, signal: new AbortController().signal });
    const rows = await this.sql.all(`SELECT row_id, title FROM "${run.detections}" ORDER BY title, row_id`);
    return { run, hits: rows.map((r) => `${plainText(r['title'])} @ ${String(Number(r['row_id']))}`) };
  }

  async close(): Promise<void> {
    this.sql.close();
    await this.workspace.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}
