// processing.enrich: adds per-column features (IP class, port service, hash type, domain and URL features) and the
// threat picture (threat_score, threat_level, ioc_matches, anomaly_reasons) to every row.
import { plainText } from '../../data/plain-value.js';
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { quoteIdent } from '../../data/sql-text.js';
import type { DatasetHandle } from '../../model/dataset.js';
import { defineComponent } from '../component.js';
import { unionFindings } from '../findings-table.js';
import { requireDataset } from '../inputs.js';
import { FEATURE_GROUPS, planFeatures, type FeatureGroup } from './features/feature-plan.js';
import { ANOMALY_SCORE_CAP, threatLevelSql } from './threat-level.js';

export const enrichParams = z.object({
  ip_class: z.boolean().default(true).describe('Add a <column>_class column (public, private, loopback, link-local, cgnat, multicast, reserved; unique-local and documentation for IPv6) for each IP column'),
  features: z
    .array(z.enum(FEATURE_GROUPS))
    .optional()
    .describe(
      'Feature groups to add, each for the columns of its role (default: all): ip_class (<ip>_class), port_service (<port>_service), hash_type (<hash>_hash_type: md5, sha1, sha256, sha512, unknown), domain (<domain>_registered_domain, _tld, _length, _entropy, _digit_ratio, _dga_score), url (<url>_length_url, _nb_dots, ... the lexical features of the Hannousse & Yahiouche phishing dataset, then _host, _registered_domain, _tld, _dga_score)',
    ),
});

const THREAT_COLUMNS = ['threat_score', 'threat_level', 'ioc_matches', 'anomaly_reasons'];

export const enrichment = defineComponent({
  id: 'processing.enrich',
  version: '2',
  type: ComponentType.PROCESSING,
  complexity: Complexity.MODERATE,
  title: 'Data Enrichment',
  description:
    'Adds context to every row: the class of each IP address (public, private, loopback, ...), the service name of each port, the type of each hash, domain features (registered domain, TLD, length, entropy, digit ratio, DGA-likeness) and URL lexical features, and the threat picture from earlier findings: threat_score (0-100), threat_level (none, low, medium, high, critical), ioc_matches and anomaly_reasons. Choose it whenever enriched data is wanted.',
  capabilities: [Capability.enrichment, Capability.threatScoring],
  consumes: ['dataset', 'findings'],
  produces: ['dataset', 'summary'],
  order: 30,
  params: enrichParams,
  // Measured on 2 cores: ~1.1 s per million rows of 16 columns (the copy of the rows dominates); URL and domain
  // columns add their per-distinct-value lookup and an in-place update (see docs/performance.md, "Enrichment").
  estimateMs: ({ rows, columns }) => 60 + (rows * Math.max(columns, 1)) / 15_000,
  async run(context, inputs, params) {
    const dataset = requireDataset(inputs, 'processing.enrich');
    const userColumns = dataset.columns.filter((c) => !THREAT_COLUMNS.includes(c.name));
    const groups = new Set<FeatureGroup>(params.features ?? FEATURE_GROUPS);
    if (!params.ip_class) groups.delete('ip_class');
    const plan = planFeatures(userColumns, groups);
    const findings = unionFindings(inputs.findings.map((f) => f.table));
    const lookupContext = { sql: context.sql, signal: context.signal, table: dataset.table, scratch: (prefix: string) => context.tableName(prefix) };
    const lookups: string[] = [];
    const dropAfter: string[] = [];
    for (const lookup of plan.lookups) {
      const lookupTable = await lookup.build(lookupContext);
      if (!lookup.shared) dropAfter.push(lookupTable);
      lookups.push(`LEFT JOIN ${quoteIdent(lookupTable)} AS ${lookup.alias} ON ${lookup.on}`);
    }
    // The threat picture per flagged row: few rows, so it is computed apart and joined in.
    const threat = context.tableName('threat');
    const score = `CAST(least(100, round(coalesce(ioc_score, 0) + least(${ANOMALY_SCORE_CAP}, coalesce(anomaly_score, 0)))) AS INTEGER)`;
    await context.sql.run(
      `CREATE TABLE ${quoteIdent(threat)} AS
       SELECT row_id, ${score} AS score, ${threatLevelSql(score)} AS level,
              coalesce(ioc_matches, []::VARCHAR[]) AS ioc_matches, coalesce(anomaly_reasons, []::VARCHAR[]) AS anomaly_reasons
       FROM (
         SELECT row_id,
                -- A Sigma detection is a signature hit like an indicator: its level's score counts in full, and its
                -- rule title is a reason the row is flagged.
                max(score) FILTER (WHERE kind IN ('ioc', 'detection')) AS ioc_score,
                sum(score) FILTER (WHERE kind = 'anomaly') AS anomaly_score,
                list(DISTINCT label ORDER BY label) FILTER (WHERE kind = 'ioc') AS ioc_matches,
                list(DISTINCT label ORDER BY label) FILTER (WHERE kind IN ('anomaly', 'detection')) AS anomaly_reasons
         FROM ${findings} AS all_findings WHERE row_id IS NOT NULL GROUP BY row_id)`,
      [],
      context.signal,
    );
    const flaggedRows = Number(await context.sql.scalar(`SELECT count(*) FROM ${quoteIdent(threat)}`, [], context.signal));
    const joins = flaggedRows > 0 ? [...lookups, `LEFT JOIN ${quoteIdent(threat)} AS t ON t.row_id = d.__row`] : lookups;
    const threatColumns =
      flaggedRows > 0
        ? `coalesce(t.score, 0) AS threat_score, coalesce(t.level, 'none') AS threat_level, coalesce(t.ioc_matches, []::VARCHAR[]) AS ioc_matches, coalesce(t.anomaly_reasons, []::VARCHAR[]) AS anomaly_reasons`
        : `CAST(0 AS INTEGER) AS threat_score, 'none' AS threat_level, []::VARCHAR[] AS ioc_matches, []::VARCHAR[] AS anomaly_reasons`;
    const table = context.tableName('enriched');
    // One statement writes every row once: the source, the features computed in the projection, the per-value lookups
    // and the threat picture joined in. A hash join emits rows out of order, so joined rows are put back in input order
    // by the source's row id (the sort spills to disk under a memory cap, where the former in-place UPDATEs and column
    // rewrites ran out of memory on 10M rows).
    await context.sql.run(
      `CREATE TABLE ${quoteIdent(table)} AS
       SELECT ${[...userColumns.map((c) => `d.${quoteIdent(c.name)}`), ...plan.columns.map((f) => `${f.sql} AS ${quoteIdent(f.name)}`)].join(', ')}, ${threatColumns}
       FROM (SELECT src.*, src.${quoteIdent(dataset.rowId)} AS __row FROM ${quoteIdent(dataset.table)} src) d
       ${joins.join('\n       ')}
       ${joins.length > 0 ? 'ORDER BY d.__row' : ''}`,
      [],
      context.signal,
    );
    for (const done of [threat, ...dropAfter]) await context.sql.run(`DROP TABLE ${quoteIdent(done)}`, [], context.signal);
    const described = await context.describe(table, dataset.sources);
    // Feature columns describe other columns: named `url_host` or `domain_tld` they would be read as indicators by role
    // (top findings, indicator matching), so they are plain measures and categories. The IP classes keep their roles.
    const features = new Set(FEATURE_GROUPS.filter((g) => g !== 'ip_class').flatMap((g) => plan.added[g]));
    const enriched: DatasetHandle = {
      ...described,
      columns: described.columns.map((c) => (features.has(c.name) ? { ...c, role: /^(VARCHAR|TEXT)/.test(c.sqlType) ? 'category' : 'measure' } : c)),
    };
    const levels = await context.sql.all(`SELECT threat_level AS level, count(*) AS rows FROM ${quoteIdent(table)} GROUP BY ALL`, [], context.signal);
    const byLevel: Record<string, number> = { none: 0, low: 0, medium: 0, high: 0, critical: 0 };
    for (const l of levels) byLevel[plainText(l['level'])] = Number(l['rows']);
    const flagged = enriched.rowCount - (byLevel['none'] ?? 0);
    context.log.dataOperation({ operation: 'transform', target: table, rows: enriched.rowCount, columns: enriched.columns.map((c) => c.name), detail: { by_level: byLevel } });
    return {
      dataset: enriched,
      summary: {
        rows: enriched.rowCount,
        by_level: byLevel,
        ip_columns: userColumns.filter((c) => c.role === 'ip').map((c) => c.name),
        added_columns: enriched.columns.length - userColumns.length,
        ip_classes: plan.added.ip_class,
        features: plan.added,
      },
      rowsIn: dataset.rowCount,
      rowsOut: enriched.rowCount,
      message: `${flagged} of ${enriched.rowCount.toLocaleString('en-US')} rows scored above none (critical ${byLevel['critical'] ?? 0}, high ${byLevel['high'] ?? 0}, medium ${byLevel['medium'] ?? 0}, low ${byLevel['low'] ?? 0})`,
    };
  },
});
