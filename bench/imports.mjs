// Imports of each format analysts bring, at a size where the per-row cost shows, each against the nearest bare
// operation on the same file in the same run: DuckDB's read_csv / read_json into a table (CSV, JSON Lines, Zeek TSV),
// DuckDB's read_csv of the lines + one regexp_extract (access log), and SheetJS reading the workbook (Excel: DuckDB has
// no built-in xlsx reader). Data: the generated bench CSV (also written as JSON Lines and .xlsx), and the real Zeek
// conn.log and Apache access log of ../shared/data repeated to size (skipped, with a note, when that folder is absent).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import XLSX from '@e965/xlsx';
import { SHARED_DATA, generatedThreatCsv, openBench, scratchFolder } from './component-run.mjs';
import { interleaved, median, ms } from './measure.mjs';

const ZEEK_CONN = join(SHARED_DATA, 'zeek', 'trickbot-2018-11-09', 'conn.log');
const ACCESS_LOG = join(SHARED_DATA, 'web-logs', 'acunetix.txt');
const JSON_ROWS = 200_000;
const EXCEL_ROWS = 25_000;
const ZEEK_COPIES = 20;
const ACCESS_COPIES = 20;
// Combined log format, the access-log baseline's whole parse: host, ident, user, time, request, status, bytes, referrer, agent.
const COMBINED = String.raw`^"?(\S+) (\S+) (\S+) \[([^\]]+)\] "([^"]*)" (\d{3}) (\S+) "([^"]*)" "([^"]*)"`;

const literal = (text) => `'${text.replaceAll("'", "''")}'`;

/** The Zeek log's header, its data lines `copies` times, and its #close line: one big log as Zeek would write it. */
function repeatZeek(source, copies, target) {
  const lines = readFileSync(source, 'utf8').split('\n').filter((l) => l !== '');
  const header = lines.filter((l) => l.startsWith('#') && !l.startsWith('#close'));
  const data = lines.filter((l) => !l.startsWith('#')).join('\n');
  const close = lines.find((l) => l.startsWith('#close')) ?? '#close\t2025-11-23-10-29-58';
  writeFileSync(target, `${header.join('\n')}\n${Array.from({ length: copies }, () => data).join('\n')}\n${close}\n`);
  return { rows: (data.split('\n').length) * copies };
}

function repeatLines(source, copies, target) {
  const text = readFileSync(source, 'utf8').replace(/\n?$/, '\n');
  writeFileSync(target, text.repeat(copies));
  return { rows: text.split('\n').length * copies - copies };
}

export async function imports({ rows = 1_000_000, rounds = 5 } = {}) {
  const csv = generatedThreatCsv(rows);
  const scratch = scratchFolder('imports');
  const bench = await openBench({ baseDir: scratch.dir, outputDir: scratch.dir });
  const sql = await bench.workspace.session();
  const formats = [];
  try {
    // Inputs: JSON Lines and Excel are the bench CSV's first rows, written by DuckDB and SheetJS.
    const jsonl = join(scratch.dir, 'events.jsonl');
    await sql.run(`COPY (SELECT * FROM read_csv(${literal(csv)}) LIMIT ${JSON_ROWS}) TO ${literal(jsonl)} (FORMAT JSON)`);
    const xlsx = join(scratch.dir, 'events.xlsx');
    const sheetRows = await sql.all(`SELECT * FROM read_csv(${literal(csv)}, all_varchar = true) LIMIT ${EXCEL_ROWS}`);
    const sheet = XLSX.utils.json_to_sheet(sheetRows.map((r) => ({ ...r, bytes_sent: Number(r['bytes_sent']), bytes_received: Number(r['bytes_received']), duration_ms: Number(r['duration_ms']) })));
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, 'events');
    writeFileSync(xlsx, XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }));

    const cases = [
      { name: 'CSV', file: csv, rows, component: 'import.csv', params: { paths: [csv] }, baseline: 'DuckDB read_csv', baselineRun: () => sql.run(`CREATE OR REPLACE TEMP TABLE base AS SELECT * FROM read_csv(${literal(csv)})`) },
      { name: 'JSON Lines', file: jsonl, rows: JSON_ROWS, component: 'import.json', params: { paths: [jsonl] }, baseline: 'DuckDB read_json', baselineRun: () => sql.run(`CREATE OR REPLACE TEMP TABLE base AS SELECT * FROM read_json(${literal(jsonl)}, format = 'newline_delimited')`) },
      {
        name: 'Excel (.xlsx)', file: xlsx, rows: EXCEL_ROWS, component: 'import.excel', params: { paths: [xlsx] }, baseline: 'SheetJS read + sheet_to_json',
        baselineRun: async () => {
          const wb = XLSX.read(readFileSync(xlsx), { dense: true });
          XLSX.utils.sheet_to_json(wb.Sheets[wb.SheetNames[0]], { header: 1 });
        },
      },
    ];
    const missing = [];
    if (existsSync(ZEEK_CONN)) {
      const zeek = join(scratch.dir, 'conn.log');
      const { rows: zeekRows } = repeatZeek(ZEEK_CONN, ZEEK_COPIES, zeek);
      cases.push({ name: `Zeek conn.log (real, x${ZEEK_COPIES})`, file: zeek, rows: zeekRows, component: 'import.log', params: { paths: [zeek], format: 'zeek' }, baseline: 'DuckDB read_csv, tab, # comments', baselineRun: () => sql.run(`CREATE OR REPLACE TEMP TABLE base AS SELECT * FROM read_csv(${literal(zeek)}, delim = '\t', comment = '#', header = false, nullstr = '-')`) });
    } else missing.push(ZEEK_CONN);
    if (existsSync(ACCESS_LOG)) {
      const access = join(scratch.dir, 'access.log');
      const { rows: accessRows } = repeatLines(ACCESS_LOG, ACCESS_COPIES, access);
      const fields = ['host', 'ident', 'user', 'time', 'request', 'status', 'bytes', 'referrer', 'agent'];
      cases.push({
        name: `access log (real, x${ACCESS_COPIES})`, file: access, rows: accessRows, component: 'import.log', params: { paths: [access], format: 'access' }, baseline: 'DuckDB read_csv of lines + regexp_extract',
        baselineRun: () => sql.run(`CREATE OR REPLACE TEMP TABLE base AS SELECT unnest(regexp_extract(line, ${literal(COMBINED)}, [${fields.map(literal).join(', ')}])) FROM read_csv(${literal(access)}, columns = {'line': 'VARCHAR'}, delim = '\x01', quote = '', escape = '', header = false)`),
      });
    } else missing.push(ACCESS_LOG);

    for (const c of cases) {
      let imported = null;
      const timed = await interleaved(
        {
          baseline: c.baselineRun,
          import: async () => {
            if (imported !== null) await bench.drop(imported.table);
            imported = (await bench.run(c.component, {}, c.params)).dataset;
          },
        },
        rounds,
      );
      formats.push({
        name: c.name, component: c.component, baseline: c.baseline, bytes: statSync(c.file).size, rows: c.rows, importedRows: imported?.rowCount ?? 0, columns: imported?.columns.length ?? 0,
        baselineMs: timed.baseline.median, importMs: timed.import.median, ratio: median(timed.import.runs.map((t, i) => t / timed.baseline.runs[i])), runs: timed.import.runs,
      });
      if (imported !== null) await bench.drop(imported.table);
    }
    return {
      name: 'imports',
      formats,
      missing,
      print() {
        const lines = [`## imports: median of ${rounds}; ratio = median of per-round import / baseline`];
        for (const f of this.formats) {
          lines.push(`  ${f.name.padEnd(28)} ${(f.bytes / 1024 ** 2).toFixed(0).padStart(4)} MB, ${f.importedRows.toLocaleString('en-US')} rows x ${f.columns} cols: ${f.component} ${ms(f.importMs)} (runs: ${f.runs.map(ms).join(', ')}); ${f.baseline} ${ms(f.baselineMs)}; ratio ${f.ratio.toFixed(2)}; ${Math.round(f.importedRows / (f.importMs / 1000)).toLocaleString('en-US')} rows/s`);
        }
        for (const path of this.missing) lines.push(`  SKIPPED: ${path} is absent (../shared/data is not on this machine)`);
        return lines.join('\n');
      },
    };
  } finally {
    sql.close();
    await bench.close();
    scratch.remove();
  }
}
