// The options that shape a plan, shared by `dynamic-workflow` (which plans and runs) and `explain` (which shows why it
// would plan so): one list, so that every plan dynamic-workflow can make, explain can explain.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { checkModelName } from '../../ml/model-store.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { parseConstraintsJson } from '../../planner/constraints.js';
import type { WorkflowRequest } from '../../planner/plan-workflow.js';

/** What `--input-files` reads: the kinds import.csv, import.json, import.excel and import.log recognise by content. */
export const INPUT_FILES_HELP =
  'the data files to work on: CSV/TSV, JSON (arrays, JSON Lines, concatenated), Windows event JSON (also from Winlogbeat), CloudTrail {"Records": [...]}, .xlsx, Zeek logs, Apache/Nginx and Amazon S3 access logs, Linux audit logs; also gzip-compressed or a ZIP archive of one file; files of different shapes, and worksheets of different shapes, are analysed as separate datasets';

export interface PlanningOptions {
  readonly inputFiles?: string[];
  readonly sheets?: string[];
  readonly outputs?: string[];
  readonly feeds?: string[];
  readonly rules?: string[];
  readonly schema?: string;
  readonly validationRules?: string;
  readonly model?: string;
  readonly constraints?: string;
}

/** Adds the planning options to a command, in the order its help lists them. */
export function addPlanningOptions(command: Command): Command {
  return command
    .requiredOption('-i, --input-files <files...>', INPUT_FILES_HELP)
    .option('--sheets <names...>', 'only these worksheets of the .xlsx input files (default: every worksheet with data; same-shaped ones are stacked)')
    .option('-o, --outputs <names...>', 'outputs to write: enriched_data, findings, violations, threat_report, compliance_report, ...; add .csv/.json/.jsonl/.md/.html to pick a format (default: chosen from the problem)')
    .option('--feeds <files...>', 'extra indicator feeds: one indicator per line, a CSV with a value column or with columns named after types (md5,sha1,sha256), abuse.ch CSV, MISP, STIX 2.1, OpenIOC')
    .option('--rules <paths...>', 'Sigma rule files or folders (.yml/.yaml; correlation rules and filters too) for the detection step (default: the shipped rules, SigmaHQ\'s and CS Helper\'s own, also when only filters are named)')
    .option('--schema <file>', 'validate every row against this JSON Schema or column-type spec (JSON or YAML; see docs/validation.md); add --outputs violations for the offending rows')
    .option('--validation-rules <file>', 'check every row against these business rules (YAML or JSON; see docs/validation.md); add --outputs violations for the offending rows')
    .option('--model <name>', 'ML classification: save the trained model under NAME in the state folder; on data without labels, load NAME and predict')
    .option('--constraints <json>', 'limits as JSON: {"time_budget_seconds": 60, "no_network": true, "max_rows": 100000}');
}

/** The part of a planner request the planning options give; files named by --schema and --validation-rules are checked first. */
export async function planningRequest(options: PlanningOptions): Promise<Omit<WorkflowRequest, 'problem'>> {
  return {
    inputFiles: options.inputFiles ?? [],
    outputs: options.outputs ?? [],
    feeds: options.feeds ?? [],
    ...(options.rules === undefined ? {} : { sigmaRules: options.rules }),
    ...(options.model === undefined ? {} : { model: checkModelName(options.model) }),
    ...(options.sheets === undefined ? {} : { sheets: options.sheets }),
    ...(options.constraints === undefined ? {} : { constraints: parseConstraintsJson(options.constraints) }),
    ...(await validationFiles(options)),
  };
}

/** --schema and --validation-rules, checked before planning: a missing file is one clear line, not a failed step later. */
async function validationFiles(options: PlanningOptions): Promise<{ schema?: string; validationRules?: string }> {
  const files: { schema?: string; validationRules?: string } = {};
  if (options.schema !== undefined) files.schema = await readableFile(options.schema, '--schema');
  if (options.validationRules !== undefined) files.validationRules = await readableFile(options.validationRules, '--validation-rules');
  return files;
}

async function readableFile(path: string, option: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
    await access(path, constants.R_OK);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new InputFileError(path, missing ? 'not-found' : 'unreadable', missing ? `the ${option} file does not exist` : `the ${option} file cannot be read`, {
      hint: missing ? `check the path given to ${option}; relative paths are read from the current directory` : 'check the file permissions',
    });
  }
  if (!info.isFile()) throw new InputFileError(path, 'unreadable', `the ${option} file is a ${info.isDirectory() ? 'folder' : 'special file'}, not a file`, { hint: `give ${option} one JSON or YAML file` });
  return path;
}
