// export.navigator: writes the run's ATT&CK mapping as a MITRE ATT&CK Navigator layer (format 4.5), one technique entry
// per tactic it sits in, scored by its detection count, so the layer opens as a heat map of what the data shows.
import { z } from 'zod';
import { Capability } from '../../model/capability.js';
import { ComponentType, Complexity } from '../../model/component-kind.js';
import { PlanError } from '../../model/errors/plan-error.js';
import { defineComponent } from '../component.js';
import { findAttackSummary, type AttackSummary } from '../integration/attack-summary.js';
import { outputTargetParams, outputPath, writeTextFile } from './output-file.js';

/** Layer format 4.5 needs a Navigator of at least 4.9.0; 5.1.0 is the version the spec's own example names. */
export const NAVIGATOR_VERSIONS = { layer: '4.5', navigator: '5.1.0' } as const;
/** White for no detections to red for the most: the Navigator's usual heat-map reading. */
const GRADIENT_COLORS = ['#ffffff', '#ff6666'];

export const navigatorParams = z.object({
  ...outputTargetParams,
  name: z.string().min(1).max(200).default('CS Helper detections').describe('The layer name the Navigator shows'),
  description: z.string().max(2000).optional().describe('The layer description the Navigator shows; left out: what the layer was made from and when'),
});

export interface NavigatorTechnique {
  readonly techniqueID: string;
  readonly tactic: string;
  readonly score: number;
  readonly comment: string;
  readonly enabled: boolean;
  readonly metadata: readonly { readonly name: string; readonly value: string }[];
  readonly links: readonly { readonly label: string; readonly url: string }[];
  /** On a parent technique whose sub-techniques were found: they show, expanded, when the layer opens. */
  readonly showSubtechniques?: boolean;
}

export const navigatorExport = defineComponent({
  id: 'export.navigator',
  version: '2',
  type: ComponentType.EXPORT,
  complexity: Complexity.SIMPLE,
  title: 'ATT&CK Navigator Layer',
  description: 'Writes the ATT&CK mapping of integration.attack as a MITRE ATT&CK Navigator layer (format 4.5, Enterprise): every mapped technique under each of its tactics, scored by its detection count, with the sources and confidence in its comment. Open it at https://mitre-attack.github.io/attack-navigator/.',
  capabilities: [Capability.navigatorLayer],
  consumes: ['summary'],
  produces: ['artefact'],
  order: 90,
  params: navigatorParams,
  estimateMs: () => 20,
  async run(context, inputs, params) {
    const summary = findAttackSummary(inputs.summaries);
    if (summary === null) {
      throw new PlanError('missing-input', 'export.navigator needs the ATT&CK mapping of an integration.attack step, and none ran before it', 'let the planner build the plan (ask for navigator_layer), or add integration.attack before export.navigator');
    }
    const layer = navigatorLayer(summary, params.name, params.description ?? defaultDescription(summary, context.run.plan.profile.problem));
    const path = outputPath(context.run.outputDir, params.file);
    const bytes = await writeTextFile(path, `${JSON.stringify(layer, null, 2)}\n`);
    context.log.dataOperation({ operation: 'write', target: path, bytes, detail: { techniques: summary.techniques.length } });
    return {
      files: [{ output: params.output, path, format: 'json', bytes, rows: layer.techniques.length }],
      rowsIn: summary.techniques.length,
      rowsOut: layer.techniques.length,
      message: `wrote ${path} (${summary.techniques.length} techniques, ${layer.techniques.length} technique-tactic cells)`,
    };
  },
});

/** The layer document; exported for tests and for callers that want the layer without a file. */
export function navigatorLayer(summary: AttackSummary, name: string, description: string): {
  name: string;
  versions: { attack: string; navigator: string; layer: string };
  domain: string;
  description: string;
  sorting: number;
  layout: Record<string, string | boolean>;
  hideDisabled: boolean;
  techniques: NavigatorTechnique[];
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: { label: string; color: string }[];
  metadata: { name: string; value: string }[];
} {
  const mapped: NavigatorTechnique[] = summary.techniques.flatMap((t) =>
    t.tactics.map((tactic) => ({
      techniqueID: t.id,
      tactic,
      score: t.detections,
      comment: `${t.detections} detection${t.detections === 1 ? '' : 's'} on ${t.rows} row${t.rows === 1 ? '' : 's'}; confidence up to ${t.confidence}; from ${t.sources.join(', ')}`,
      enabled: true,
      metadata: [
        { name: 'confidence', value: String(t.confidence) },
        { name: 'sources', value: t.sources.join(', ') },
      ],
      links: [techniqueLink(t.id)],
    })),
  );
  const techniques = withParents(mapped);
  // A parent scored with its sub-techniques' detections may hold more than any one technique.
  const most = Math.max(0, ...techniques.map((t) => t.score));
  return {
    name,
    // The layer names the major version only, as the Navigator's own layers do ("attack": "13").
    versions: { attack: summary.attack_version.split('.')[0] ?? summary.attack_version, navigator: NAVIGATOR_VERSIONS.navigator, layer: NAVIGATOR_VERSIONS.layer },
    domain: summary.domain,
    description,
    sorting: 3,
    layout: { layout: 'side', showID: true, showName: true, expandedSubtechniques: 'annotated' },
    hideDisabled: false,
    techniques,
    // maxValue must exceed minValue, even when nothing was detected.
    gradient: { colors: [...GRADIENT_COLORS], minValue: 0, maxValue: Math.max(1, most) },
    legendItems: [
      { label: 'few detections', color: GRADIENT_COLORS[0] ?? '#ffffff' },
      { label: `${Math.max(1, most)} detections`, color: GRADIENT_COLORS[1] ?? '#ff6666' },
    ],
    metadata: [
      { name: 'generated by', value: 'CS Helper export.navigator' },
      { name: 'rows mapped', value: String(summary.rows_mapped) },
      { name: 'ATT&CK', value: `Enterprise v${summary.attack_version}. © The MITRE Corporation; reproduced with its permission.` },
    ],
  };
}

function techniqueLink(id: string): { label: string; url: string } {
  return { label: `${id} on attack.mitre.org`, url: `https://attack.mitre.org/techniques/${id.replace('.', '/')}` };
}

/**
 * Sub-techniques under their parent: a parent found itself shows its found sub-techniques expanded; a parent not
 * found itself gets a cell per tactic scored with its sub-techniques' detections, so the matrix reads T1003 where
 * T1003.001 and T1003.002 were found (the Navigator otherwise shows the parent blank and its sub-techniques folded).
 */
function withParents(cells: readonly NavigatorTechnique[]): NavigatorTechnique[] {
  const byParent = new Map<string, NavigatorTechnique[]>();
  for (const cell of cells) {
    const dot = cell.techniqueID.indexOf('.');
    if (dot < 0) continue;
    const key = `${cell.techniqueID.slice(0, dot)}\n${cell.tactic}`;
    byParent.set(key, [...(byParent.get(key) ?? []), cell]);
  }
  const out = cells.map((cell) => (byParent.has(`${cell.techniqueID}\n${cell.tactic}`) ? { ...cell, showSubtechniques: true } : cell));
  for (const [key, subs] of byParent) {
    if (out.some((c) => `${c.techniqueID}\n${c.tactic}` === key)) continue;
    const [parent = '', tactic = ''] = key.split('\n');
    const score = subs.reduce((sum, s) => sum + s.score, 0);
    const listed = subs.map((s) => `${s.techniqueID} (${s.score})`).join(', ');
    out.push({
      techniqueID: parent,
      tactic,
      score,
      comment: `found through its sub-techniques: ${listed}`,
      enabled: true,
      metadata: [{ name: 'sub-techniques found', value: subs.map((s) => s.techniqueID).join(', ') }],
      links: [techniqueLink(parent)],
      showSubtechniques: true,
    });
  }
  return out;
}

function defaultDescription(summary: AttackSummary, problem: string): string {
  return `${summary.techniques.length} techniques mapped from ${summary.rows_mapped} rows for: ${problem.slice(0, 500)}`;
}
