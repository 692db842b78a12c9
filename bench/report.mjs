// export.report: the Markdown report, the HTML report (the same model plus five Vega-Lite charts rendered to SVG and the
// page), against export.csv writing the same enriched rows: on the bundled 10k-row example and on the generated
// `rows`-row file. The model is SQL (GROUP BYs with LIMITs), so both reports should stay near-constant as rows grow.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { generatedThreatCsv, openBench, ROOT, scratchFolder } from './component-run.mjs';
import { interleaved, median, ms } from './measure.mjs';

async function measure(input, label, rounds) {
  const out = scratchFolder('report-out');
  const bench = await openBench({ baseDir: join(input, '..'), outputDir: out.dir });
  try {
    const imported = (await bench.run('import.csv', {}, { paths: [input] })).dataset;
    const one = { datasets: [imported] };
    const quality = await bench.run('validation.quality', one, {});
    const patterns = await bench.run('analysis.patterns', one, {});
    const iocs = await bench.run('intel.ioc-match', one, {});
    const findings = [patterns.findings, iocs.findings];
    const enriched = (await bench.run('processing.enrich', { datasets: [imported], findings }, {})).dataset;
    const summaries = [
      { component: 'validation.quality', node: 'quality', data: quality.summary },
      { component: 'analysis.patterns', node: 'patterns', data: patterns.summary },
      { component: 'intel.ioc-match', node: 'ioc-match', data: iocs.summary },
    ];
    const inputs = { datasets: [enriched], findings, summaries };
    const cases = {
      csv: () => bench.run('export.csv', { datasets: [enriched] }, { output: 'enriched_data', file: 'enriched_data.csv', source: 'dataset' }),
      markdown: () => bench.run('export.report', inputs, { output: 'threat_report', file: 'threat_report.md' }),
      html: () => bench.run('export.report', inputs, { output: 'threat_report', file: 'threat_report.html' }),
    };
    // One unmeasured HTML run first: loading and compiling vega and vega-lite is paid once per process.
    const firstStart = performance.now();
    await cases.html();
    const first = performance.now() - firstStart;
    const times = await interleaved(cases, rounds);
    const ratio = (name) => median(times[name].runs.map((t, i) => t / times.csv.runs[i]));
    const bytes = { html: statSync(join(out.dir, 'threat_report.html')).size, markdown: statSync(join(out.dir, 'threat_report.md')).size };
    return { label, rows: enriched.rowCount, first, times, ratio, bytes };
  } finally {
    await bench.close();
    out.remove();
  }
}

export async function report({ rows = 1_000_000, rounds = 5 } = {}) {
  const runs = [await measure(join(ROOT, 'examples', 'threat_data.csv'), 'bundled example', rounds), await measure(generatedThreatCsv(rows), 'generated', Math.min(rounds, 3))];
  return {
    name: 'export.report',
    runs: runs.map((r) => ({ label: r.label, rows: r.rows, firstHtmlMs: r.first, medians: Object.fromEntries(Object.entries(r.times).map(([k, v]) => [k, v.median])), bytes: r.bytes })),
    print() {
      const lines = ['## export.report: HTML (model + 5 charts + page) and Markdown, against export.csv of the same rows'];
      for (const r of runs) {
        lines.push(`${r.label}: ${r.rows.toLocaleString('en-US')} rows; first HTML report in the process ${ms(r.first)} (loads vega); HTML ${r.bytes.html.toLocaleString('en-US')} bytes, Markdown ${r.bytes.markdown.toLocaleString('en-US')} bytes`);
        for (const name of ['csv', 'markdown', 'html']) {
          lines.push(`  ${name.padEnd(10)}${ms(r.times[name].median).padStart(9)}   (runs: ${r.times[name].runs.map(ms).join(', ')})${name === 'csv' ? '   baseline' : `   ratio ${r.ratio(name).toFixed(2)}`}`);
        }
      }
      return lines.join('\n');
    },
  };
}
