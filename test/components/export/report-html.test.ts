// export.report in HTML: sections present by data, the threat picture's numbers, bounded tables and charts, and
// escaping of hostile values from the data (script tags, attribute breakouts, quotes, a closing </svg>).
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iocMatch } from '../../../src/components/analysis/ioc-match.js';
import { patternAnalysis } from '../../../src/components/analysis/patterns.js';
import { statisticsAnalysis } from '../../../src/components/analysis/statistics.js';
import type { ComponentOutput } from '../../../src/components/component.js';
import { reportExport } from '../../../src/components/export/report.js';
import { attackMapping } from '../../../src/components/integration/attack.js';
import { csvImport } from '../../../src/components/import/csv.js';
import { enrichment } from '../../../src/components/processing/enrich.js';
import { qualityCheck } from '../../../src/components/validation/quality.js';
import { ComponentHarness, datasetOf, findingsOf, summaryOf } from '../../helpers/component-harness.js';

// The fixture has 8 rows, under the 50 from which values can be rare by default: its one POST is the anomaly shown.
const RARE_IN_EIGHT_ROWS = { rare_min_rows: 8 };

const REPORT_FIXTURES = fileURLToPath(new URL('../../fixtures/export/report/', import.meta.url));

/** The ids of the page's sections, in order. */
function sectionIds(page: string): string[] {
  return [...page.matchAll(/<section id="([a-z-]+)">/g)].map((m) => m[1] ?? '');
}

/** The text of one section, from its opening tag to the next section or the footer. */
function section(page: string, id: string): string {
  const start = page.indexOf(`<section id="${id}">`);
  if (start === -1) return '';
  const end = page.indexOf('</section>', start);
  return page.slice(start, end);
}

/** Body rows of the first table after `marker` inside `text`. */
function tableRows(text: string, marker = '<table'): string[] {
  const start = text.indexOf(marker);
  const body = text.slice(text.indexOf('<tbody>', start), text.indexOf('</tbody>', start));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1] ?? '');
}

const count = (text: string, pattern: RegExp): number => (text.match(pattern) ?? []).length;

describe('export.report (HTML) on a hostile proxy log', () => {
  let harness: ComponentHarness;
  let output: ComponentOutput;
  let quality: ComponentOutput;
  let patterns: ComponentOutput;
  let enriched: ComponentOutput;
  let page: string;

  beforeAll(async () => {
    harness = await ComponentHarness.open({ baseDir: REPORT_FIXTURES });
    const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['hostile-proxy.csv'], delimiter: ',' }, { node: 'import' }));
    quality = await harness.run(qualityCheck, { datasets: [dataset] }, {}, { node: 'quality' });
    const statistics = await harness.run(statisticsAnalysis, { datasets: [dataset] }, {}, { node: 'statistics' });
    patterns = await harness.run(patternAnalysis, { datasets: [dataset] }, RARE_IN_EIGHT_ROWS, { node: 'patterns' });
    const iocs = await harness.run(iocMatch, { datasets: [dataset] }, {}, { node: 'ioc-match' });
    const findings = [findingsOf(patterns), findingsOf(iocs)];
    enriched = await harness.run(enrichment, { datasets: [dataset], findings }, {}, { node: 'enrich' });
    output = await harness.run(
      reportExport,
      {
        datasets: [datasetOf(enriched)],
        findings,
        summaries: [summaryOf(qualityCheck, quality, 'quality'), summaryOf(statisticsAnalysis, statistics, 'statistics'), summaryOf(patternAnalysis, patterns, 'patterns'), summaryOf(iocMatch, iocs, 'ioc-match')],
      },
      { output: 'threat_report', file: 'threat_report.html', title: 'Proxy <b>threat</b> report', top: 3 },
      { node: 'export-threat_report' },
    );
    page = await readFile(join(harness.outputDir, 'threat_report.html'), 'utf8');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('writes one HTML file, reported as html', async () => {
    expect(await readdir(harness.outputDir)).toEqual(['threat_report.html']);
    expect(output.files).toEqual([expect.objectContaining({ output: 'threat_report', format: 'html', path: join(harness.outputDir, 'threat_report.html') })]);
    expect(page.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(page).toContain('<title>Proxy &lt;b&gt;threat&lt;/b&gt; report</title>');
  });

  it('has the sections whose data exists, in order, and no ATT&CK section without a mapping', () => {
    expect(sectionIds(page)).toEqual(['summary', 'top-findings', 'entities', 'indicators', 'anomalies', 'quality', 'statistics', 'plan']);
  });

  it('states the threat picture with the numbers of the run', async () => {
    // The figures a reader would check, counted here from the enriched rows and the pattern findings.
    const [levels] = await harness.sql.all(
      `SELECT count(*) FILTER (WHERE threat_score > 0) AS flagged, count(*) FILTER (WHERE threat_level IN ('critical', 'high')) AS severe,
              count(*) FILTER (WHERE threat_level = 'medium') AS medium, count(*) FILTER (WHERE threat_level = 'low') AS low
       FROM "${datasetOf(enriched).table}"`,
    );
    const [anomalous] = await harness.sql.all(`SELECT count(DISTINCT row_id) AS n FROM "${findingsOf(patterns).table}" WHERE kind = 'anomaly' AND row_id IS NOT NULL`);
    const flagged = Number(levels?.['flagged']);
    const anomalyRows = Number(anomalous?.['n']);
    expect(flagged).toBeGreaterThan(3);
    expect(anomalyRows).toBeGreaterThan(0);
    const summary = section(page, 'summary');
    const picture = /<p class="picture">(.*?)<\/p>/s.exec(summary)?.[1] ?? '';
    expect(picture).toBe(
      `${flagged} of 12 rows (${((100 * flagged) / 12).toFixed(1)}%) carry a threat signal; ${Number(levels?.['severe'])} are high or critical, ${Number(levels?.['medium'])} medium and ${Number(levels?.['low'])} low. ` +
        // Rows 2, 3 and 7 carry listed URLs and hosts: the two exact URLs and three hosts of the ViriBack feed.
        `5 indicator hits on 3 rows come from one feed source (most from viriback: 5); ${anomalyRows} ${anomalyRows === 1 ? 'row stands' : 'rows stand'} out in the patterns or to a model.`,
    );
    expect(summary).toContain('<dt>Rows</dt><dd>12</dd>');
    expect(summary).toContain('<dt>Asked</dt><dd>Analyze this CSV for security threats and export enriched data</dd>');
    expect(summary).toContain(`<b>${flagged}</b>rows with a threat signal`);
  });

  it('lists the top rows, bounded by `top`, highest score first', () => {
    const rows = tableRows(section(page, 'top-findings'));
    expect(rows).toHaveLength(3);
    const rowNumbers = rows.map((r) => /<td class="num">(\d+)<\/td>/.exec(r)?.[1]);
    expect(rowNumbers.sort()).toEqual(['2', '3', '7']);
    expect(section(page, 'top-findings')).toContain('The 3 highest-scoring of');
  });

  it('counts indicator hits by source and type', () => {
    const rows = tableRows(section(page, 'indicators'));
    // Row 7's URL has a query string the feed does not list: only its host matches.
    expect(rows).toEqual([
      '<td>viriback</td><td>domain</td><td class="num">3</td><td class="num">2</td><td>Pony</td>',
      '<td>viriback</td><td>url</td><td class="num">2</td><td class="num">2</td><td>Pony</td>',
    ]);
  });

  it('ranks entities by rows, with the hostile user counted as a value', () => {
    const entities = section(page, 'entities');
    // The user "<script>alert(1)</script>" made two requests, one of them to a listed URL (max score of the row).
    expect(entities).toContain('<td>user</td><td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td class="num">2</td><td class="num">1</td>');
  });

  it('draws the charts the data calls for, as inline SVG with marks', () => {
    const charts = [...page.matchAll(/<figure class="chart" data-chart="([a-z-]+)">/g)].map((m) => m[1]);
    expect(charts).toEqual(['threat-levels', 'timeline', 'entities', 'quality']);
    expect(count(page, /<svg /g)).toBe(4);
    expect(count(page, /<\/svg>/g)).toBe(4);
    expect(count(page, /class="mark-rect role-mark/g)).toBeGreaterThanOrEqual(4);
  });

  it('escapes every hostile value: no script, no injected element, quotes kept as text', () => {
    expect(count(page, /<script/gi)).toBe(0);
    expect(count(page, /<img/gi)).toBe(0);
    expect(count(page, /<b>threat/g)).toBe(0);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('mei &quot;the quote&quot; tanaka');
    expect(page).toContain('&#39;single&#39; quote');
    expect(page).toContain('&lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    // Vega's own SVG text escapes the values it draws (an axis label is a user name here).
    const entitiesChart = /<figure class="chart" data-chart="entities">(.*?)<\/figure>/s.exec(page)?.[1] ?? '';
    expect(entitiesChart).toContain('&lt;script&gt;alert(1)&lt;/');
    // Tags balance: no value closed an element early.
    for (const tag of ['section', 'table', 'figure', 'svg', 'tbody']) expect(count(page, new RegExp(`<${tag}[ >]`, 'g'))).toBe(count(page, new RegExp(`</${tag}>`, 'g')));
  });

  it('is self-contained: no script, no external resource, a CSP that forbids loading anything', () => {
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
    expect(count(page, /\b(src|srcset)=/g)).toBe(count(page, /src=x/g));
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1] ?? '');
    // Besides the table of contents, only relative links to the data export the plan writes beside the report.
    expect(hrefs.filter((h) => !h.startsWith('#'))).toEqual(['enriched_data.csv', 'enriched_data.csv']);
    expect(page).toContain('@media print');
  });

  it('shows quality by column from the quality step', () => {
    const text = section(page, 'quality');
    expect(text).toContain(`Score <b>${Number(quality.summary?.['score'])}/100</b>`);
    expect(tableRows(text).length).toBeLessThanOrEqual(10);
  });
});

describe('export.report (HTML) on larger data', () => {
  let harness: ComponentHarness;
  let page: string;

  // 20,000 rows over 30 days from 600 addresses and 300 users, scored as the enrichment would: tables and charts must
  // stay small whatever the data.
  beforeAll(async () => {
    harness = await ComponentHarness.open();
    const dataset = await harness.table(
      'events',
      `SELECT TIMESTAMPTZ '2026-03-01 00:00:00+00' + to_seconds(i * 129) AS "timestamp",
              '10.1.' || (i % 600 // 250) || '.' || (i % 600 % 250) AS src_ip,
              'user' || (i % 300) AS "user",
              CASE WHEN i % 97 = 0 THEN 80 WHEN i % 31 = 0 THEN 20 ELSE 0 END AS threat_score,
              CASE WHEN i % 97 = 0 THEN 'critical' WHEN i % 31 = 0 THEN 'low' ELSE 'none' END AS threat_level,
              CASE WHEN i % 97 = 0 THEN ['ip:10.9.9.9'] ELSE [] END::VARCHAR[] AS ioc_matches,
              CASE WHEN i % 31 = 0 THEN ['outlier:bytes'] ELSE [] END::VARCHAR[] AS anomaly_reasons
       FROM range(20000) AS t(i)`,
    );
    await harness.run(reportExport, { datasets: [dataset] }, { output: 'threat_report', file: 'big_report.html' });
    page = await readFile(join(harness.outputDir, 'big_report.html'), 'utf8');
  });
  afterAll(async () => {
    await harness.close();
  });

  it('keeps the top findings to the default 25 rows and says how many there are', () => {
    const flagged = [...Array(20000).keys()].filter((i) => i % 97 === 0 || i % 31 === 0).length;
    expect(tableRows(section(page, 'top-findings'))).toHaveLength(25);
    expect(section(page, 'top-findings')).toContain(`The 25 highest-scoring of ${flagged.toLocaleString('en-US')} rows with a threat signal`);
  });

  it('bounds the entity tables and charts', () => {
    const entities = section(page, 'entities');
    expect(tableRows(entities)).toHaveLength(10);
    // Eight bars per column, each in two parts: with and without a signal.
    const chart = /<figure class="chart" data-chart="entities">(.*?)<\/figure>/s.exec(page)?.[1] ?? '';
    expect(count(chart, /role="graphics-symbol" aria-roledescription="bar"/g)).toBeLessThanOrEqual(2 * 8 * 2);
  });

  it('draws the timeline in at most 96 buckets (days over a month)', () => {
    const chart = /<figure class="chart" data-chart="timeline">(.*?)<\/figure>/s.exec(page)?.[1] ?? '';
    expect(chart).toContain('one bar per day');
    // 20,000 x 129 s is 29.9 days: 30 daily bars of events and 30 of flagged rows.
    expect(count(chart, /aria-roledescription="bar"/g)).toBe(60);
    expect(page.length).toBeLessThan(400_000);
  });
});

describe('export.report format', () => {
  it('writes Markdown for a .md file and HTML otherwise, unless the format is given', async () => {
    const harness = await ComponentHarness.open();
    try {
      const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['transfers.csv'] }));
      await harness.run(reportExport, { datasets: [dataset] }, { output: 'a_report', file: 'a_report.md' });
      await harness.run(reportExport, { datasets: [dataset] }, { output: 'b_report', file: 'b_report.html' });
      await harness.run(reportExport, { datasets: [dataset] }, { output: 'c_report', file: 'c_report.txt', format: 'md' });
      expect((await readFile(join(harness.outputDir, 'a_report.md'), 'utf8')).startsWith('# Threat report\n')).toBe(true);
      const html = await readFile(join(harness.outputDir, 'b_report.html'), 'utf8');
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      // No analysis ran and nothing was scored: no findings, indicator, quality or statistics section, no threat picture.
      expect(sectionIds(html)).toEqual(['summary', 'entities', 'plan']);
      expect(html).not.toContain('class="picture"');
      expect([...html.matchAll(/data-chart="([a-z-]+)"/g)].map((m) => m[1])).toEqual(['timeline', 'entities']);
      expect((await readFile(join(harness.outputDir, 'c_report.txt'), 'utf8')).startsWith('# Threat report\n')).toBe(true);
    } finally {
      await harness.close();
    }
  });
});

describe('export.report (HTML) with an ATT&CK mapping', () => {
  it('shows the tactics x techniques matrix with links to attack.mitre.org and the rows per tactic', async () => {
    const harness = await ComponentHarness.open();
    try {
      // EDR alerts whose text names techniques: integration.attack maps the ids written in the data.
      const events = await harness.table(
        'edr',
        `SELECT * FROM (VALUES
           (0, 'ws-01', 'alice', 'LSASS dump seen (T1003.001)'),
           (1, 'ws-02', 'bob', 'scheduled task created, T1053.005'),
           (2, 'ws-03', 'carol', 'nothing to see'),
           (3, 'ws-04', 'dave', 'another LSASS dump T1003.001'),
           (4, 'ws-05', '<script>alert(1)</script>', 'made-up T9999')
         ) AS t(seq, host, "user", alert)`,
      );
      const mapped = await harness.run(attackMapping, { datasets: [events] }, {});
      await harness.run(reportExport, { datasets: [datasetOf(mapped)], summaries: [summaryOf(attackMapping, mapped)] }, { output: 'threat_report', file: 'threat_report.html' });
      const page = await readFile(join(harness.outputDir, 'threat_report.html'), 'utf8');
      const attack = section(page, 'attack');
      expect(attack).toContain('3 rows map to 2 techniques in 4 tactics (ATT&amp;CK Enterprise v18.1).');
      // Matrix columns in ATT&CK order; T1053.005 (Scheduled Task) sits under Execution, Persistence and Privilege Escalation.
      const header = /<table class="matrix"><thead><tr>(.*?)<\/tr>/s.exec(attack)?.[1] ?? '';
      expect([...header.matchAll(/<th>(.*?)<br>/g)].map((m) => m[1])).toEqual(['Execution', 'Persistence', 'Privilege Escalation', 'Credential Access']);
      expect(attack).toContain('<a href="https://attack.mitre.org/techniques/T1003/001/">T1003.001</a> LSASS Memory <span class="muted">(2)</span>');
      expect(attack).toContain('<a href="https://attack.mitre.org/techniques/T1053/005/">T1053.005</a>');
      expect(attack).toContain('Ids not in the catalogue, ignored: T9999.');
      // The rows-per-tactic chart: Credential Access has 2 rows, the three tactics of T1053.005 one each.
      const chart = /<figure class="chart" data-chart="tactics">(.*?)<\/figure>/s.exec(page)?.[1] ?? '';
      expect(count(chart, /aria-roledescription="bar"/g)).toBe(4);
      expect(chart).toContain('aria-label="rows: 2; tactic: Credential Access"');
      expect(count(page, /<script/g)).toBe(0);
    } finally {
      await harness.close();
    }
  });
});

describe('export.report (HTML) on oversized values', () => {
  it('cuts a 50,000-character user name in tables and chart labels', async () => {
    const harness = await ComponentHarness.open();
    try {
      const dataset = await harness.table('huge', `SELECT i AS seq, CASE WHEN i = 0 THEN repeat('<A>', 50000) ELSE 'user' || (i % 3) END AS "user" FROM range(30) AS t(i)`);
      await harness.run(reportExport, { datasets: [dataset] }, { output: 'threat_report', file: 'huge.html' });
      const page = await readFile(join(harness.outputDir, 'huge.html'), 'utf8');
      // 200 characters survive (the SQL cut), each `<` and `>` escaped; nothing near the 150,000 characters of the value.
      expect(page).toContain(`${'&lt;A&gt;'.repeat(66)}&lt;A`);
      expect(page).not.toContain('&lt;A&gt;'.repeat(67));
      expect(page.length).toBeLessThan(60_000);
      expect(count(page, /<script/g)).toBe(0);
    } finally {
      await harness.close();
    }
  });
});
