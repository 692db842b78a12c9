// analysis.patterns: runs the pattern detectors of patterns/ over one dataset into one findings table: robust outliers
// (overall and per entity), rare values, volume spikes, beaconing, brute force, port scans, web scans, DGA-like domains,
// executable downloads and first-seen entities.
// Which findings point at rows and which at the data as a whole is each detector's choice, written in its header.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { PlainValue } from '../../data/plain-value.js';
import { quoteIdent } from '../../data/sql-text.js';
import { defineComponent } from '../component.js';
import { createFindingsTable } from '../findings-table.js';
import { requireDataset } from '../inputs.js';
import { detectBeaconing } from './patterns/beaconing.js';
import { detectBruteForce } from './patterns/brute-force.js';
import { detectDgaDomains } from './patterns/dga-domains.js';
import { detectExecutableDownloads } from './patterns/executable-downloads.js';
import { holdSample, type DetectorContext, type DetectorOutcome } from './patterns/detector.js';
import { detectFirstSeen } from './patterns/first-seen.js';
import { detectEntityOutliers, detectOutliers, measureStats, type MeasureStats } from './patterns/outliers.js';
import { patternColumns, type PatternColumns } from './patterns/pattern-columns.js';
import { patternsParams as detectorParams, type PatternDetector } from './patterns/patterns-params.js';
import { detectPortScans } from './patterns/port-scan.js';
import { detectRareValues } from './patterns/rare-values.js';
import { detectSpikes } from './patterns/volume-spikes.js';
import { detectWebScans } from './patterns/web-scan.js';

export const patternsParams = detectorParams;

/** Summary keys, one per detector: the number found, and for the detectors that list what they found, the list. */
const COUNT_KEYS: Readonly<Record<PatternDetector, string>> = {
  outliers: 'outliers',
  entity_outliers: 'entity_outliers',
  rare_values: 'rare_values',
  spikes: 'spike_count',
  beaconing: 'beaconing_pairs',
  brute_force: 'brute_force_entities',
  port_scan: 'port_scanners',
  web_scan: 'web_scanners',
  dga_domains: 'dga_domains',
  executable_downloads: 'executable_downloads',
  first_seen: 'new_entities',
};
const LIST_KEYS: Partial<Readonly<Record<PatternDetector, string>>> = { outliers: 'outlier_columns_skipped', entity_outliers: 'entity_outlier_columns_skipped', spikes: 'spikes', beaconing: 'beacons', brute_force: 'brute_force', port_scan: 'port_scans', web_scan: 'web_scans', dga_domains: 'dga_like_domains', executable_downloads: 'downloads', first_seen: 'first_seen' };

export const patternAnalysis = defineComponent({
  id: 'analysis.patterns',
  version: '7',
  type: ComponentType.ANALYSIS,
  complexity: Complexity.MODERATE,
  title: 'Pattern Analysis',
  description:
    'Finds anomalies and attack patterns: robust outliers (median/MAD, on a log scale where the values are right-skewed, as bytes are) overall and per source or user, rare categorical values (in tables of 50 rows or more), hourly volume spikes per source, beaconing (a source calling one destination at a steady rhythm), brute force (bursts of failed logons per source or user against one target: failed-logon events and messages, HTTP 401 or 403 on a sign-in path, denies on the port of a login service; a deny spread over many ports is a scan), port scans and host sweeps, web vulnerability scans (one client requesting many distinct paths, many of them answered 4xx), DGA-like domains (long random-character names in DNS queries or host fields), executable downloads (a program in the response MIME type, disguised when the requested name claims another type), and destinations first seen at the end of the time range. Each anomaly feeds anomaly_reasons and the threat score.',
  capabilities: [Capability.anomalyDetection],
  consumes: ['dataset'],
  produces: ['findings', 'summary'],
  order: 10,
  params: patternsParams,
  // Measured on 2 cores (bench/analysis.mjs): ~150 ms fixed, ~1.3 s per million rows of 16 columns with every detector.
  estimateMs: ({ rows, columns }) => 150 + (rows * Math.max(columns, 1)) / 12_000,
  async run(context, inputs, params) {
    const dataset = requireDataset(inputs, 'analysis.patterns');
    const findings = context.tableName('pattern_findings');
    await createFindingsTable(context.sql, findings, context.signal);
    const columns = patternColumns(dataset);
    const enabled = new Set(params.detectors);
    const source = { sql: context.sql, signal: context.signal, table: quoteIdent(dataset.table), rowId: quoteIdent(dataset.rowId), rowCount: dataset.rowCount };
    const sampled = sampledColumns(columns, enabled);
    const detector: DetectorContext = {
      ...source,
      findings: quoteIdent(findings),
      tableName: dataset.table,
      scratchPrefix: findings,
      columns,
      params,
      sample: await holdSample(source, sampled, SAMPLE_TABLE),
    };
    let stats: MeasureStats[] = [];
    if (enabled.has('outliers') || enabled.has('entity_outliers')) stats = await measureStats(detector);
    const runs: Readonly<Record<PatternDetector, () => Promise<DetectorOutcome>>> = {
      outliers: () => detectOutliers(detector, stats),
      entity_outliers: () => detectEntityOutliers(detector, stats),
      rare_values: () => detectRareValues(detector),
      spikes: () => detectSpikes(detector),
      beaconing: () => detectBeaconing(detector),
      brute_force: () => detectBruteForce(detector, dataset.columns),
      port_scan: () => detectPortScans(detector),
      web_scan: () => detectWebScans(detector, dataset.columns),
      dga_domains: () => detectDgaDomains(detector, dataset.columns),
      executable_downloads: () => detectExecutableDownloads(detector, dataset.columns),
      first_seen: () => detectFirstSeen(detector),
    };
    const counts: Record<string, number> = {};
    const lists: Record<string, PlainValue> = {};
    const judged = new Set<string>();
    const order = Object.keys(runs) as PatternDetector[];
    for (const [index, name] of order.entries()) {
      if (!enabled.has(name)) continue;
      context.progress(index / order.length, name.replaceAll('_', ' '));
      const outcome = await runs[name]();
      counts[COUNT_KEYS[name]] = outcome.found;
      const listKey = LIST_KEYS[name];
      if (listKey !== undefined) lists[listKey] = [...outcome.listed];
      for (const column of outcome.judged ?? []) judged.add(column);
    }

    if (detector.sample !== detector.table) await context.sql.run(`DROP TABLE ${detector.sample}`, [], context.signal);
    const flaggedRows = Number(await context.sql.scalar(`SELECT count(DISTINCT row_id) FROM ${quoteIdent(findings)} WHERE row_id IS NOT NULL`, [], context.signal));
    const handle = await context.describe(findings, dataset.sources);
    context.log.dataOperation({ operation: 'analyse', target: dataset.table, rows: dataset.rowCount, detail: { ...counts, flagged_rows: flaggedRows } });
    const used = { time: columns.time?.name ?? null, source: columns.source?.name ?? null, destination: columns.destination?.name ?? null, destination_port: columns.destinationPort?.name ?? null, user: columns.user?.name ?? null };
    return {
      findings: handle,
      summary: {
        ...counts,
        flagged_rows: flaggedRows,
        measure_columns: columns.measures.map((c) => c.name),
        // The measure columns an outlier threshold acted on: none, and a lower threshold cannot flag anything.
        outlier_columns_judged: judged.size,
        category_columns: columns.categories.map((c) => c.name),
        columns_used: used,
        ...lists,
      },
      rowsIn: dataset.rowCount,
      rowsOut: handle.rowCount,
      message: messageOf(counts, flaggedRows),
    };
  },
});

/** The temp table that holds the sample of a large table for the median-based detectors. */
const SAMPLE_TABLE = '__pattern_sample';

/** The columns the enabled median-based detectors read from the sample: the measures and the entity they are judged per. */
function sampledColumns(columns: PatternColumns, enabled: ReadonlySet<PatternDetector>): string[] {
  if (!enabled.has('outliers') && !enabled.has('entity_outliers')) return [];
  const entity = enabled.has('entity_outliers') ? [columns.source ?? columns.user].filter((c) => c !== undefined) : [];
  return [...new Set([...columns.measures, ...entity].map((c) => c.name))];
}

/** `2 beaconing pairs, 1 brute force source, 3 outliers (57 rows flagged)`: only what was found, most telling first. */
function messageOf(counts: Readonly<Record<string, number>>, flaggedRows: number): string {
  const parts: [string, string][] = [
    ['beaconing_pairs', 'beaconing pairs'],
    ['brute_force_entities', 'brute-force sources'],
    ['port_scanners', 'port scanners'],
    ['web_scanners', 'web scanners'],
    ['dga_domains', 'DGA-like domains'],
    ['executable_downloads', 'executable downloads'],
    ['outliers', 'outliers'],
    ['entity_outliers', 'per-entity outliers'],
    ['rare_values', 'rare values'],
    ['spike_count', 'volume spikes'],
    ['new_entities', 'new destinations'],
  ];
  const found = parts.filter(([key]) => (counts[key] ?? 0) > 0).map(([key, words]) => `${counts[key] ?? 0} ${words}`);
  return `${found.length === 0 ? 'no patterns found' : found.join(', ')} (${flaggedRows} rows flagged)`;
}

export type PatternsParams = z.infer<typeof patternsParams>;
