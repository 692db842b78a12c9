// `cs-helper detect [--rules PATH...] [--min-level L] [--json] FILE...`: imports event files with the import
// components, runs Sigma rules over each in the engine, and prints the detections with rule, level, ATT&CK
// techniques, source file and record number. Rules that cannot run are listed on stderr, never dropped silently.
import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ComponentContext, RunInfo } from '../../components/component.js';
import type { ComponentRegistry } from '../../components/registry.js';
import { plainText } from '../../data/plain-value.js';
import type { SqlSession } from '../../data/sql-session.js';
import { quoteIdent } from '../../data/sql-text.js';
import { shippedAttackCatalogue } from '../../intel/attack/attack-catalogue.js';
import { Workspace } from '../../data/workspace.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { UsageError } from '../../model/errors/usage-error.js';
import type { StepLog } from '../../model/step-log.js';
import type { DatasetHandle } from '../../model/dataset.js';
import type { WorkflowPlan } from '../../model/workflow-plan.js';
import { planWorkflow } from '../../planner/plan-workflow.js';
import { runSigma } from '../../intel/sigma/run-sigma.js';
import { LEVELS, type SigmaLevel } from '../../intel/sigma/sigma-rule.js';
import type { RuleProblem } from '../../intel/sigma/load-rules.js';
import { createPrinter } from '../output-stream.js';
import type { RegistryLoader } from '../registry-loader.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';

interface DetectOptions {
  readonly rules?: string[];
  readonly minLevel: string;
  readonly json?: boolean;
}

interface Detection {
  readonly rule_id: string;
  readonly title: string;
  readonly level: string;
  readonly attack_techniques: string[];
  readonly tags: string[];
  readonly file: string;
  /** The record's position in its file, from 1. */
  readonly row: number;
}

const IMPORTERS: Readonly<Record<string, string>> = { '.json': 'import.json', '.jsonl': 'import.json', '.ndjson': 'import.json', '.csv': 'import.csv', '.tsv': 'import.csv' };

const RULE_EXTENSIONS: ReadonlySet<string> = new Set(['.yml', '.yaml']);

const QUIET: StepLog = { info() {}, warn() {}, dataOperation() {}, decision() {} };

export function registerDetect(program: Command, loadRegistry: RegistryLoader): void {
  program
    .command('detect')
    .description(COMMAND_SUMMARIES.detect.description)
    // Optional to commander, required here: after --rules, the event files join the rules' list (commander's variadic
    // option), and are taken back from it by their extension (splitRulePaths).
    .argument('[files...]', 'event files: JSON/JSON Lines (Windows event JSON, also from Winlogbeat, is flattened to the field names rules use; CloudTrail\'s {"Records": [...]} is read record by record), CSV/TSV, web server access logs (read through the W3C names webserver rules use), Zeek logs, Linux audit logs, or a .zip or .gz holding one (the OTRF recordings as they ship)')
    .option('-r, --rules <paths...>', 'Sigma rule files or folders (.yml/.yaml; correlation rules, filters and rule collections too); default: the shipped rules (rules/sigma, SigmaHQ\'s, and rules/cs-helper, CS Helper\'s own), also when only filters are named')
    .option('--min-level <level>', `only rules of this level or higher: ${LEVELS.join(', ')}`, 'informational')
    .option('--json', 'print the detections and rule problems as JSON on stdout')
    .addHelpText(
      'after',
      `
Examples:
  $ cs-helper detect security-events.json sysmon.jsonl
  $ cs-helper detect --min-level high --json recording.zip
  $ cs-helper detect --rules my-rules/ events.jsonl
  $ cs-helper detect --rules mf_admin_accounts.yml -- events.jsonl

--rules takes several paths: rule files (.yml/.yaml) and folders; the event files after them are told apart by
their extension, or put after --. A rule file may hold several YAML documents: detection rules, correlation rules
over them (event_count, value_count, value_sum, value_avg, value_percentile, temporal, temporal_ordered, chains of
them) and Sigma filters. Naming only filters keeps the shipped rules and tunes them: the events a filter matches are
taken out of the rules it names. Rules that cannot run are named on stderr, with why; the others still run. When
none of the rules named can run, the exit code is 1.`,
    )
    .action(async (named: string[], parsed: DetectOptions) => {
      if (!(LEVELS as readonly string[]).includes(parsed.minLevel)) throw new UsageError(`--min-level '${parsed.minLevel}' is not a Sigma level`, `use one of ${LEVELS.join(', ')}`);
      const { rules, events } = splitRulePaths(parsed.rules ?? []);
      const files = [...events, ...named];
      const options: DetectOptions = { ...parsed, ...(parsed.rules === undefined ? {} : { rules }) };
      if (files.length === 0) throw new UsageError('no event file named', 'name the event files to run the rules over, e.g. cs-helper detect events.jsonl');
      for (const file of files) {
        // A rule file among the event files is a slip of the command line: read as text it would be a table of nothing.
        if (RULE_EXTENSIONS.has(extname(file).toLowerCase())) throw new InputFileError(file, 'unsupported', 'a Sigma rule file where event files were expected', { hint: 'name rule files and folders after --rules: cs-helper detect --rules RULES.yml EVENTS.jsonl' });
      }
      const out = createPrinter(options.json === true);
      const registry = await loadRegistry();
      const baseDir = process.cwd();
      const workspace = await Workspace.open();
      try {
        const plan = await planWorkflow({ problem: 'Run Sigma detection rules on event data', inputFiles: files, outputs: [], baseDir }, registry);
        const run: RunInfo = { runId: 'detect', sessionId: null, baseDir, outputDir: baseDir, plan, node: 'detect', startedAt: performance.now(), completedSteps: () => [] };
        const detections: Detection[] = [];
        const problems = new Map<string, RuleProblem>();
        const notes = new Map<string, RuleProblem>();
        let rulesApplied = 0;
        let rulesLoaded = 0;
        let filtersApplied = 0;
        for (const file of files) {
          const sql = await workspace.session();
          try {
            const events = await importFile(registry, workspace, sql, run, file, importerOf(plan, file));
            const result = await runSigma(
              sql,
              { table: events.table, rowId: events.rowId, columns: events.columns.map((c) => ({ name: c.name, sqlType: c.sqlType })) },
              { rules: (options.rules ?? []).map((p) => ({ absolute: resolve(baseDir, p), display: p })), minLevel: options.minLevel as SigmaLevel, tableName: (prefix) => workspace.tableName(prefix), signal: new AbortController().signal },
            );
            rulesLoaded = result.rulesLoaded;
            filtersApplied = result.filtersApplied;
            rulesApplied = Math.max(rulesApplied, result.match.applied);
            for (const p of result.problems) problems.set(`${p.source}\u0000${p.code}\u0000${p.detail}`, p);
            for (const n of result.correlationNotes) notes.set(`${n.source}\u0000${n.ruleId ?? ''}`, n);
            const rows = await sql.all(`SELECT row_id, rule_id, title, level, tags, attack_techniques FROM ${quoteIdent(result.detections)} ORDER BY row_id, rule_id`);
            for (const r of rows) {
              detections.push({
                rule_id: plainText(r['rule_id']),
                title: plainText(r['title']),
                level: plainText(r['level']),
                attack_techniques: Array.isArray(r['attack_techniques']) ? r['attack_techniques'].map(String) : [],
                tags: Array.isArray(r['tags']) ? r['tags'].map(String) : [],
                file,
                row: Number(r['row_id']) + 1,
              });
            }
          } finally {
            sql.close();
          }
        }
        const problemList = [...problems.values()].map((p) => ({ file: p.source, rule_id: p.ruleId, title: p.title, code: p.code, detail: p.detail }));
        // Rules were named and none of them could run: the events were not searched, which a script must not read as
        // a clean result (a rule that ran and found nothing is one).
        if ((options.rules ?? []).length > 0 && rulesLoaded === 0) process.exitCode = 1;
        // Technique ids from rule tags that the shipped catalogue does not know (a rule newer than ATT&CK v18.1, a
        // typo): reported, since `attack show` and the Navigator layer will not find them.
        const catalogue = shippedAttackCatalogue();
        const unknownTechniques = [...new Set(detections.flatMap((d) => d.attack_techniques))].filter((id) => catalogue.technique(id) === undefined).sort();
        if (options.json === true) {
          const correlationNotes = [...notes.values()].map((n) => ({ file: n.source, rule_id: n.ruleId, title: n.title, code: n.code, detail: n.detail }));
          out.json({ files, rules_loaded: rulesLoaded, rules_applied: rulesApplied, filters_applied: filtersApplied, detections, rule_problems: problemList, correlation_notes: correlationNotes, unknown_techniques: unknownTechniques });
          return;
        }
        for (const d of detections) out.text(`${d.level.padEnd(13)} ${d.rule_id}  ${d.title}  [${d.attack_techniques.join(', ')}]  ${d.file}:${String(d.row)}`);
        for (const p of problemList) out.note(`warning: ${p.file}${p.rule_id === null ? '' : ` (${p.rule_id})`}: ${p.detail}`);
        for (const n of notes.values()) out.note(`note: ${n.source}${n.ruleId === null ? '' : ` (${n.ruleId})`}: ${n.detail}`);
        if (unknownTechniques.length > 0) out.note(`note: ${unknownTechniques.join(', ')}: tagged by the rules but not in the shipped ATT&CK catalogue (v${catalogue.attackVersion})`);
        const filtered = filtersApplied === 0 ? '' : `, ${String(filtersApplied)} filtered by a Sigma filter`;
        out.text(`${String(detections.length)} detections in ${String(files.length)} file(s); ${String(rulesLoaded)} rules loaded${filtered}, ${String(problemList.length)} could not run`);
        if (process.exitCode === 1) out.note('error: none of the rules named could run, so no event was searched; the warnings above say why');
      } finally {
        await workspace.close();
      }
    });
}

/**
 * The importer of a file: by its extension, else the one the planner chose from the file's content (an access log or
 * a Zeek log, whatever its name; the file inside a .zip or .gz).
 */
function importerOf(plan: WorkflowPlan, file: string): string {
  const byExtension = IMPORTERS[extname(file).toLowerCase()];
  if (byExtension !== undefined) return byExtension;
  const node = plan.nodes.find((n) => n.component.startsWith('import.') && Array.isArray(n.params['paths']) && n.params['paths'].includes(file));
  return node?.component ?? 'import.json';
}

async function importFile(registry: ComponentRegistry, workspace: Workspace, sql: SqlSession, run: RunInfo, file: string, importer: string): Promise<DatasetHandle> {
  const component = registry.get(importer);
  const signal = new AbortController().signal;
  const context: ComponentContext = {
    sql,
    tableName: (prefix) => workspace.tableName(prefix),
    describe: (table, sources) => workspace.handle(sql, table, sources, signal),
    signal,
    log: QUIET,
    progress() {},
    run,
  };
  const output = await component.run(context, { datasets: [], findings: [], summaries: [] }, component.params.parse({ paths: [file] }));
  if (output.dataset === undefined) throw new UsageError(`${file}: the import produced no rows`);
  return output.dataset;
}

/**
 * The paths after --rules: folders and rule files (.yml/.yaml) are rules; any other file is an event file that
 * followed them, as in `detect --rules r.yml events.jsonl` (commander's variadic option takes every path up to the
 * next option or --). A path that does not exist is a rule when it has no extension (a folder to be reported
 * missing by the rule loader); an existing file without one (a Zeek `conn` log) is an event file.
 */
function splitRulePaths(paths: readonly string[]): { rules: string[]; events: string[] } {
  const isRule = (path: string): boolean => {
    const found = statSync(path, { throwIfNoEntry: false });
    if (found?.isDirectory() === true) return true;
    const extension = extname(path).toLowerCase();
    return RULE_EXTENSIONS.has(extension) || (found === undefined && extension === '');
  };
  return { rules: paths.filter(isRule), events: paths.filter((path) => !isRule(path)) };
}
