#!/usr/bin/env node
// Builds data/attack/catalogue.json, the compact MITRE ATT&CK Enterprise catalogue shipped with CS Helper, from the
// techniques extracted out of the mitre/cti STIX bundles: ids, names, tactics, platforms and status from v18.1, and the
// detection and data-source text from v17.1 (v18 moved detection into separate analytic objects and left it empty).
//
// Usage: node scripts/build-attack-catalogue.mjs [DIR]
//   DIR defaults to ../shared/data/attack relative to the repository root; it must hold
//   enterprise-techniques-v18.1.json, enterprise-techniques-v18.1-tactics.json and enterprise-techniques-v17.1.json.
// Output is deterministic: running it twice on the same inputs gives byte-identical files.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_DIR = '../shared/data/attack';
const OUT_DIR = join(REPO_ROOT, 'data', 'attack');
const OUT_FILE = join(OUT_DIR, 'catalogue.json');
// Detection text is most of the bytes and only `attack show` reads it: a second file keeps the lookups' load small.
const OUT_DETECTION = join(OUT_DIR, 'detection.json');
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const TACTIC_ID = /^TA\d{4}$/;
// The Enterprise matrix's column order (its x-mitre-matrix object's tactic_refs, not shipped in the derived files):
// reports and the Navigator show tactics in this order.
const MATRIX_ORDER = ['reconnaissance', 'resource-development', 'initial-access', 'execution', 'persistence', 'privilege-escalation', 'defense-evasion', 'credential-access', 'discovery', 'lateral-movement', 'collection', 'command-and-control', 'exfiltration', 'impact'];

// Provenance as stated in shared/data/attack/SOURCE.txt; kept here rather than parsed from that free text.
const SOURCE = {
  repository: 'https://github.com/mitre/cti',
  attack_version: '18.1',
  attack_commit: '421deacb77191b38bdd1bf63268954e93da91365',
  detection_version: '17.1',
  detection_commit: 'dc2ea9270f1a91398c750a6dceb3591b86082ce8',
};

function readJson(dir, name) {
  const path = join(dir, name);
  if (!existsSync(path)) {
    console.error(`error: ${path} is missing\nhint: pass the folder that holds the derived ATT&CK files (default ${DEFAULT_DIR})`);
    process.exit(1);
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Citations point into a bibliography the catalogue does not ship: they are noise in a terminal. */
function withoutCitations(text) {
  return text.replace(/\s*\(Citation:[^)]*\)/g, '').replace(/[ \t]+\n/g, '\n').trim();
}

/**
 * What replaces a revoked or deprecated technique. The stored snapshot has no `revoked-by` relationship objects (only
 * the attack-pattern objects), so the replacement is derived from what the data does hold, and says how:
 * - a deprecated technique's description names its successors as links ("Please use [..](.../techniques/T1574/007)");
 * - a revoked technique was, in every case MITRE documents, merged into an active technique of the same name
 *   (T1004 Winlogon Helper DLL -> T1547.004): a unique exact name match is taken, an ambiguous or missing one is not.
 */
function replacementOf(technique, activeByName) {
  if (technique.deprecated) {
    const head = technique.description.split('\n')[0] ?? '';
    const ids = [...head.matchAll(/attack\.mitre\.org\/techniques\/(T\d{4})(?:\/(\d{3}))?/g)].map((m) => (m[2] === undefined ? m[1] : `${m[1]}.${m[2]}`));
    return ids.length > 0 ? { ids: [...new Set(ids)], basis: 'deprecation-note' } : null;
  }
  if (technique.revoked) {
    const candidates = activeByName.get(technique.name.toLowerCase()) ?? [];
    return candidates.length === 1 ? { ids: candidates, basis: 'same-name' } : null;
  }
  return null;
}

function build(dir) {
  const techniques = readJson(dir, 'enterprise-techniques-v18.1.json');
  const tactics = readJson(dir, 'enterprise-techniques-v18.1-tactics.json');
  const older = readJson(dir, 'enterprise-techniques-v17.1.json');
  const detectionById = new Map(older.map((t) => [t.id, t]));
  const activeByName = new Map();
  for (const t of techniques) {
    if (t.revoked || t.deprecated) continue;
    const key = t.name.toLowerCase();
    activeByName.set(key, [...(activeByName.get(key) ?? []), t.id]);
  }
  const out = [];
  const details = [];
  for (const t of [...techniques].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (!TECHNIQUE_ID.test(t.id)) throw new Error(`unexpected technique id ${t.id}`);
    const status = t.revoked ? 'revoked' : t.deprecated ? 'deprecated' : 'active';
    const previous = detectionById.get(t.id);
    const entry = { id: t.id, name: t.name, tactics: t.tactics, platforms: [...t.platforms].sort(), status };
    const replacement = replacementOf(t, activeByName);
    if (replacement !== null) {
      entry.replaced_by = replacement.ids;
      entry.replacement_basis = replacement.basis;
    }
    const detection = withoutCitations(t.detection || previous?.detection || '');
    const dataSources = t.data_sources?.length ? t.data_sources : previous?.data_sources ?? [];
    if (detection !== '' || dataSources.length > 0) details.push({ id: t.id, detection, data_sources: dataSources });
    out.push(entry);
  }
  for (const tactic of tactics) {
    if (!TACTIC_ID.test(tactic.id)) throw new Error(`unexpected tactic id ${tactic.id}`);
    if (!MATRIX_ORDER.includes(tactic.shortname)) throw new Error(`tactic ${tactic.shortname} is not in the matrix order`);
  }
  tactics.sort((a, b) => MATRIX_ORDER.indexOf(a.shortname) - MATRIX_ORDER.indexOf(b.shortname));
  return {
    format: 1,
    notice: '© The MITRE Corporation. This work is reproduced and distributed with the permission of The MITRE Corporation. See NOTICE.md.',
    source: SOURCE,
    domain: 'enterprise-attack',
    tactics: tactics.map((t) => ({ id: t.id, name: t.name, shortname: t.shortname })),
    techniques: out,
    details,
  };
}

/** One record per line: small, and a diff of a new ATT&CK release stays readable. */
function writeRecords(path, head, key, records) {
  const prefix = JSON.stringify({ ...head, [key]: [] }).slice(0, -3);
  writeFileSync(path, `${prefix}[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`);
}

const dir = resolve(REPO_ROOT, process.argv[2] ?? DEFAULT_DIR);
const catalogue = build(dir);
mkdirSync(OUT_DIR, { recursive: true });
const { details, techniques, ...head } = catalogue;
writeRecords(OUT_FILE, head, 'techniques', techniques);
writeRecords(OUT_DETECTION, { format: 1, notice: head.notice, source: head.source }, 'techniques', details);
const counts = catalogue.techniques.reduce((acc, t) => ({ ...acc, [t.status]: (acc[t.status] ?? 0) + 1 }), {});
console.log(`wrote ${OUT_FILE}: ${catalogue.techniques.length} techniques (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}), ${catalogue.tactics.length} tactics`);
