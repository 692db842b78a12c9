// The MITRE ATT&CK Enterprise catalogue shipped in data/attack/: technique and tactic lookups, revoked and deprecated ids
// reported with their replacement. Loaded lazily, once, from the file scripts/build-attack-catalogue.mjs writes.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { packagePath } from '../../package-root.js';
import { normaliseTechniqueId, parentTechniqueId, type TechniqueId } from './technique-id.js';

/** In the package root's data folder (see package-root.ts). */
export const ATTACK_CATALOGUE_PATH = packagePath('data', 'attack', 'catalogue.json');
export const ATTACK_DETECTION_PATH = packagePath('data', 'attack', 'detection.json');

/** The status of a technique in the release the catalogue was built from. */
export type TechniqueStatus = 'active' | 'revoked' | 'deprecated';

export interface AttackTechnique {
  readonly id: TechniqueId;
  readonly name: string;
  readonly tactics: readonly string[];
  readonly platforms: readonly string[];
  readonly status: TechniqueStatus;
  readonly replaced_by?: readonly string[];
  readonly replacement_basis?: 'same-name' | 'deprecation-note';
}

export interface AttackTactic {
  readonly id: string;
  readonly name: string;
  readonly shortname: string;
}

export interface TechniqueDetection {
  readonly detection: string;
  readonly data_sources: readonly string[];
}

interface CatalogueFile {
  readonly source: { readonly attack_version: string; readonly detection_version: string };
  readonly notice: string;
  readonly domain: string;
  readonly tactics: readonly AttackTactic[];
  readonly techniques: readonly AttackTechnique[];
}

// The shipped files are written by scripts/build-attack-catalogue.mjs, not by users: the outer shape is checked with
// zod, and each of the 835 records with a plain loop (a zod parse of every record costs ~100 ms cold, the loop ~1 ms).
const catalogueHeadSchema = z.object({
  format: z.literal(1),
  notice: z.string(),
  source: z.object({ attack_version: z.string(), detection_version: z.string() }).loose(),
  domain: z.string(),
  tactics: z.array(z.object({ id: z.string().regex(/^TA\d{4}$/), name: z.string(), shortname: z.string() })),
  techniques: z.array(z.unknown()),
});
const detectionHeadSchema = z.object({ techniques: z.array(z.unknown()) });
const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;
const STATUSES: ReadonlySet<unknown> = new Set(['active', 'revoked', 'deprecated']);

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function checkTechnique(value: unknown, index: number): AttackTechnique {
  const record = value as Record<string, unknown> | null;
  const valid =
    typeof record === 'object' && record !== null &&
    typeof record['id'] === 'string' && TECHNIQUE_ID.test(record['id']) &&
    typeof record['name'] === 'string' && isStringArray(record['tactics']) && isStringArray(record['platforms']) &&
    STATUSES.has(record['status']) && (record['replaced_by'] === undefined || isStringArray(record['replaced_by']));
  if (!valid) throw new Error(`ATT&CK catalogue: technique record ${index} is malformed; rebuild it with scripts/build-attack-catalogue.mjs`);
  return record as unknown as AttackTechnique;
}

function checkDetection(value: unknown, index: number): TechniqueDetection & { readonly id: string } {
  const record = value as Record<string, unknown> | null;
  const valid = typeof record === 'object' && record !== null && typeof record['id'] === 'string' && typeof record['detection'] === 'string' && isStringArray(record['data_sources']);
  if (!valid) throw new Error(`ATT&CK detection file: record ${index} is malformed; rebuild it with scripts/build-attack-catalogue.mjs`);
  return record as unknown as TechniqueDetection & { readonly id: string };
}

export class AttackCatalogue {
  readonly attackVersion: string;
  readonly detectionVersion: string;
  readonly notice: string;
  readonly domain: string;
  /** In the Enterprise matrix's column order, Reconnaissance first. */
  readonly tactics: readonly AttackTactic[];
  private readonly byId = new Map<string, AttackTechnique>();
  private readonly tacticsByShortname = new Map<string, AttackTactic>();
  private detections: Map<string, TechniqueDetection> | null = null;

  constructor(data: CatalogueFile, private readonly detectionPath: string | null) {
    this.attackVersion = data.source.attack_version;
    this.detectionVersion = data.source.detection_version;
    this.notice = data.notice;
    this.domain = data.domain;
    this.tactics = data.tactics;
    for (const tactic of data.tactics) this.tacticsByShortname.set(tactic.shortname, tactic);
    for (const technique of data.techniques) this.byId.set(technique.id, technique);
  }

  /** The technique for an id in any case (`t1059.001`, `attack.T1059.001`), whatever its status; undefined when unknown. */
  technique(id: string): AttackTechnique | undefined {
    const normal = normaliseTechniqueId(id);
    return normal === null ? undefined : this.byId.get(normal);
  }

  /** The parent of a sub-technique, or undefined for a technique that is not one. */
  parentOf(technique: AttackTechnique): AttackTechnique | undefined {
    const parent = parentTechniqueId(technique.id);
    return parent === technique.id ? undefined : this.byId.get(parent);
  }

  /** The tactic for a kill-chain phase name (`execution`). */
  tactic(shortname: string): AttackTactic | undefined {
    return this.tacticsByShortname.get(shortname);
  }

  /** Every technique, whatever its status, in id order. */
  techniques(): IterableIterator<AttackTechnique> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  /** Detection advice and data sources (from the older release that still carried them); read from disk on first use. */
  detection(id: TechniqueId): TechniqueDetection | undefined {
    if (this.detections === null) {
      this.detections = new Map();
      if (this.detectionPath !== null) {
        const parsed = detectionHeadSchema.parse(JSON.parse(readFileSync(this.detectionPath, 'utf8')));
        parsed.techniques.forEach((value, i) => {
          const entry = checkDetection(value, i);
          this.detections?.set(entry.id, entry);
        });
      }
    }
    return this.detections.get(id);
  }
}

let shipped: AttackCatalogue | null = null;

/** The catalogue shipped with CS Helper, parsed on first use (~124 KB) and kept. */
export function shippedAttackCatalogue(): AttackCatalogue {
  shipped ??= loadAttackCatalogue(ATTACK_CATALOGUE_PATH, ATTACK_DETECTION_PATH);
  return shipped;
}

export function loadAttackCatalogue(path: string, detectionPath: string | null): AttackCatalogue {
  const head = catalogueHeadSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  return new AttackCatalogue({ ...head, techniques: head.techniques.map((t, i) => checkTechnique(t, i)) }, detectionPath);
}
