// Interactive mode through piped stdin, on the built binary: a full turn on the bundled example, the commands, a missing
// file asked again, outputs edited, 'n' running nothing, the end of input ending cleanly, and every turn in the session.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledSessionSchema, type CompiledSession } from '../../src/session/compiled-session.js';
import { CLI, Conversation, HAS_SCRIPT, pipeAnswers, ROOT, type Finished } from '../helpers/cli-conversation.js';

const PROBLEM = 'Analyze this CSV for security threats and export enriched data';
const EXAMPLE = join(ROOT, 'examples', 'threat_data.csv');
const FIRST_PROMPT = "What would you like to do? (or type 'help' for options): ";
const CONFIRM_PROMPT = "Execute this workflow? (y/n, or 'e' to edit the outputs): ";

let work: string;

/** This file's own state folder: results cached by other test files must not change what these runs measure. */
const stateEnv = (): Record<string, string> => ({ CS_HELPER_HOME: join(work, 'state') });

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error('dist/bundle/cs-helper.js is missing: `npm test` builds it before the tests run');
  work = await mkdtemp(join(tmpdir(), 'cs-helper-interactive-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** The one compiled session document of a log folder, checked against the schema like any document read back. */
async function sessionDocument(logDir: string): Promise<CompiledSession> {
  const files = (await readdir(logDir)).filter((f) => f.endsWith('.json'));
  expect(files).toHaveLength(1);
  return compiledSessionSchema.parse(JSON.parse(await readFile(join(logDir, files[0] ?? ''), 'utf8')));
}

function questions(document: CompiledSession): { text: string; inputType: unknown }[] {
  return document.agent_interactions.flatMap((i) => (i.type === 'question' ? [{ text: i.question, inputType: i.metadata['input_type'] }] : []));
}

function answers(document: CompiledSession): { text: string; responseType: unknown }[] {
  return document.agent_interactions.flatMap((i) => (i.type === 'answer' ? [{ text: i.answer, responseType: i.metadata['input_type'] }] : []));
}

function expectNoStackTrace(result: Finished): void {
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stdout).not.toMatch(/^\s+at /m);
}

describe('a full turn with every answer piped at once', () => {
  const out = (): string => join(work, 'full', 'out');
  const logs = (): string => join(work, 'full', 'logs');
  let result: Finished;
  let document: CompiledSession;

  beforeAll(async () => {
    result = await pipeAnswers(
      ['interactive', '--output-dir', out(), '--log-dir', logs()],
      ['help', 'components', PROBLEM, 'nope.csv', EXAMPLE, '', 'y', '3', 'q'],
      { cwd: work, env: stateEnv() },
    );
    document = await sessionDocument(logs());
  });

  it('ends with exit code 0 and says goodbye', () => {
    expect(result.code).toBe(0);
    expect(result.stdout.trimEnd().endsWith('Goodbye.')).toBe(true);
    expectNoStackTrace(result);
  });

  it('answers help and components at the first prompt, then asks again', () => {
    expect(result.stdout).toContain(`${FIRST_PROMPT}help\n`);
    expect(result.stdout).toContain('Commands, at any prompt:');
    expect(result.stdout).toContain('quit, exit  end the session (Ctrl-D does the same)');
    expect(result.stdout).toMatch(/intel\.ioc-match\s+│ ANALYSIS\s+│ COMPLEX/);
    expect(result.stdout).toMatch(/export\.report\s+│ EXPORT\s+│ SIMPLE/);
    expect(result.stdout.split(FIRST_PROMPT)).toHaveLength(4);
  });

  it('asks again for the files after a missing one, with an error and a hint', () => {
    expect(result.stdout).toContain('Input files (paths, separated by commas or spaces): nope.csv\nInput files (paths, separated by commas or spaces): ');
    expect(result.stderr).toContain('error: nope.csv: no such file\nhint: check the path; relative paths are read from the current directory\n');
  });

  it('proposes the plan: components with type and complexity, stages with their mode, confidence, estimate, outputs', () => {
    expect(result.stdout).toMatch(/Workflow plan: 7 components, 4 stages, confidence [01]\.\d\d, estimated \d+\.\d\d s/);
    expect(result.stdout).toMatch(/Stage 1 \(sequential\)\n\s+import\s+import\.csv\s+DATA_IMPORT\s+SIMPLE/);
    expect(result.stdout).toMatch(/Stage 2 \(parallel\)/);
    expect(result.stdout).toMatch(/ioc-match\s+intel\.ioc-match\s+ANALYSIS\s+COMPLEX/);
    // Paths are shown relative to the current folder (the test's work folder).
    expect(result.stdout).toContain(`Outputs: ${join('full', 'out', 'enriched_data.csv')}, ${join('full', 'out', 'threat_report.html')}\n`);
    expect(result.stdout).toContain(`${CONFIRM_PROMPT}y\n`);
  });

  it('runs it with progress and a summary, and writes the default outputs', async () => {
    expect(result.stderr).toMatch(/✔ \[7\/7\]/);
    expect(result.stdout).toMatch(/Run [0-9a-f-]+ completed in [\d.]+ m?s \(estimated/);
    expect(result.stdout).toContain('Rows: 10,000 in, 10,000 out');
    const csv = await readFile(join(out(), 'enriched_data.csv'), 'utf8');
    expect(csv.trimEnd().split('\n')).toHaveLength(10_001);
    expect(csv.split('\n')[0]).toContain('threat_level');
    expect(await readFile(join(out(), 'threat_report.html'), 'utf8')).toContain('<h2>Top findings</h2>');
    expect((await readdir(out())).sort()).toEqual(['enriched_data.csv', 'threat_report.html']);
  });

  it('offers follow-ups, and shows the report path when asked', () => {
    expect(result.stdout).toContain(`1  another problem on the same files (${EXAMPLE})`);
    expect(result.stdout).toContain(`Report: ${join('full', 'out', 'threat_report.html')}`);
    expect(result.stdout).toContain(`File:   ${join('full', 'out', 'enriched_data.csv')}  (10,000 rows,`);
  });

  it('logs every input as a question and every response as an answer, in context interactive_mode', () => {
    expect(document.session_metadata.status).toBe('completed');
    expect(new Set(document.agent_interactions.map((i) => i.context))).toEqual(new Set(['interactive_mode']));
    expect(questions(document)).toEqual([
      { text: 'help', inputType: 'menu_selection' },
      { text: 'components', inputType: 'menu_selection' },
      { text: PROBLEM, inputType: 'problem' },
      { text: 'nope.csv', inputType: 'file_list' },
      { text: EXAMPLE, inputType: 'file_list' },
      { text: '', inputType: 'outputs' },
      { text: 'y', inputType: 'confirmation' },
      { text: '3', inputType: 'menu_selection' },
      { text: 'q', inputType: 'menu_selection' },
    ]);
    expect(answers(document).map((a) => a.responseType)).toEqual(['welcome', 'help', 'components', 'error', 'files', 'plan', 'run_summary', 'results', 'goodbye']);
    expect(answers(document).at(-1)?.text).toBe('session ended (quit)');
    expect(answers(document).find((a) => a.responseType === 'run_summary')?.text).toMatch(/^run completed in \d+ ms; 2 files written$/);
  });

  it('holds the run as one trace with its steps, the planner decisions, and the user mistake as an error', () => {
    expect(document.performance_metrics.runs).toEqual({ started: 1, completed: 1, failed: 0, cancelled: 0 });
    expect(document.performance_metrics.total_tool_calls).toBe(7);
    // Planned with the state folder's memory, as dynamic-workflow plans: the pattern cache was consulted.
    expect(document.decision_points.map((d) => d.decision)).toEqual(expect.arrayContaining(['workflow-plan', 'pattern-cache']));
    expect(document.errors.map((e) => [e.type, e.code])).toEqual([['interactive-input', 'input-file-not-found']]);
  });
});

describe('answers given one at a time as the prompts appear', () => {
  const out = (): string => join(work, 'stepwise', 'out');
  const logs = (): string => join(work, 'stepwise', 'logs');
  let result: Finished;
  let document: CompiledSession;

  beforeAll(async () => {
    const talk = new Conversation(['interactive', '--output-dir', out(), '--log-dir', logs()], { cwd: work, env: stateEnv() });
    await talk.waitFor(FIRST_PROMPT);
    talk.send(PROBLEM);
    await talk.waitFor('Input files (paths, separated by commas or spaces): ');
    talk.send(`"${EXAMPLE}"`);
    await talk.waitFor('Enter for the default chosen from the problem): ');
    talk.send('bogus_output');
    await talk.waitFor('Enter for the default chosen from the problem): ');
    talk.send('findings.json, threat_report');
    await talk.waitFor(CONFIRM_PROMPT);
    talk.send('maybe');
    await talk.waitFor(CONFIRM_PROMPT);
    talk.send('e');
    await talk.waitFor('Outputs (Enter keeps findings.json, threat_report.html): ');
    talk.send('enriched_data.json');
    await talk.waitFor(CONFIRM_PROMPT);
    talk.send('n');
    await talk.waitFor('Choose 1-4 or q, or type a new problem: ');
    talk.send('exit');
    result = await talk.finished();
    document = await sessionDocument(logs());
  });

  it('refuses an unknown output with the planner\'s error and hint, and asks again', () => {
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("error: output 'bogus_output' is not one CS Helper knows how to produce\nhint: data outputs: enriched_data");
    expect(result.stderr).toContain("error: 'maybe' is not y, n or e");
    expectNoStackTrace(result);
  });

  it('re-plans after the outputs are edited, and runs nothing on n', () => {
    expect(result.stdout).toContain(`Outputs: ${join('stepwise', 'out', 'findings.json')}, ${join('stepwise', 'out', 'threat_report.html')}`);
    expect(result.stdout).toContain(`Outputs: ${join('stepwise', 'out', 'enriched_data.json')}\n`);
    expect(result.stdout).toContain(`${CONFIRM_PROMPT}n\nNothing was run.`);
    expect(existsSync(out())).toBe(false);
    expect(document.performance_metrics.runs.started).toBe(0);
    expect(document.tool_calls).toEqual([]);
  });

  it('logs the turns in order, with the refusals as errors', () => {
    expect(questions(document).map((q) => q.inputType)).toEqual(['problem', 'file_list', 'outputs', 'outputs', 'confirmation', 'confirmation', 'outputs', 'confirmation', 'menu_selection']);
    expect(answers(document).map((a) => a.responseType)).toEqual(['welcome', 'files', 'error', 'plan', 'error', 'plan', 'not_run', 'goodbye']);
    expect(document.errors.map((e) => e.code)).toEqual(['unknown-output', 'unclear-answer']);
    // Two plans were proposed, each with its own planner decisions.
    expect(document.workflow_executions.filter((e) => e.status === 'planned')).toHaveLength(2);
  });
});

describe('the end of input', () => {
  it('ends the session cleanly in the middle of a question', async () => {
    const logs = join(work, 'eof', 'logs');
    const result = await pipeAnswers(['interactive', '--log-dir', logs], [PROBLEM], { cwd: work, env: stateEnv() });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Input files (paths, separated by commas or spaces): \nGoodbye.\n');
    expect(result.stderr).toMatch(/^Session log: .*\.json\n$/);
    const document = await sessionDocument(logs);
    expect(document.session_metadata.status).toBe('completed');
    expect(answers(document).at(-1)).toEqual({ text: 'session ended (end of input)', responseType: 'goodbye' });
  });
});

describe('an output folder that is a file', () => {
  it('is refused before the first question, naming it, with no stack trace', async () => {
    const file = join(work, 'not-a-folder');
    await writeFile(file, 'x');
    const result = await pipeAnswers(['interactive', '--output-dir', file, '--log-dir', join(work, 'file-out', 'logs')], [PROBLEM], { cwd: work, env: stateEnv() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: --output-dir ${file}: ${file} is a file, not a folder`);
    expect(result.stdout).not.toContain('Input files');
    expectNoStackTrace(result);
  });
});

describe.skipIf(!HAS_SCRIPT)('in a terminal (a pseudo-terminal)', () => {
  it('echoes what is typed, answers help, and ends the session cleanly on Ctrl-C at a prompt', async () => {
    const logs = join(work, 'tty', 'logs');
    const talk = new Conversation(['interactive', '--log-dir', logs], { cwd: work, env: stateEnv(), terminal: true });
    await talk.waitFor(FIRST_PROMPT);
    talk.type('help\r');
    await talk.waitFor('Commands, at any prompt:');
    await talk.waitFor(FIRST_PROMPT);
    talk.type('\x03');
    const result = await talk.finished();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('help');
    expect(result.stdout).toContain('Goodbye.');
    expectNoStackTrace(result);
    const document = await sessionDocument(logs);
    expect(document.session_metadata.status).toBe('completed');
    expect(questions(document)).toEqual([{ text: 'help', inputType: 'menu_selection' }]);
    expect(answers(document).at(-1)).toEqual({ text: 'session ended (Ctrl-C)', responseType: 'goodbye' });
  });
});

describe('cs-helper with no arguments', () => {
  it('starts interactive mode, and `sessions` lists the session in progress', async () => {
    const logs = join(work, 'bare', 'logs');
    const talk = new Conversation([], { cwd: work, env: { ...stateEnv(), CS_HELPER_LOG_DIR: logs } });
    await talk.waitFor(FIRST_PROMPT);
    talk.send('sessions');
    await talk.waitFor(FIRST_PROMPT);
    talk.end();
    const result = await talk.finished();
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ [0-9a-f-]{36} │ session_\d{8}_\d{6}\s+│ [\d-]+ [\d:]+\s+│ [\d.]+ m?s\s+│ running\s+│ 0\s+│ 0\s+│/);
    const document = await sessionDocument(logs);
    expect(document.session_metadata.argv).toEqual([]);
    expect(questions(document)).toEqual([{ text: 'sessions', inputType: 'menu_selection' }]);
  });

  it('names a mistyped command instead of starting', async () => {
    const result = await pipeAnswers(['sesions'], [], { cwd: work, env: stateEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown command 'sesions'\nhint: run `cs-helper --help` for the commands, or `cs-helper` alone for interactive mode\n");
  });
});
