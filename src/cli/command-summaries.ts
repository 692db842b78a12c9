// Each command's line in the overview (`cs-helper --help`): its usage term and what it does. The command modules take
// their descriptions from here, and the overview is printed from here without importing them (each brings the
// planner, the engine or the MCP SDK: ~0.6 s of loading for a page of text). A test checks that this overview is the
// one commander prints with every command registered.

export interface CommandSummary {
  /** As commander writes it in the overview: name, `[options]` when the command has any, then its arguments. */
  readonly term: string;
  readonly description: string;
}

export const COMMAND_SUMMARIES = {
  'dynamic-workflow': { term: 'dynamic-workflow [options] <problem>', description: 'Plan a workflow for a problem stated in plain words, then run it (--execute) or save it (--export).' },
  run: { term: 'run [options] <plan>', description: 'Run a plan saved with `dynamic-workflow --export`, exactly as it was planned.' },
  batch: { term: 'batch [options] <file>', description: 'Run many workflows from a JSON Lines file, a few at a time, and print a summary table.' },
  explain: { term: 'explain [options] <problem>', description: 'Show why the planner would choose each component for a problem: intents, alternatives with scores, conditions, adaptations. Runs nothing.' },
  resume: { term: 'resume [options] <run-id>', description: 'Continue a run that failed, was cancelled or was interrupted: finished steps are reused from the result cache, the rest runs.' },
  templates: { term: 'templates', description: 'Plans saved by name with `dynamic-workflow ... --save-template NAME`.' },
  components: { term: 'components', description: 'Inspect the component library.' },
  sessions: { term: 'sessions', description: 'Read the session logs: list the sessions, show one, or statistics across them.' },
  attack: { term: 'attack', description: 'Look up MITRE ATT&CK Enterprise techniques in the shipped catalogue.' },
  detect: { term: 'detect [options] [files...]', description: 'Run Sigma detection rules over event files (Windows event JSON, CloudTrail, JSON Lines, CSV, web server and S3 access logs, Zeek logs, Linux audit logs; also in a .gz or .zip) and print the detections.' },
  feeds: { term: 'feeds', description: 'Threat-intelligence feeds kept in the state folder and matched by intel.ioc-match.' },
  metrics: { term: 'metrics [options]', description: 'What runs have measured (from $CS_HELPER_HOME): plan generation time, pattern and result cache hit rates, success rate, estimate error and usage per component.' },
  mcp: { term: 'mcp [options]', description: 'Serve every component and the workflow tools to MCP clients: over stdio (default), or Streamable HTTP on 127.0.0.1 with --http.' },
  worker: { term: 'worker [options]', description: 'Take workflow jobs from a Redis queue (BullMQ) and run them; start one on every machine that should work.' },
  jobs: { term: 'jobs', description: 'Read and steer the workflow jobs of a Redis queue: status, list, cancel.' },
  interactive: { term: 'interactive [options]', description: 'Ask what to do, propose a workflow, run it when you say so, and offer what next (the default with no command).' },
} as const satisfies Readonly<Record<string, CommandSummary>>;

export type CommandName = keyof typeof COMMAND_SUMMARIES;
