// Which feature columns processing.enrich adds, by column role and feature group, and how each is computed:
// SQL in the projection that copies the rows, or a per-distinct-value lookup applied by an UPDATE afterwards.
import type { SqlSession } from '../../../data/sql-session.js';
import { quoteIdent } from '../../../data/sql-text.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { loadPortServices } from '../../../intel/ports/port-services.js';
import { ipClassFromOctetsSql, ipOctetsSql } from '../ip-class-sql.js';
import { domainFeaturesSql, dgaScoreSql, registeredLabelSql } from './domain-features-sql.js';
import { domainParts, hostParts } from './domain-parts.js';
import { hashTypeSql } from './hash-type-sql.js';
import { urlCountFeaturesSql } from './url-lexical-sql.js';
import { hostnameLikeUrlsplit, MAX_URL_LENGTH, URL_HOST_FEATURES, urlHostFeatures } from './url-host-features.js';
import { buildValueLookup, type LookupField } from './value-lookup.js';

/** Feature groups, each for the columns of one role. */
export const FEATURE_GROUPS = ['ip_class', 'port_service', 'hash_type', 'domain', 'url'] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

const GROUP_ROLE: Readonly<Record<FeatureGroup, string>> = { ip_class: 'ip', port_service: 'port', hash_type: 'hash', domain: 'domain', url: 'url' };

/** Order of the URL features in the output: the phishing dataset's column order, then the host's parts. */
const URL_FEATURE_ORDER = ['length_url', 'length_hostname', 'nb_dots', 'nb_hyphens', 'nb_underscore', 'nb_tilde', 'nb_percent', 'nb_slash', 'nb_colon', 'nb_comma', 'nb_semicolumn', 'nb_dollar', 'nb_space', 'nb_www', 'nb_com', 'http_in_path'] as const;

export interface FillContext {
  readonly sql: SqlSession;
  readonly signal?: AbortSignal;
  /** The enriched table (already holding every row and placeholder column). */
  readonly table: string;
  /** A fresh table name for a lookup. */
  readonly scratch: (prefix: string) => string;
}

export interface FeaturePlan {
  /** Extra columns of the inner projection over `src` (computed once, read by several outer expressions). */
  readonly inner: string[];
  /** Outer projection entries over `d`: SQL and output name, in output order. */
  readonly columns: { readonly name: string; readonly sql: string }[];
  /** Filled after the copy: lookups applied to placeholder columns. */
  readonly fills: ((context: FillContext) => Promise<void>)[];
  /** Added column names by group, for the summary. */
  readonly added: Record<FeatureGroup, string[]>;
}

/** Plans the feature columns for `columns` (the dataset's user columns) and the enabled groups; skips names already taken. */
export function planFeatures(columns: readonly DatasetColumn[], groups: ReadonlySet<FeatureGroup>): FeaturePlan {
  const taken = new Set(columns.map((c) => c.name));
  const plan: FeaturePlan = { inner: [], columns: [], fills: [], added: { ip_class: [], port_service: [], hash_type: [], domain: [], url: [] } };
  const add = (group: FeatureGroup, name: string, sql: string): boolean => {
    if (taken.has(name)) return false;
    taken.add(name);
    plan.columns.push({ name, sql });
    plan.added[group].push(name);
    return true;
  };
  const of = (group: FeatureGroup): DatasetColumn[] => (groups.has(group) ? columns.filter((c) => c.role === GROUP_ROLE[group]) : []);

  of('ip_class').forEach((c, i) => {
    if (add('ip_class', `${c.name}_class`, ipClassFromOctetsSql(`d.${quoteIdent(c.name)}`, `d.__ip${i}`))) plan.inner.push(ipOctetsSql(`src.${quoteIdent(c.name)}`, `__ip${i}`));
  });
  for (const c of of('port_service')) {
    const name = `${c.name}_service`;
    if (add('port_service', name, 'CAST(NULL AS VARCHAR)')) plan.fills.push((context) => fillPortService(context, c.name, name));
  }
  for (const c of of('hash_type')) add('hash_type', `${c.name}_hash_type`, hashTypeSql(`d.${quoteIdent(c.name)}`));
  for (const c of of('domain')) planDomain(plan, add, c.name);
  for (const c of of('url')) planUrl(plan, add, c.name);
  return plan;
}

type Add = (group: FeatureGroup, name: string, sql: string) => boolean;

async function fillPortService(context: FillContext, column: string, target: string): Promise<void> {
  const services = await loadPortServices(context.sql, context.signal);
  await context.sql.run(
    `UPDATE ${quoteIdent(context.table)} AS e SET ${quoteIdent(target)} = s.service
     FROM ${quoteIdent(services)} AS s WHERE TRY_CAST(e.${quoteIdent(column)} AS INTEGER) = s.port`,
    [],
    context.signal,
  );
}

const PART_FIELDS: readonly LookupField[] = [
  { name: 'host', sqlType: 'VARCHAR' },
  { name: 'registered_domain', sqlType: 'VARCHAR' },
  { name: 'tld', sqlType: 'VARCHAR' },
];

function partValues(value: string): (string | null)[] {
  const parts = domainParts(value);
  return [parts.host, parts.registeredDomain, parts.tld];
}

/** Parts of a URL's host: from urllib's hostname when the URL has `scheme://`, else whatever host tldts finds. */
function urlPartValues(url: string): (string | null)[] {
  const host = url.length > MAX_URL_LENGTH ? null : hostnameLikeUrlsplit(url);
  const parts = host === null ? domainParts(url) : hostParts(host);
  return [parts.host, parts.registeredDomain, parts.tld];
}

/** Applies `assignments` (target column -> SQL over the lookup row `l`) to the rows whose `column` text equals l.value. */
async function applyLookup(context: FillContext, column: string, lookup: string, assignments: readonly (readonly [string, string])[]): Promise<void> {
  if (assignments.length === 0) return;
  await context.sql.run(
    `UPDATE ${quoteIdent(context.table)} AS e SET ${assignments.map(([target]) => `${quoteIdent(target)} = l.${quoteIdent(`__${target}`)}`).join(', ')}
     FROM (SELECT value, ${assignments.map(([target, sql]) => `${sql} AS ${quoteIdent(`__${target}`)}`).join(', ')} FROM ${quoteIdent(lookup)}) AS l
     WHERE CAST(e.${quoteIdent(column)} AS VARCHAR) = l.value`,
    [],
    context.signal,
  );
  await context.sql.run(`DROP TABLE ${quoteIdent(lookup)}`, [], context.signal);
}

function planDomain(plan: FeaturePlan, add: Add, column: string): void {
  const sources: readonly (readonly [string, string, string])[] = [
    ['registered_domain', 'VARCHAR', 'registered_domain'],
    ['tld', 'VARCHAR', 'tld'],
    ...domainFeaturesSql('host').map(([suffix, sql]) => [suffix, suffix === 'length' ? 'INTEGER' : 'DOUBLE', sql] as const),
    ['dga_score', 'DOUBLE', dgaScoreSql(registeredLabelSql('host', 'registered_domain', 'tld'))],
  ];
  const assignments: (readonly [string, string])[] = [];
  for (const [suffix, sqlType, sql] of sources) {
    const name = `${column}_${suffix}`;
    if (add('domain', name, `CAST(NULL AS ${sqlType})`)) assignments.push([name, sql]);
  }
  if (assignments.length === 0) return;
  plan.fills.push(async (context) => {
    const lookup = context.scratch('domain_lookup');
    await buildValueLookup({ ...context, table: context.table, column, lookupTable: lookup, fields: PART_FIELDS, compute: partValues });
    await applyLookup(context, column, lookup, assignments);
  });
}

function planUrl(plan: FeaturePlan, add: Add, column: string): void {
  // Every URL feature is computed once per distinct URL, on the lookup table, then copied onto the rows: the character
  // counts too, which per row cost more than the whole copy (measured: 4x the copy's time on the bench CSV).
  const counts = new Map(urlCountFeaturesSql('value'));
  const fromLookup: (readonly [string, string])[] = [];
  for (const feature of URL_FEATURE_ORDER) {
    const name = `${column}_${feature}`;
    if (add('url', name, 'CAST(NULL AS INTEGER)')) fromLookup.push([name, counts.get(feature) ?? `CAST(${quoteIdent(feature)} AS INTEGER)`]);
  }
  for (const [suffix, sqlType, sql] of [
    ['host', 'VARCHAR', 'host'],
    ['registered_domain', 'VARCHAR', 'registered_domain'],
    ['tld', 'VARCHAR', 'tld'],
    ['dga_score', 'DOUBLE', dgaScoreSql(registeredLabelSql('host', 'registered_domain', 'tld'))],
  ] as const) {
    const name = `${column}_${suffix}`;
    if (add('url', name, `CAST(NULL AS ${sqlType})`)) fromLookup.push([name, sql]);
  }
  if (fromLookup.length === 0) return;
  const fields: LookupField[] = [...URL_HOST_FEATURES.map((name) => ({ name, sqlType: 'DOUBLE' as const })), ...PART_FIELDS];
  plan.fills.push(async (context) => {
    const lookup = context.scratch('url_lookup');
    await buildValueLookup({
      ...context,
      table: context.table,
      column,
      lookupTable: lookup,
      fields,
      compute: (value) => {
        const host = urlHostFeatures(value);
        return [...URL_HOST_FEATURES.map((f) => host[f]), ...urlPartValues(value)];
      },
    });
    await applyLookup(context, column, lookup, fromLookup);
  });
}
