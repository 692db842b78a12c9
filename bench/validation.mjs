// Validation on the 1M-row bench CSV: validation.quality (defaults), validation.schema (a user's JSON Schema for one
// row) and validation.rules (a YAML rules file of every kind), each against one hand-written DuckDB query that counts the
// rows breaking the same conditions in one scan, in the same run. What the components add over that floor is the
// per-row evidence (violations as a dataset), the per-column breakdowns and the score. Ratios, medians over rounds.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generatedThreatCsv, openBench, scratchFolder } from './component-run.mjs';
import { interleaved, median, ms } from './measure.mjs';

const IPV4 = String.raw`^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$`;

const SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['timestamp', 'src_ip', 'dst_ip', 'dst_port', 'action'],
  properties: {
    timestamp: { type: 'string', format: 'date-time' },
    src_ip: { type: 'string', format: 'ipv4' },
    src_port: { type: 'integer', minimum: 1024, maximum: 65535 },
    dst_ip: { type: 'string', format: 'ipv4' },
    dst_port: { type: 'integer', minimum: 1, maximum: 65535 },
    protocol: { enum: ['TCP', 'UDP', 'ICMP'] },
    action: { enum: ['allow', 'deny', 'drop'] },
    bytes_sent: { type: 'integer', minimum: 0 },
    user: { type: 'string', maxLength: 32 },
    event_type: { enum: ['web_request', 'dns_query', 'connection', 'auth', 'file_download'] },
  },
};

const RULES = `version: 1
rules:
  - id: bytes_sent_limit
    check: bytes_sent <= 1e9
    severity: warning
  - id: src_port_range
    column: src_port
    range: { min: 1024, max: 65535 }
  - id: known_action
    column: action
    allowed: [allow, deny, drop]
  - id: auth_has_user
    check: user required if event_type == 'auth'
  - id: user_format
    column: user
    pattern: '[a-z][a-z0-9._-]{1,31}'
    severity: info
  - id: unique_connection
    unique: [timestamp, src_ip, src_port, dst_ip, dst_port]
  - id: ssh_from_outside_denied
    when: dst_port == 22
    check: action != 'allow' or src_ip matches '10\\.20\\..*'
`;

// The same conditions as the schema and the rules, counted by DuckDB in one scan each: the floor for those checks.
const SCHEMA_BASELINE = `SELECT
  count_if(timestamp IS NULL OR src_ip IS NULL OR dst_ip IS NULL OR dst_port IS NULL OR action IS NULL) AS missing,
  count_if(NOT regexp_full_match(src_ip, '${IPV4}')) AS bad_src, count_if(NOT regexp_full_match(dst_ip, '${IPV4}')) AS bad_dst,
  count_if(src_port NOT BETWEEN 1024 AND 65535) AS bad_src_port, count_if(dst_port NOT BETWEEN 1 AND 65535) AS bad_dst_port,
  count_if(protocol NOT IN ('TCP', 'UDP', 'ICMP')) AS bad_protocol, count_if(action NOT IN ('allow', 'deny', 'drop')) AS bad_action,
  count_if(bytes_sent < 0) AS bad_bytes, count_if(length("user") > 32) AS long_user,
  count_if(event_type NOT IN ('web_request', 'dns_query', 'connection', 'auth', 'file_download')) AS bad_event
FROM t`;
const RULES_BASELINE = `SELECT
  count_if(NOT (bytes_sent <= 1e9)) AS big, count_if(src_port NOT BETWEEN 1024 AND 65535) AS port,
  count_if(action NOT IN ('allow', 'deny', 'drop')) AS action, count_if(event_type = 'auth' AND "user" IS NULL) AS auth_user,
  count_if(NOT regexp_full_match("user", '[a-z][a-z0-9._-]{1,31}')) AS user_format,
  count_if(dst_port = 22 AND NOT (action <> 'allow' OR regexp_full_match(src_ip, '10\\.20\\..*'))) AS ssh,
  (SELECT count(*) FROM (SELECT 1 FROM t GROUP BY timestamp, src_ip, src_port, dst_ip, dst_port HAVING count(*) > 1)) AS duplicates
FROM t`;
const QUALITY_BASELINE = `SELECT * FROM (SUMMARIZE t)`;

export async function validation({ rows = 1_000_000, rounds = 5 } = {}) {
  const input = generatedThreatCsv(rows);
  const scratch = scratchFolder('validation');
  writeFileSync(join(scratch.dir, 'event.schema.json'), JSON.stringify(SCHEMA, null, 2));
  writeFileSync(join(scratch.dir, 'rules.yaml'), RULES);
  const bench = await openBench({ baseDir: scratch.dir, outputDir: scratch.dir });
  const sql = await bench.workspace.session();
  try {
    const imported = (await bench.run('import.csv', {}, { paths: [input] })).dataset;
    const inputs = { datasets: [imported] };
    await sql.run(`CREATE VIEW t AS SELECT * FROM "${imported.table}"`);
    const last = {};
    /** Runs a validation component and drops the violation tables it made, so rounds do not pile up. */
    const check = (id, params) => async () => {
      const output = await bench.run(id, inputs, params);
      last[id] = output;
      for (const handle of [output.dataset, output.findings]) if (handle !== undefined && handle.table !== imported.table) await bench.drop(handle.table);
    };
    const timed = await interleaved(
      {
        summarize: () => sql.run(`CREATE OR REPLACE TEMP TABLE q AS ${QUALITY_BASELINE}`),
        quality: check('validation.quality', {}),
        schemaQuery: () => sql.run(`CREATE OR REPLACE TEMP TABLE s AS ${SCHEMA_BASELINE}`),
        schema: check('validation.schema', { schema: 'event.schema.json' }),
        rulesQuery: () => sql.run(`CREATE OR REPLACE TEMP TABLE r AS ${RULES_BASELINE}`),
        rules: check('validation.rules', { rules: 'rules.yaml' }),
      },
      rounds,
    );
    const ratio = (a, b) => median(timed[a].runs.map((t, i) => t / timed[b].runs[i]));
    const messages = Object.fromEntries(Object.entries(last).map(([id, output]) => [id, output.message]));
    const pairs = [
      ['validation.quality', 'quality', 'summarize', 'DuckDB SUMMARIZE'],
      ['validation.schema', 'schema', 'schemaQuery', 'one count_if scan of the same checks'],
      ['validation.rules', 'rules', 'rulesQuery', 'one count_if scan + GROUP BY for uniqueness'],
    ];
    return {
      name: 'validation (quality, schema, rules)',
      rows: imported.rowCount,
      results: pairs.map(([id, key, base, baseline]) => ({ id, baseline, ms: timed[key].median, baselineMs: timed[base].median, ratio: ratio(key, base), runs: timed[key].runs, baseRuns: timed[base].runs, message: messages[id] ?? '' })),
      print() {
        const lines = [`## ${this.name}: ${this.rows.toLocaleString('en-US')} rows, median of ${rounds}; ratio = median of per-round component / baseline`];
        for (const r of this.results) {
          lines.push(`  ${r.id.padEnd(20)} ${ms(r.ms)} (runs: ${r.runs.map(ms).join(', ')})`);
          lines.push(`    baseline, ${r.baseline}: ${ms(r.baselineMs)} (runs: ${r.baseRuns.map(ms).join(', ')}); ratio ${r.ratio.toFixed(2)}`);
          lines.push(`    result: ${r.message}`);
        }
        return lines.join('\n');
      },
    };
  } finally {
    sql.close();
    await bench.close();
    scratch.remove();
  }
}
