// `cs-helper attack show ID [--json]`: one ATT&CK technique from the shipped catalogue, with its status and detection text.
import type { Command } from 'commander';
import { shippedAttackCatalogue } from '../../intel/attack/attack-catalogue.js';
import { techniqueReport, type TechniqueReport } from '../../intel/attack/technique-report.js';
import { UnknownTechniqueError } from '../../intel/attack/unknown-technique-error.js';
import { UsageError } from '../../model/errors/usage-error.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { examplesHelp } from './help-examples.js';

export function registerAttack(program: Command): void {
  const attack = program.command('attack').description(COMMAND_SUMMARIES.attack.description);
  attack
    .command('show')
    .description('Show a technique or sub-technique: name, tactics, parent, platforms, status, detection advice.')
    .argument('<id>', 'technique id, e.g. T1059 or T1059.001 (any case)')
    .option('--json', 'print JSON')
    .addHelpText('after', examplesHelp(['attack show T1059.001', 'attack show t1110 --json          # any case']))
    .action((id: string, options: { json?: boolean }) => {
      const report = reportOrUsageError(id);
      process.stdout.write(options.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
    });
}

/**
 * A malformed id (`xyz`) is a mistake on the command line, exit 2 like a malformed session, run or job id; a
 * well-formed id that is not in the catalogue (`T9999`) stays an error of the lookup, exit 1.
 */
function reportOrUsageError(id: string): TechniqueReport {
  try {
    return techniqueReport(shippedAttackCatalogue(), id);
  } catch (error) {
    if (error instanceof UnknownTechniqueError && error.code === 'attack-id-malformed') throw new UsageError(error.message, error.hint);
    throw error;
  }
}

function formatReport(report: TechniqueReport): string {
  const lines = [`${report.id}  ${report.name}`];
  lines.push(`status:       ${statusText(report)}`);
  if (report.parent !== null) lines.push(`parent:       ${report.parent.id} ${report.parent.name}`);
  lines.push(`tactics:      ${report.tactics.map((t) => `${t.name} (${t.id})`).join(', ') || '-'}`);
  lines.push(`platforms:    ${report.platforms.join(', ') || '-'}`);
  lines.push(`data sources: ${report.data_sources.join('; ') || '-'}`);
  lines.push(`url:          ${report.url}`);
  lines.push('', `detection (ATT&CK v${report.detection_version}):`, report.detection === '' ? '  none recorded' : indent(report.detection));
  lines.push('', `ATT&CK Enterprise v${report.attack_version}. © The MITRE Corporation; reproduced with its permission.`);
  return `${lines.join('\n')}\n`;
}

function statusText(report: TechniqueReport): string {
  if (report.status === 'active') return 'active';
  if (report.replaced_by.length === 0) return `${report.status} (no replacement recorded)`;
  const basis = report.replacement_basis === 'same-name' ? 'the active technique of the same name' : 'named in the deprecation note';
  return `${report.status}, use ${report.replaced_by.map((r) => `${r.id} ${r.name}`).join(', ')} (${basis})`;
}

function indent(text: string): string {
  return text.split('\n').map((line) => (line === '' ? '' : `  ${line}`)).join('\n');
}
