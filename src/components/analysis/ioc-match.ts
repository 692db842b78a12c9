// intel.ioc-match: matches IP, domain, URL, hash and free-text columns against the bundled abuse.ch feed, the feeds
// imported into the state folder and any feed named, as joins in the engine: exact values, CIDR ranges, domain
// suffixes, normalised URLs and URL hosts.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import type { DatasetColumn } from '../../model/dataset.js';
import type { SemanticRole } from '../../model/semantic-role.js';
import { resolveInput } from '../../data/input-files.js';
import { quoteIdent } from '../../data/sql-text.js';
import { BUNDLED_FEED_PATH } from '../../intel/bundled-feed.js';
import { importedFeedsPath } from '../../intel/feeds/imported-feeds.js';
import { stateHomePath } from '../../state/state-home.js';
import { defineComponent } from '../component.js';
import { createFindingsTable } from '../findings-table.js';
import { requireDataset } from '../inputs.js';
import { indicatorListColumns, isListType } from './ioc-match/list-columns.js';
import { loadIndicators } from './ioc-match/load-indicators.js';
import { matchColumns, type ColumnMatch } from './ioc-match/match-column.js';

// Hostname columns are matched like domains: Zeek's http.log `host` is profiled as a hostname and holds the site visited.
const MATCHES: Partial<Record<SemanticRole, ColumnMatch>> = { ip: 'host', domain: 'host', hostname: 'host', url: 'url', hash: 'hash', text: 'text' };

export const iocMatchParams = z.object({
  feeds: z.array(z.string().min(1)).default([]).describe('Extra indicator feeds: plain lists, abuse.ch CSV dumps, MISP events or feed manifests, STIX 2.1 bundles, OpenIOC files'),
  include_bundled: z.boolean().default(true).describe('Also match the bundled abuse.ch indicators'),
  include_imported: z.boolean().default(true).describe('Also match the feeds imported with `cs-helper feeds import` (kept in the state folder)'),
  columns: z.array(z.string()).nullable().default(null).describe('Only these columns; null matches every IP, domain, hostname, URL, hash and free-text column'),
  text_columns: z.array(z.string()).default([]).describe('Further columns to extract indicators from as free text (command lines, messages)'),
});

export const iocMatch = defineComponent({
  id: 'intel.ioc-match',
  version: '6',
  type: ComponentType.ANALYSIS,
  complexity: Complexity.COMPLEX,
  title: 'Threat Intelligence',
  description:
    'Matches IP addresses (and CIDR ranges), domains (and their subdomains), URLs (normalised), URL hosts, file hashes and indicators found in free text against threat-intelligence feeds: the bundled real abuse.ch indicators, the feeds imported with `cs-helper feeds import`, and any feed named. Every hit records the indicator, its source and confidence, and feeds ioc_matches and the threat score.',
  capabilities: [Capability.iocMatching],
  consumes: ['dataset'],
  produces: ['findings', 'summary'],
  order: 10,
  params: iocMatchParams,
  // Fitted to Example 1 with the bundled feed (2026-11-27, CLI runs without the result cache and the end-to-end
  // bench): ~240 ms on the 10k-row example, ~1.3 s on a million rows with its six matched columns. Runs measured on
  // this machine then take over (engine/learned-estimates.ts).
  estimateMs: ({ rows }) => 230 + rows / 900,
  // The bundled feed and the imported ones are read without being named: a feed imported since a result was cached
  // (or a new bundled feed) must make the step run again.
  readsFiles: (params) => [...(params.include_bundled ? [BUNDLED_FEED_PATH] : []), ...(params.include_imported ? [importedFeedsPath(stateHomePath())] : [])],
  async run(context, inputs, params) {
    const dataset = requireDataset(inputs, 'intel.ioc-match');
    const files = [...(params.include_bundled ? [{ path: BUNDLED_FEED_PATH, display: 'bundled abuse.ch feed' }] : []), ...params.feeds.map((f) => ({ path: resolveInput(context.run.baseDir, f), display: f }))];
    const indicators = await loadIndicators(context.sql, context.tableName('indicators'), {
      files,
      importedFrom: params.include_imported ? stateHomePath() : null,
      signal: context.signal,
      info: (type, description, meta) => {
        context.log.info(type, description, meta);
      },
    });
    const findings = context.tableName('ioc_findings');
    // A list column is matched as text: when named, or when most of its elements are indicators (list-columns.ts).
    const named = (column: DatasetColumn): boolean => params.columns === null || params.columns.includes(column.name);
    const lists = new Set(
      (await indicatorListColumns(context.sql, dataset.table, dataset.columns.filter((c) => named(c) && !params.text_columns.includes(c.name)), context.signal)).map((c) => c.name),
    );
    const matchOf = (column: DatasetColumn): ColumnMatch | undefined => {
      if (params.text_columns.includes(column.name) || lists.has(column.name)) return 'text';
      if (isListType(column.sqlType)) return params.columns?.includes(column.name) === true ? 'text' : undefined;
      return column.role === null ? undefined : MATCHES[column.role];
    };
    const candidates = dataset.columns
      .map((column) => ({ column, match: matchOf(column) }))
      .filter((c): c is { column: DatasetColumn; match: ColumnMatch } => c.match !== undefined && named(c.column));
    await createFindingsTable(context.sql, findings, context.signal);
    // One finding per row and indicator: the same domain in the domain column and in the URL's host is one hit.
    await matchColumns(context.sql, { table: dataset.table, rowId: dataset.rowId, indicators: indicators.table, keys: indicators.keys, columns: candidates, scratch: `${findings}_scratch`, findings }, context.signal);
    const bySource = await context.sql.all(
      `SELECT source, split_part(label, ':', 1) AS type, count(*) AS hits, count(DISTINCT entity) AS indicators FROM ${quoteIdent(findings)} GROUP BY ALL ORDER BY hits DESC, source, type`,
      [],
      context.signal,
    );
    const hits = bySource.reduce((sum, r) => sum + Number(r['hits']), 0);
    const rowsHit = Number(await context.sql.scalar(`SELECT count(DISTINCT row_id) FROM ${quoteIdent(findings)}`, [], context.signal));
    const handle = await context.describe(findings, dataset.sources);
    const columns = candidates.map((c) => c.column.name);
    context.log.dataOperation({ operation: 'match', target: dataset.table, rows: dataset.rowCount, columns, detail: { indicators: indicators.count, hits, rows_hit: rowsHit } });
    return {
      findings: handle,
      summary: { indicators_loaded: indicators.count, feeds: indicators.feeds, columns_matched: columns, hits, rows_hit: rowsHit, by_source: bySource },
      rowsIn: dataset.rowCount,
      rowsOut: hits,
      message: `${hits} indicator hits on ${rowsHit} rows (${indicators.count} distinct indicators from ${indicators.feedCount} feed${indicators.feedCount === 1 ? '' : 's'}, ${candidates.length} columns)`,
    };
  },
});

