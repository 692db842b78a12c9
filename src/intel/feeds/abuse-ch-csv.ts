// abuse.ch CSV dumps (MalwareBazaar, URLhaus, Feodo Tracker, SSLBL, ThreatFox) and the ViriBack tracker: a `#` banner
// whose last line may hold the column names, quoted fields padded after the comma. Which feed it is comes from the columns.
import Papa from 'papaparse';
import { sniffDialect } from '../../data/csv-dialect.js';
import { IndicatorCollector, type CollectedFeed, type IndicatorFields } from './feed-indicator.js';
import { splitTags } from './plain-list.js';

type Row = Readonly<Record<string, string | undefined>>;

interface AbuseChLayout {
  readonly source: string;
  /** Columns that must all be present for the layout to apply. */
  readonly columns: readonly string[];
  readonly confidence: number;
  readonly read: (row: Row, add: (value: string, fields: IndicatorFields) => void) => void;
}

const value = (row: Row, column: string): string | null => {
  const text = row[column]?.trim() ?? '';
  return text === '' || text.toLowerCase() === 'n/a' || text.toLowerCase() === 'none' ? null : text;
};

/** ThreatFox's `ioc_type`: `ip:port` values lose their port; the other types map directly. */
const THREATFOX_TYPES: Readonly<Record<string, 'ip' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256'>> = { 'ip:port': 'ip', domain: 'domain', url: 'url', md5_hash: 'md5', sha1_hash: 'sha1', sha256_hash: 'sha256' };

const LAYOUTS: readonly AbuseChLayout[] = [
  {
    source: 'abuse.ch/malwarebazaar',
    columns: ['sha256_hash', 'md5_hash', 'sha1_hash'],
    confidence: 0.9,
    read: (row, add) => {
      const fields: IndicatorFields = { firstSeen: value(row, 'first_seen_utc'), malwareFamily: value(row, 'signature'), threatType: 'payload', tags: [value(row, 'file_type_guess') ?? ''] };
      for (const [column, type] of [['sha256_hash', 'sha256'], ['md5_hash', 'md5'], ['sha1_hash', 'sha1']] as const) {
        const hash = value(row, column);
        if (hash !== null) add(hash, { ...fields, type });
      }
    },
  },
  {
    source: 'abuse.ch/threatfox',
    columns: ['ioc_value', 'ioc_type'],
    confidence: 0.75,
    read: (row, add) => {
      const raw = value(row, 'ioc_value');
      const type = THREATFOX_TYPES[value(row, 'ioc_type') ?? ''];
      if (raw === null || type === undefined) return;
      const level = Number(value(row, 'confidence_level') ?? Number.NaN);
      add(type === 'ip' ? raw.replace(/:\d{1,5}$/, '') : raw, {
        type,
        firstSeen: value(row, 'first_seen_utc'),
        lastSeen: value(row, 'last_seen_utc'),
        malwareFamily: value(row, 'malware_printable'),
        threatType: value(row, 'threat_type'),
        tags: splitTags(row['tags'] ?? ''),
        confidence: Number.isFinite(level) ? level / 100 : null,
      });
    },
  },
  {
    source: 'abuse.ch/urlhaus',
    columns: ['url', 'url_status', 'threat'],
    confidence: 0.8,
    read: (row, add) => {
      const url = value(row, 'url');
      if (url !== null) add(url, { type: 'url', firstSeen: value(row, 'dateadded'), lastSeen: value(row, 'last_online'), threatType: value(row, 'threat'), tags: splitTags(row['tags'] ?? '') });
    },
  },
  {
    source: 'abuse.ch/feodotracker',
    columns: ['dst_ip', 'malware'],
    confidence: 0.9,
    read: (row, add) => {
      const ip = value(row, 'dst_ip');
      const port = value(row, 'dst_port');
      if (ip !== null) add(ip, { type: 'ip', firstSeen: value(row, 'first_seen_utc'), lastSeen: value(row, 'last_online'), malwareFamily: value(row, 'malware'), threatType: 'botnet_cc', tags: port === null ? [] : [`port:${port}`] });
    },
  },
  {
    source: 'abuse.ch/sslbl',
    columns: ['sha1', 'listingreason'],
    confidence: 0.9,
    read: (row, add) => {
      const sha1 = value(row, 'sha1');
      const reason = value(row, 'listingreason');
      if (sha1 !== null) add(sha1, { type: 'sha1', firstSeen: value(row, 'listingdate'), malwareFamily: reason?.replace(/\s+C&C$/i, '') ?? null, threatType: 'botnet_cc', tags: ['x509-certificate'] });
    },
  },
  {
    source: 'viriback',
    columns: ['family', 'url', 'ip'],
    confidence: 0.7,
    read: (row, add) => {
      const fields: IndicatorFields = { firstSeen: dayMonthYear(value(row, 'firstseen')), malwareFamily: value(row, 'family'), threatType: 'botnet_cc' };
      const url = value(row, 'url');
      const ip = value(row, 'ip');
      if (url !== null) add(url, { ...fields, type: 'url' });
      if (ip !== null) add(ip, { ...fields, type: 'ip' });
    },
  },
];

export interface AbuseChTable {
  readonly names: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** The column names (from the banner or the first row) and the data rows, fields unpadded. */
export function parseAbuseChText(text: string): AbuseChTable {
  const dialect = sniffDialect(text.slice(0, 256 * 1024), { sampleRows: 20 });
  const body = text.split(/\r?\n/).filter((l) => !l.startsWith('#')).join('\n');
  // Padded dumps (`"a", "b"`) are split on comma-and-space so the quotes are seen; a stray quote pair is removed too.
  const rows = Papa.parse<string[]>(body, { delimiter: dialect.delimiter, skipEmptyLines: true }).data.map((r) => r.map((c) => c.trim().replace(/^"(.*)"$/s, '$1')));
  if (dialect.commentHeader !== null) {
    const names = dialect.commentHeader.map((n) => n.trim().toLowerCase());
    // Some dumps repeat the banner's names as a first row.
    return { names, rows: rows[0]?.map((c) => c.toLowerCase()).join('\u0000') === names.join('\u0000') ? rows.slice(1) : rows };
  }
  return { names: (rows[0] ?? []).map((n) => n.toLowerCase()), rows: rows.slice(1) };
}

/** The layout whose columns the table has, or null when it is no abuse.ch dump. */
export function abuseChLayoutOf(names: readonly string[]): string | null {
  return LAYOUTS.find((l) => l.columns.every((c) => names.includes(c)))?.source ?? null;
}

export function readAbuseChCsv(text: string): CollectedFeed | null {
  const table = parseAbuseChText(text);
  const layout = LAYOUTS.find((l) => l.columns.every((c) => table.names.includes(c)));
  if (layout === undefined) return null;
  const collector = new IndicatorCollector(layout.source, { confidence: layout.confidence });
  for (const cells of table.rows) {
    const row = Object.create(null) as Record<string, string | undefined>;
    table.names.forEach((name, index) => {
      row[name] = cells[index];
    });
    layout.read(row, (raw, fields) => collector.add(raw, fields));
  }
  return collector.finish('abuse-ch-csv');
}

/** ViriBack writes `17-10-2026`; the indicator table keeps ISO dates. */
function dayMonthYear(text: string | null): string | null {
  const match = text === null ? null : /^(\d{2})-(\d{2})-(\d{4})$/.exec(text);
  return match === null ? text : `${match[3]}-${match[2]}-${match[1]}`;
}
