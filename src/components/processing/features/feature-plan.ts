// Which feature columns processing.enrich adds, by column role and feature group, and how each is computed:
// SQL in the projection that copies the rows, or a per-distinct-value lookup table joined in that same projection
// (IP classes, port services, domain and URL features: values repeat, so each is worked out once per distinct value).
import type { SqlSession } from '../../../data/sql-session.js';
import { quoteIdent } from '../../../data/sql-text.js';
import type { DatasetColumn } from '../../../model/dataset.js';
import { loadPortServices } from '../../../intel/ports/port-services.js';
import { ipClassFromOctetsSql, ipOctetsSql } from '../ip-class-sql.js';
import { domainParts, hostParts, type DomainParts } from '../../../intel/domains/domain-parts.js';
import { hashTypeSql } from './hash-type-sql.js';
import { codePoints, dgaScore, digitRatio, registeredLabel, round3, shannonEntropy } from '../../../intel/domains/lexical-scores.js';
import { URL_COUNT_FEATURES, urlCountFeatures, type UrlCountFeature } from './url-lexical.js';
import { hostnameLikeUrlsplit, MAX_URL_LENGTH, urlHostFeatures, type UrlHostFeatures } from './url-host-features.js';
import { buildValueLookup, type LookupField } from '../../../data/value-lookup.js';

/** Feature groups, each for the columns of one role. */
export const FEATURE_GROUPS = ['ip_class', 'port_service', 'hash_type', 'domain', 'url'] as const;
export type FeatureGroup = (typeof FEATURE_GROUPS)[number];

const GROUP_ROLE: Readonly<Record<FeatureGroup, string>> = { ip_class: 'ip', port_service: 'port', hash_type: 'hash', domain: 'domain', url: 'url' };

/** Order of the URL features in the output: the phishing dataset's column order, then the host's parts. */
const URL_FEATURE_ORDER = ['length_url', 'length_hostname', 'nb_dots', 'nb_hyphens', 'nb_underscore', 'nb_tilde', 'nb_percent', 'nb_slash', 'nb_colon', 'nb_comma', 'nb_semicolumn', 'nb_dollar', 'nb_space', 'nb_www', 'nb_com', 'http_in_path'] as const;

export interface LookupContext {
  readonly sql: SqlSession;
  readonly signal?: AbortSignal;
  /** The source table, whose distinct values are looked up. */
  readonly table: string;
  /** A fresh table name for a lookup. */
  readonly scratch: (prefix: string) => string;
}

/**
 * A table with at most one row per key, built before the copy and LEFT JOINed into it as `alias`: the projection reads
 * its columns as `alias.<feature column name>`.
 */
export interface FeatureLookup {
  readonly alias: string;
  /** The join condition, over `d` (the source row) and `alias`. */
  readonly on: string;
  /** Builds the table and returns its name. */
  readonly build: (context: LookupContext) => Promise<string>;
  /** The table outlives the step (the workspace's shared port table); else it is dropped once joined. */
  readonly shared: boolean;
}

export interface FeaturePlan {
  /** Outer projection entries over `d` and the lookups: SQL and output name, in output order. */
  readonly columns: { readonly name: string; readonly sql: string }[];
  readonly lookups: FeatureLookup[];
  /** Added column names by group, for the summary. */
  readonly added: Record<FeatureGroup, string[]>;
}

/** Plans the feature columns for `columns` (the dataset's user columns) and the enabled groups; skips names already taken. */
export function planFeatures(columns: readonly DatasetColumn[], groups: ReadonlySet<FeatureGroup>): FeaturePlan {
  const taken = new Set(columns.map((c) => c.name));
  const plan: FeaturePlan = { columns: [], lookups: [], added: { ip_class: [], port_service: [], hash_type: [], domain: [], url: [] } };
  const add = (group: FeatureGroup, name: string, sql: string): boolean => {
    if (taken.has(name)) return false;
    taken.add(name);
    plan.columns.push({ name, sql });
    plan.added[group].push(name);
    return true;
  };
  const of = (group: FeatureGroup): DatasetColumn[] => (groups.has(group) ? columns.filter((c) => c.role === GROUP_ROLE[group]) : []);

  for (const c of of('ip_class')) {
    const alias = nextAlias(plan);
    if (add('ip_class', `${c.name}_class`, `${alias}.class`)) {
      plan.lookups.push({ alias, on: `CAST(d.${quoteIdent(c.name)} AS VARCHAR) = ${alias}.value`, build: (context) => buildIpClassLookup(context, c.name), shared: false });
    }
  }
  for (const c of of('port_service')) {
    const alias = nextAlias(plan);
    if (add('port_service', `${c.name}_service`, `${alias}.service`)) {
      plan.lookups.push({ alias, on: `TRY_CAST(d.${quoteIdent(c.name)} AS INTEGER) = ${alias}.port`, build: (context) => loadPortServices(context.sql, context.signal), shared: true });
    }
  }
  for (const c of of('hash_type')) add('hash_type', `${c.name}_hash_type`, hashTypeSql(`d.${quoteIdent(c.name)}`));
  for (const c of of('domain')) planDomain(plan, add, c.name);
  for (const c of of('url')) planUrl(plan, add, c.name);
  return plan;
}

type Add = (group: FeatureGroup, name: string, sql: string) => boolean;

/**
 * The class of each distinct address of `column`, as text: addresses repeat (a million rows of a log hold a few thousand
 * distinct ones), so the parsing and the range tests run once per address instead of once per row (measured on the
 * 1M-row bench file: ~1 s less CPU for two IP columns, the join included).
 */
async function buildIpClassLookup(context: LookupContext, column: string): Promise<string> {
  const lookup = context.scratch('ip_class');
  const c = quoteIdent(column);
  await context.sql.run(
    `CREATE TABLE ${quoteIdent(lookup)} AS
     SELECT value, ${ipClassFromOctetsSql('value', '__ip')} AS class
     FROM (SELECT value, ${ipOctetsSql('value', '__ip')} FROM (SELECT DISTINCT CAST(${c} AS VARCHAR) AS value FROM ${quoteIdent(context.table)} WHERE ${c} IS NOT NULL))`,
    [],
    context.signal,
  );
  return lookup;
}

function nextAlias(plan: FeaturePlan): string {
  return `__lk${plan.lookups.length}`;
}

type FeatureValue = string | number | null;

/** One feature of a per-value lookup: its output suffix, engine type, and where it is read in the value's record. */
interface ValueFeature<R> {
  readonly suffix: string;
  readonly sqlType: LookupField['sqlType'];
  readonly read: (record: R) => FeatureValue;
}

interface DomainRecord {
  readonly parts: DomainParts;
  readonly characters: readonly string[] | null;
}

function domainRecord(value: string): DomainRecord {
  const parts = domainParts(value);
  return { parts, characters: parts.host === null ? null : codePoints(parts.host) };
}

const DOMAIN_FEATURES: readonly ValueFeature<DomainRecord>[] = [
  { suffix: 'registered_domain', sqlType: 'VARCHAR', read: (r) => r.parts.registeredDomain },
  { suffix: 'tld', sqlType: 'VARCHAR', read: (r) => r.parts.tld },
  { suffix: 'length', sqlType: 'INTEGER', read: (r) => r.characters?.length ?? null },
  { suffix: 'entropy', sqlType: 'DOUBLE', read: (r) => (r.characters === null ? null : round3(shannonEntropy(r.characters))) },
  { suffix: 'digit_ratio', sqlType: 'DOUBLE', read: (r) => (r.parts.host === null || r.characters === null ? null : digitRatio(r.parts.host, r.characters.length)) },
  { suffix: 'dga_score', sqlType: 'DOUBLE', read: (r) => dgaScore(registeredLabel(r.parts.host, r.parts.registeredDomain, r.parts.tld)) },
];

interface UrlRecord {
  readonly counts: Int32Array;
  readonly host: UrlHostFeatures;
  readonly parts: DomainParts;
  readonly dga: number | null;
}

/** Distinct URLs share few hosts: a host's DGA score is remembered with its parts, up to a bound. */
const dgaByHost = new Map<string, number | null>();
const MAX_REMEMBERED_HOSTS = 100_000;

function hostDga(host: string | null, parts: DomainParts): number | null {
  if (host === null) return dgaScore(registeredLabel(parts.host, parts.registeredDomain, parts.tld));
  const known = dgaByHost.get(host);
  if (known !== undefined) return known;
  const score = dgaScore(registeredLabel(parts.host, parts.registeredDomain, parts.tld));
  if (dgaByHost.size >= MAX_REMEMBERED_HOSTS) dgaByHost.clear();
  dgaByHost.set(host, score);
  return score;
}

/** Parts of a URL's host: from urllib's hostname when the URL has `scheme://`, else whatever host tldts finds. */
function urlRecord(url: string): UrlRecord {
  const host = url.length > MAX_URL_LENGTH ? null : hostnameLikeUrlsplit(url);
  const parts = host === null ? domainParts(url) : hostParts(host);
  return { counts: urlCountFeatures(url), host: urlHostFeatures(url), parts, dga: hostDga(host, parts) };
}

const URL_FEATURES: readonly ValueFeature<UrlRecord>[] = [
  ...URL_FEATURE_ORDER.map((feature): ValueFeature<UrlRecord> => {
    const count = URL_COUNT_FEATURES.indexOf(feature as UrlCountFeature);
    const read = count < 0 ? (r: UrlRecord) => r.host[feature as keyof UrlHostFeatures] : (r: UrlRecord) => r.counts[count] ?? null;
    return { suffix: feature, sqlType: 'INTEGER', read };
  }),
  { suffix: 'host', sqlType: 'VARCHAR', read: (r) => r.parts.host },
  { suffix: 'registered_domain', sqlType: 'VARCHAR', read: (r) => r.parts.registeredDomain },
  { suffix: 'tld', sqlType: 'VARCHAR', read: (r) => r.parts.tld },
  { suffix: 'dga_score', sqlType: 'DOUBLE', read: (r) => r.dga },
];

/**
 * Adds the features of `column` not already taken, each read from a lookup keyed by the column's distinct text values:
 * every feature is computed in JS once per distinct value (public suffixes need JS, and the rest cost less there than
 * in SQL on the lookup table), written through the appender, and joined into enrichment's one copy of the rows.
 */
function valueLookup<R>(plan: FeaturePlan, add: Add, group: FeatureGroup, column: string, features: readonly ValueFeature<R>[], record: (value: string) => R): void {
  const alias = nextAlias(plan);
  const kept = features.filter((f) => add(group, `${column}_${f.suffix}`, `${alias}.${quoteIdent(`${column}_${f.suffix}`)}`));
  if (kept.length === 0) return;
  plan.lookups.push({
    alias,
    shared: false,
    on: `CAST(d.${quoteIdent(column)} AS VARCHAR) = ${alias}.value`,
    build: async (context) => {
      const lookup = context.scratch('lookup');
      const fields = kept.map((f) => ({ name: `${column}_${f.suffix}`, sqlType: f.sqlType }));
      await buildValueLookup({ ...context, column, lookupTable: lookup, fields, compute: (value) => {
        const r = record(value);
        return kept.map((f) => f.read(r));
      } });
      return lookup;
    },
  });
}

function planDomain(plan: FeaturePlan, add: Add, column: string): void {
  valueLookup(plan, add, 'domain', column, DOMAIN_FEATURES, domainRecord);
}

function planUrl(plan: FeaturePlan, add: Add, column: string): void {
  valueLookup(plan, add, 'url', column, URL_FEATURES, urlRecord);
}
