// Everything `attack show` prints about one technique, as plain data: the catalogue entry, its parent, its status with
// the replacement, its tactics by name and its detection text.
import type { AttackCatalogue, AttackTechnique, TechniqueStatus } from './attack-catalogue.js';
import { normaliseTechniqueId } from './technique-id.js';
import { UnknownTechniqueError } from './unknown-technique-error.js';

export interface TechniqueReport {
  readonly id: string;
  readonly name: string;
  readonly status: TechniqueStatus;
  /** Active techniques that replace a revoked or deprecated one, with how that is known. */
  readonly replaced_by: readonly { readonly id: string; readonly name: string }[];
  readonly replacement_basis: string | null;
  readonly parent: { readonly id: string; readonly name: string } | null;
  readonly tactics: readonly { readonly id: string; readonly name: string; readonly shortname: string }[];
  readonly platforms: readonly string[];
  readonly detection: string;
  readonly data_sources: readonly string[];
  readonly url: string;
  readonly attack_version: string;
  readonly detection_version: string;
}

/** The report for an id in any case; throws UnknownTechniqueError for an id that is malformed or not in the catalogue. */
export function techniqueReport(catalogue: AttackCatalogue, rawId: string): TechniqueReport {
  const id = normaliseTechniqueId(rawId);
  if (id === null) throw new UnknownTechniqueError(rawId.slice(0, 80), 'malformed', catalogue.attackVersion);
  const technique = catalogue.technique(id);
  if (technique === undefined) throw new UnknownTechniqueError(id, 'unknown', catalogue.attackVersion);
  const parent = catalogue.parentOf(technique);
  const detection = catalogue.detection(technique.id);
  return {
    id: technique.id,
    name: technique.name,
    status: technique.status,
    replaced_by: (technique.replaced_by ?? []).map((r) => ({ id: r, name: catalogue.technique(r)?.name ?? '' })),
    replacement_basis: technique.replacement_basis ?? null,
    parent: parent === undefined ? null : { id: parent.id, name: parent.name },
    tactics: technique.tactics.map((shortname) => {
      const tactic = catalogue.tactic(shortname);
      return { id: tactic?.id ?? '', name: tactic?.name ?? shortname, shortname };
    }),
    platforms: technique.platforms,
    detection: detection?.detection ?? '',
    data_sources: detection?.data_sources ?? [],
    url: techniqueUrl(technique),
    attack_version: catalogue.attackVersion,
    detection_version: catalogue.detectionVersion,
  };
}

/** `T1059.001` -> https://attack.mitre.org/techniques/T1059/001 (the site's own form). */
export function techniqueUrl(technique: AttackTechnique): string {
  return `https://attack.mitre.org/techniques/${technique.id.replace('.', '/')}`;
}
