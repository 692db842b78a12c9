// DGA-like domains: names a domain generation algorithm makes (long, high-entropy, vowel-poor labels of random
// characters) among the values of the domain columns (DNS queries, HTTP hosts, a proxy's domain field), or the hosts of
// the URL columns when there is no domain column (a list of URLs). Each distinct
// value's registered label is scored in JS (intel/domains/lexical-scores.ts, the score enrichment writes as <domain>_dga_score) and
// the values scoring `dga_min_score` or more flag their rows. Measured at 0.6 (docs/attack.md): 17 of the 21 published
// samples of 11 character-based families, 2 of the 2,122 registered domains of the phishing dataset's legitimate URLs,
// none of the Trickbot capture's DNS queries; dictionary DGAs (Suppobox, Gozi) read like words and are not found.
// Findings: every row of a flagged value (row-level, `dga-like:<column>`, score 25-40 by how far past the threshold),
// and one finding about the data per flagged registered domain (row_id NULL) with its score and row count.
import { plainText } from '../../../data/plain-value.js';
import { quoteIdent, quoteLiteral } from '../../../data/sql-text.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { authorityHost, authorityPart } from '../../../data/url-host-sql.js';
import { domainParts } from '../../../intel/domains/domain-parts.js';
import { dgaScore, registeredLabel } from '../../../intel/domains/lexical-scores.js';
import { buildValueLookup } from '../../../data/value-lookup.js';
import { SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';

/** The registered domain of a value and its DGA-likeness; nulls for an IP, a bare name or no host at all. */
export function dgaOf(value: string): [string | null, number | null] {
  const parts = domainParts(value);
  if (parts.registeredDomain === null) return [null, null];
  return [parts.registeredDomain, dgaScore(registeredLabel(parts.host, parts.registeredDomain, parts.tld))];
}

/** The host of a URL column's value, as indicator matching reads it: the authority part cut, user info and port dropped. */
function urlHostSql(column: string): string {
  return authorityHost(authorityPart(`CAST(${column} AS VARCHAR)`));
}

export async function detectDgaDomains(context: DetectorContext, columns: readonly DatasetColumn[]): Promise<DetectorOutcome> {
  const { sql, signal, params } = context;
  const listed: Record<string, string | number | null>[] = [];
  let found = 0;
  // URL hosts only when no column holds domains: a proxy log's host column names the same hosts its URLs do, and
  // cutting the host out of every URL costs ~0.15 s per million rows; a list of URLs has nothing else to read.
  const read = context.columns.domains.length > 0 ? context.columns.domains.map((c) => ({ column: c, valueSql: (q: string) => `CAST(${q} AS VARCHAR)` })) : columns.filter((c) => c.role === 'url').map((c) => ({ column: c, valueSql: urlHostSql }));
  for (const [index, { column, valueSql }] of read.entries()) {
    const lookup = `${context.scratchPrefix}_dga_${index}`;
    const flagged = await buildValueLookup({
      sql,
      signal,
      table: context.tableName,
      column: column.name,
      lookupTable: lookup,
      fields: [
        { name: 'registered_domain', sqlType: 'VARCHAR' },
        { name: 'dga_score', sqlType: 'DOUBLE' },
      ],
      valueSql,
      compute: dgaOf,
      keep: (row) => typeof row[2] === 'number' && row[2] >= params.dga_min_score,
    });
    const l = quoteIdent(lookup);
    if (flagged === 0) {
      await sql.run(`DROP TABLE ${l}`, [], signal);
      continue;
    }
    const label = quoteLiteral(`dga-like:${column.name}`);
    const score = `25 + 15 * (g.dga_score - $1) / greatest(1 - $1, 0.01)`;
    await sql.run(
      `INSERT INTO ${context.findings}
       SELECT t.${context.rowId}, 'anomaly', ${label}, ${score}, '${SOURCE}', g.value,
              json_object('registered_domain', g.registered_domain, 'dga_score', g.dga_score)::VARCHAR
       FROM ${context.table} t JOIN ${l} g ON ${valueSql(`t.${quoteIdent(column.name)}`)} = g.value`,
      [params.dga_min_score],
      signal,
    );
    const rows = await sql.all(
      `SELECT g.registered_domain, max(g.dga_score) AS dga_score, count(DISTINCT g.value) AS names, min(g.value) AS example, count(*) AS rows, max(${score}) AS score
       FROM ${context.table} t JOIN ${l} g ON ${valueSql(`t.${quoteIdent(column.name)}`)} = g.value
       GROUP BY g.registered_domain ORDER BY max(g.dga_score) DESC, g.registered_domain`,
      [params.dga_min_score],
      signal,
    );
    await sql.run(`DROP TABLE ${l}`, [], signal);
    found += rows.length;
    for (const r of rows.slice(0, Math.max(0, params.max_listed - listed.length))) {
      const item = { column: column.name, registered_domain: plainText(r['registered_domain']), dga_score: Number(r['dga_score']), names: Number(r['names']), rows: Number(r['rows']), example: plainText(r['example']) };
      listed.push(item);
      await sql.run(`INSERT INTO ${context.findings} VALUES (NULL, 'anomaly', ${label}, $1, '${SOURCE}', $2, $3)`, [Number(r['score']), item.registered_domain, JSON.stringify(item)], signal);
    }
  }
  return { found, listed };
}
