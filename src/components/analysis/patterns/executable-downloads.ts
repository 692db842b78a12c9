// Executable downloads: responses whose MIME type says a program (a Windows PE as Zeek's `application/x-dosexec`, an
// ELF or Mach-O binary, an installer) in an HTTP or proxy log with a MIME column (Zeek's `resp_mime_types`, a
// `content_type`). A program fetched over the web is how tools are brought in (T1105); one whose requested name claims
// another type (`/radiance.png`, `/sun.sets` answered with a PE) is disguised (T1036.008 Masquerade File Type). In the
// Trickbot capture of ../shared/data, 20 of 1,149 HTTP responses are PEs: 19 under image or made-up names (`.png`,
// `.sets`; 18 of them from bare IP addresses), one `/MailLogers.exe`.
// A program copied over SMB (Zeek files.log's `source`) is moved between hosts inside the network (T1570 Lateral Tool
// Transfer): in that capture, two PEs with random names written to a share's WINDOWS folder, Trickbot's worm spreading.
// Findings: every such row (row-level): `smb-executable:<MIME column>` (score 35) when it travelled over SMB,
// `disguised-executable:<path column>` (35) when the requested name has an extension that is not a program's, else
// `executable-download:<MIME column>` (20).
import { plainText } from '../../../data/plain-value.js';
import { quoteIdent, quoteLiteral } from '../../../data/sql-text.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { q, SOURCE, type DetectorContext, type DetectorOutcome } from './detector.js';
import { nameWords } from './pattern-columns.js';
import { requestPathColumn } from './http-columns.js';

/** MIME types of programs (lower case): PE (as libmagic and Zeek name it, and as servers send it), ELF, Mach-O, MSI. */
const EXECUTABLE_MIME = ['application/x-dosexec', 'application/x-msdownload', 'application/vnd.microsoft.portable-executable', 'application/x-msdos-program', 'application/x-executable', 'application/x-elf', 'application/x-sharedlib', 'application/x-mach-binary', 'application/x-msi'];
/** Extensions a program is honestly served under. */
const PROGRAM_EXTENSIONS = ['exe', 'dll', 'scr', 'com', 'sys', 'msi', 'msp', 'cpl', 'ocx', 'drv', 'efi', 'bin', 'elf', 'so', 'dylib', 'out', 'run', 'pif', 'mui'];

const DISGUISED_SCORE = 35;
const DOWNLOAD_SCORE = 20;

/** A text column, or a list of texts (Zeek's sets and vectors, imported as VARCHAR[]). */
function isText(column: DatasetColumn): boolean {
  return column.sqlType === 'VARCHAR' || column.sqlType === 'VARCHAR[]';
}

/** A column's value as one text: a list's items joined with commas, as Zeek writes a set. */
function textSql(column: DatasetColumn): string {
  return column.sqlType === 'VARCHAR[]' ? `array_to_string(t.${q(column.name)}, ',')` : `CAST(t.${q(column.name)} AS VARCHAR)`;
}

/** The response MIME column: a text column named for a MIME or content type, the response's before the request's. */
export function mimeColumn(columns: readonly DatasetColumn[]): DatasetColumn | undefined {
  const mime = columns.filter((c) => {
    const words = nameWords(c.name);
    return isText(c) && (words.includes('mime') || (words.includes('content') && words.includes('type')));
  });
  return mime.find((c) => nameWords(c.name).some((w) => w === 'resp' || w === 'response')) ?? mime.find((c) => !nameWords(c.name).some((w) => w === 'orig' || w === 'request')) ?? mime[0];
}

/** How the file travelled: Zeek files.log's `source` (HTTP, SMB, FTP_DATA), a `service` or `protocol` column. */
function transportColumn(columns: readonly DatasetColumn[]): DatasetColumn | undefined {
  return columns.find((c) => isText(c) && ['source', 'service', 'protocol', 'proto', 'app_proto', 'application'].includes(nameWords(c.name).join('_')));
}

/** The server the file came from: a `host` (Zeek http) or `server`/`domain` column, else none. */
function hostColumn(columns: readonly DatasetColumn[]): DatasetColumn | undefined {
  return columns.find((c) => isText(c) && ['host', 'server_name', 'domain', 'dest_host'].includes(nameWords(c.name).join('_')));
}

export async function detectExecutableDownloads(context: DetectorContext, columns: readonly DatasetColumn[]): Promise<DetectorOutcome> {
  const { sql, signal, table, params } = context;
  const mime = mimeColumn(columns);
  if (mime === undefined) return { found: 0, listed: [] };
  const path = requestPathColumn(columns) ?? columns.find((c) => isText(c) && nameWords(c.name).some((w) => w === 'filename' || w === 'filenames'));
  const host = hostColumn(columns);
  const m = `lower(${textSql(mime)})`;
  const pathSql = path === undefined ? 'NULL::VARCHAR' : textSql(path);
  // The requested name's extension: the last path segment's, before any query or fragment (up to 8 letters or digits).
  const extension = path === undefined ? 'NULL::VARCHAR' : `lower(regexp_extract(split_part(split_part(${pathSql}, '?', 1), '#', 1), '\\.([A-Za-z0-9]{1,8})$', 1))`;
  const hostSql = host === undefined ? 'NULL::VARCHAR' : textSql(host);
  const transport = transportColumn(columns);
  // A MIME column may hold several types (Zeek's set: `text/plain,application/x-dosexec`): any program among them counts.
  const executable = EXECUTABLE_MIME.map((type) => `contains(${m}, ${quoteLiteral(type)})`).join(' OR ');
  // The detector's own scratch name (DetectorContext.scratchPrefix), dropped whatever happens.
  const scratch = quoteIdent(`${context.scratchPrefix}_executables`);
  let rows: Awaited<ReturnType<typeof sql.all>>;
  try {
    await sql.run(
      `CREATE OR REPLACE TEMP TABLE ${scratch} AS
       SELECT t.${context.rowId} AS row_id, left(${textSql(mime)}, 256) AS mime, left(${pathSql}, 256) AS path, left(${hostSql}, 256) AS host,
              nullif(${extension}, '') AS extension, ${transport === undefined ? 'NULL::VARCHAR' : `upper(left(${textSql(transport)}, 32))`} AS transport
       FROM ${table} t
       WHERE t.${q(mime.name)} IS NOT NULL AND contains(${m}, 'application/') AND (${executable})`,
      [],
      signal,
    );
    const disguised = `(extension IS NOT NULL AND extension NOT IN (${PROGRAM_EXTENSIONS.map(quoteLiteral).join(', ')}))`;
    const smb = `coalesce(contains(transport, 'SMB'), false)`;
    const label = `CASE WHEN ${smb} THEN ${quoteLiteral(`smb-executable:${mime.name}`)} WHEN ${disguised} THEN ${quoteLiteral(`disguised-executable:${path?.name ?? mime.name}`)} ELSE ${quoteLiteral(`executable-download:${mime.name}`)} END`;
    await sql.run(
      `INSERT INTO ${context.findings}
       SELECT row_id, 'anomaly', ${label}, CASE WHEN ${smb} OR ${disguised} THEN ${DISGUISED_SCORE} ELSE ${DOWNLOAD_SCORE} END, '${SOURCE}', coalesce(host, path),
              json_object('mime', mime, 'path', path, 'extension', extension, 'host', host, 'transport', transport, 'disguised', ${disguised})::VARCHAR
       FROM ${scratch}`,
      [],
      signal,
    );
    rows = await sql.all(
      `SELECT host, path, transport, ${smb} AS smb, ${disguised} AS disguised, extension, any_value(mime) AS mime, count(*) AS rows
       FROM ${scratch} GROUP BY ALL ORDER BY smb DESC, disguised DESC, rows DESC, host, path`,
      [],
      signal,
    );
  } finally {
    await sql.run(`DROP TABLE IF EXISTS ${scratch}`, [], signal);
  }
  const listed = rows.slice(0, params.max_listed).map((r) => ({
    host: r['host'] === null ? null : plainText(r['host']),
    path: r['path'] === null ? null : plainText(r['path']),
    mime: plainText(r['mime']),
    extension: r['extension'] === null ? null : plainText(r['extension']),
    transport: r['transport'] === null ? null : plainText(r['transport']),
    disguised: r['disguised'] === true,
    rows: Number(r['rows']),
  }));
  return { found: rows.length, listed };
}
