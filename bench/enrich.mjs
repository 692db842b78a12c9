// processing.enrich on the 1M-row bench CSV: the copy with IP classes only (what enrich did before the feature
// groups), every feature group (the default), and each group alone, against DuckDB copying the same table.
// With ../shared/data present it also checks the URL features against every row of the phishing dataset.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { generatedThreatCsv, openBench, scratchFolder, SHARED_DATA } from './component-run.mjs';
import { interleaved, median, ms } from './measure.mjs';

const URL_FEATURES = ['length_url', 'length_hostname', 'nb_dots', 'nb_hyphens', 'nb_underscore', 'nb_tilde', 'nb_percent', 'nb_slash', 'nb_colon', 'nb_comma', 'nb_semicolumn', 'nb_dollar', 'nb_space', 'nb_www', 'nb_com', 'http_in_path'];
const PHISHING = join(SHARED_DATA, 'phishing-urls', 'dataset_phishing_18features.csv');

/** Every row of the phishing dataset through processing.enrich: how many rows match the authors' 16 features exactly. */
async function phishingOracle(bench, dir) {
  if (!existsSync(PHISHING)) return { note: `absent: ${PHISHING} (the URL feature check needs ../shared/data)` };
  // Only the URL column goes in, so the features cannot be read from the answer columns.
  const urls = join(dir, 'phishing-urls.csv');
  const sql = await bench.workspace.session();
  try {
    await sql.run(`CREATE TABLE phishing AS SELECT row_number() OVER () - 1 AS i, * FROM read_csv('${PHISHING.replaceAll("'", "''")}', header = true, all_varchar = true)`);
    await sql.run(`COPY (SELECT url FROM phishing ORDER BY i) TO '${urls.replaceAll("'", "''")}' (HEADER)`);
    const imported = (await bench.run('import.csv', {}, { paths: [urls] })).dataset;
    const enriched = (await bench.run('processing.enrich', { datasets: [imported] }, { features: ['url'] })).dataset;
    const same = URL_FEATURES.map((f) => `e."url_${f}" IS NOT DISTINCT FROM TRY_CAST(p."${f}" AS INTEGER)`).join(' AND ');
    const rows = await sql.all(
      `SELECT count(*) AS total, count(*) FILTER (WHERE ${same}) AS matching,
              list(p.i + 2 ORDER BY p.i) FILTER (WHERE NOT (${same})) AS differing_lines
       FROM (SELECT row_number() OVER () - 1 AS i, * FROM "${enriched.table}") e JOIN phishing p USING (i)`,
    );
    const { total, matching, differing_lines: lines } = rows[0];
    return { total, matching, lines };
  } finally {
    sql.close();
  }
}

export async function enrich({ rows = 1_000_000, rounds = 5 } = {}) {
  const input = generatedThreatCsv(rows);
  const out = scratchFolder('enrich-out');
  const bench = await openBench({ baseDir: join(input, '..'), outputDir: out.dir });
  try {
    const imported = (await bench.run('import.csv', {}, { paths: [input] })).dataset;
    const inputs = { datasets: [imported] };
    const sql = await bench.workspace.session();
    const distinct = (await sql.all(`SELECT count(DISTINCT url) AS urls, count(DISTINCT "domain") AS domains FROM "${imported.table}"`))[0];
    const roles = imported.columns.filter((c) => ['ip', 'port', 'hash', 'domain', 'url'].includes(c.role)).map((c) => `${c.name}:${c.role}`);
    const step = (params) => async () => {
      const output = await bench.run('processing.enrich', inputs, params);
      await bench.drop(output.dataset.table);
    };
    const cases = {
      copy: () => sql.run(`CREATE OR REPLACE TEMP TABLE bench_copy AS SELECT *, 0 AS threat_score, 'none' AS threat_level FROM "${imported.table}"`),
      ipOnly: step({ features: ['ip_class'] }),
      all: step({}),
      port: step({ features: ['port_service'] }),
      hash: step({ features: ['hash_type'] }),
      domain: step({ features: ['domain'] }),
      url: step({ features: ['url'] }),
    };
    const times = await interleaved(cases, rounds);
    const full = await bench.run('processing.enrich', inputs, {});
    const allAdded = full.summary.added_columns;
    // Every page of the distinct-URL lookup reached its rows (the bench's URLs span several 50k pages).
    const unfilled = (await sql.all(`SELECT count(*) FILTER (WHERE url IS NOT NULL AND (url_length_url IS NULL OR url_nb_www IS NULL)) AS n FROM "${full.dataset.table}"`))[0].n;
    await bench.drop(full.dataset.table);
    sql.close();
    const oracle = await phishingOracle(bench, out.dir);
    const ratio = (name) => median(times[name].runs.map((t, i) => t / times.copy.runs[i]));
    return {
      name: 'processing.enrich',
      rows: imported.rowCount,
      columns: imported.columns.length,
      roles,
      distinct,
      addedColumns: allAdded,
      unfilled,
      times: Object.fromEntries(Object.entries(times).map(([k, v]) => [k, v.median])),
      oracle,
      print() {
        const line = (label, name) => `  ${label.padEnd(40)}${ms(times[name].median).padStart(9)}   (runs: ${times[name].runs.map(ms).join(', ')})${name === 'copy' ? '' : `   ratio ${ratio(name).toFixed(2)}`}`;
        return [
          `## ${this.name}: ${this.rows.toLocaleString('en-US')} rows, ${this.columns} columns (${roles.join(', ')}), ${distinct.urls} distinct URLs, ${distinct.domains} distinct domains, median of ${rounds}`,
          line('DuckDB copy of the table (baseline):', 'copy'),
          line('enrich, ip_class only (before):', 'ipOnly'),
          line(`enrich, all groups (+${allAdded} columns):`, 'all'),
          `  rows with a URL but no URL features: ${unfilled}`,
          line('enrich, port_service only:', 'port'),
          line('enrich, hash_type only:', 'hash'),
          line('enrich, domain only:', 'domain'),
          line('enrich, url only:', 'url'),
          'note' in oracle
            ? `  phishing URL features: ${oracle.note}`
            : `  phishing URL features: ${oracle.matching} of ${oracle.total} rows match all 16 features exactly${oracle.lines.length > 0 ? `; differing source lines: ${oracle.lines.join(', ')}` : ''}`,
        ].join('\n');
      },
    };
  } finally {
    await bench.close();
    out.remove();
  }
}
