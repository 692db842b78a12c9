// intel.ioc-match on written cases: a feed and a CSV written to a temporary folder, the CSV imported, the feed matched
// against it (without the bundled and imported feeds, so only the written indicators can hit).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iocMatch } from '../../src/components/analysis/ioc-match.js';
import { csvImport } from '../../src/components/import/csv.js';
import type { DatasetHandle } from '../../src/model/dataset.js';
import { ComponentHarness, datasetOf, findingsOf } from './component-harness.js';

export interface WrittenCase {
  readonly harness: ComponentHarness;
  /** The folder the feed and the CSV are in (the harness's base folder): more files may be written there. */
  readonly folder: string;
  readonly dataset: DatasetHandle;
  /** The findings table of the match. */
  readonly findings: string;
  close(): Promise<void>;
}

/** Writes `feed` (feed.txt) and `csv` (events.csv), imports the CSV and matches the feed; `params` add to the match's. */
export async function matchWrittenCase(feed: string, csv: string, params: Readonly<Record<string, unknown>> = {}): Promise<WrittenCase> {
  const folder = await mkdtemp(join(tmpdir(), 'cs-helper-ioc-case-'));
  await writeFile(join(folder, 'feed.txt'), feed);
  await writeFile(join(folder, 'events.csv'), csv);
  const harness = await ComponentHarness.open({ baseDir: folder });
  const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['events.csv'] }));
  const output = await harness.run(iocMatch, { datasets: [dataset] }, { feeds: ['feed.txt'], include_bundled: false, include_imported: false, ...params });
  return {
    harness,
    folder,
    dataset,
    findings: findingsOf(output).table,
    async close() {
      await harness.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
