// Commands run in process, as main.ts registers them, with output.stdout and output.stderr captured: `resume list --json` prints
// JSON, `attack show` tells a malformed id (a usage error, exit 2) from an unknown one (exit 1), and `explain` takes
// dynamic-workflow's planning options, --schema and --validation-rules included.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { COMMANDS } from '../../src/cli/command-modules.js';
import { openCliState } from '../../src/cli/open-state.js';
import { createProgram } from '../../src/cli/program.js';
import { lazyRegistry } from '../../src/cli/registry-loader.js';
import { CsHelperError } from '../../src/model/errors/cs-helper-error.js';
import { fixturePlan } from '../helpers/component-harness.js';
import { captureOutput, runInProcess } from '../helpers/in-process-cli.js';
import { rejectionOf } from '../helpers/rejection.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { VALIDATION_FIXTURES } from '../helpers/validation-fixtures.js';

const output = captureOutput();

/** Runs `cs-helper <args>` in process; main.ts maps a CsHelperError with code `usage` to exit 2, any other to exit 1. */
async function csHelper(...args: string[]): Promise<void> {
  await runInProcess(output, ['dynamic-workflow', 'explain', 'resume', 'attack'], args);
}

describe('cs-helper resume list --json', () => {
  it('prints the runs as JSON on output.stdout, and nothing else there', async () => {
    const state = await openCliState({ noCache: false });
    const plan = await fixturePlan();
    const failed = '01a20000-0000-7000-8000-000000000001';
    const resumed = '01a20000-0000-7000-8000-000000000002';
    try {
      state.journal.started(failed, plan, '/cases/out');
      state.journal.ended(failed, 'failed');
      state.journal.started(resumed, plan, '/cases/out', failed);
      state.journal.ended(resumed, 'completed');
    } finally {
      state.close();
    }
    await csHelper('resume', 'list', '--json');
    const runs = JSON.parse(output.stdout) as Record<string, unknown>[];
    expect(runs.map((r) => [r['run_id'], r['status'], r['resumed_from'], r['completed_by'], r['resumable']])).toEqual([
      [resumed, 'completed', failed, null, false],
      [failed, 'failed', null, resumed, false],
    ]);
    expect(runs[0]?.['output_dir']).toBe('/cases/out');
    expect(typeof runs[0]?.['started_at']).toBe('string');
    expect(typeof runs[0]?.['ended_at']).toBe('string');
    expect(output.stderr).toBe('');
  });
});

describe('cs-helper attack show', () => {
  it('refuses a malformed id as a usage error (exit 2), with the hint', async () => {
    const error = await rejectionOf(csHelper('attack', 'show', 'xyz'), CsHelperError);
    expect(error).toMatchObject({ code: 'usage', message: "'xyz' is not an ATT&CK technique id", hint: 'a technique id looks like T1059 or T1059.001' });
    expect(output.stdout).toBe('');
  });

  it('keeps a well-formed id that is not in the catalogue an error of the lookup (exit 1)', async () => {
    const error = await rejectionOf(csHelper('attack', 'show', 'T9999'), CsHelperError);
    expect(error.code).toBe('attack-id-unknown');
    expect(error.message).toMatch(/^technique T9999 is not in the ATT&CK Enterprise v[\d.]+ catalogue$/);
  });
});

describe('cs-helper explain', () => {
  it('explains a plan made with --schema, --validation-rules and --constraints', async () => {
    await csHelper(
      'explain',
      'Validate the firewall export',
      '-i',
      join(VALIDATION_FIXTURES, 'firewall-events.csv'),
      '--schema',
      join(VALIDATION_FIXTURES, 'firewall-columns.yaml'),
      '--validation-rules',
      join(VALIDATION_FIXTURES, 'firewall-rules.yaml'),
      '--constraints',
      '{"max_rows": 100000}',
      '--outputs',
      'violations',
      '--json',
    );
    const explanation = JSON.parse(output.stdout) as { steps: { component: string; why: string }[] };
    expect(explanation.steps.find((s) => s.component === 'validation.schema')?.why).toContain(`--schema ${join(VALIDATION_FIXTURES, 'firewall-columns.yaml')}`);
    expect(explanation.steps.find((s) => s.component === 'validation.rules')?.why).toContain(`--validation-rules ${join(VALIDATION_FIXTURES, 'firewall-rules.yaml')}`);
  });

  it('refuses a missing --schema file in one line, before planning, as dynamic-workflow does', async () => {
    const error = await rejectionOf(csHelper('explain', 'Validate it', '-i', join(REPO_ROOT, 'examples', 'threat_data.csv'), '--schema', 'no-such-schema.json'), CsHelperError);
    expect(error.message).toBe('no-such-schema.json: the --schema file does not exist');
  });

  it('has the planning options of dynamic-workflow, with the same flags and descriptions', async () => {
    const program = createProgram();
    for (const name of ['dynamic-workflow', 'explain']) {
      const load = COMMANDS.get(name);
      if (load !== undefined) (await load())(program, lazyRegistry());
    }
    const optionsOf = (name: string): Map<string, string> => new Map((program.commands.find((c: Command) => c.name() === name)?.options ?? []).map((o) => [o.flags, o.description]));
    const workflow = optionsOf('dynamic-workflow');
    const explain = optionsOf('explain');
    const planning = ['-i, --input-files <files...>', '--sheets <names...>', '-o, --outputs <names...>', '--feeds <files...>', '--rules <paths...>', '--schema <file>', '--validation-rules <file>', '--model <name>', '--constraints <json>'];
    for (const flags of planning) {
      expect(explain.get(flags)).toBeDefined();
      expect(explain.get(flags)).toBe(workflow.get(flags));
    }
    expect([...explain.keys()].filter((f) => !planning.includes(f))).toEqual(['--json']);
  });
});
