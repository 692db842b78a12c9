// The interactive dialogue: problem -> files -> outputs -> the proposed plan -> run it? -> progress and summary -> what
// next. Each step returns where to go next, so the loop is flat and every prompt handles the same commands.
import { uuidV7 } from '../../ids/uuid-v7.js';
import type { ComponentRegistry } from '../../components/registry.js';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { PlanError } from '../../model/errors/plan-error.js';
import type { RunResult } from '../../model/run-result.js';
import type { WorkflowPlan } from '../../model/workflow-plan.js';
import { planWithMemory, rememberPattern } from '../../planner/plan-with-memory.js';
import type { SessionLogger } from '../../session/session-logger.js';
import type { CliState } from '../open-state.js';
import type { Printer } from '../output-stream.js';
import { fromCacheNote, printPlan } from '../print-plan.js';
import type { RegistryLoader } from '../registry-loader.js';
import { runWithProgress } from '../run-with-progress.js';
import { commandOf, confirmationOf, splitList } from './answers.js';
import type { Dialogue, InputType } from './dialogue.js';
import { readFileAnswer } from './file-answer.js';
import { followUpMenu, printResults } from './follow-up.js';
import { WELCOME } from './help-text.js';
import type { LineReader } from './line-reader.js';
import { answerPromptCommand } from './prompt-commands.js';

export interface InteractiveModeOptions {
  /** Absolute folder the workflows write to. */
  readonly outputDir: string;
  readonly logDir: string;
  /** The state folder's caches and learned estimates, opened when the first plan is made. */
  readonly memory: () => Promise<CliState>;
}

/** Where the dialogue goes next. `null` outputs mean "ask"; an empty list means "the default chosen from the problem". */
type Next =
  | { readonly kind: 'menu' }
  | { readonly kind: 'quit' }
  | { readonly kind: 'follow-up' }
  | { readonly kind: 'problem'; readonly problem: string; readonly files: readonly string[] | null; readonly outputs: readonly string[] | null };

/** Where a command at a prompt sends the dialogue: `back` to the first question, `quit` (or the end of input) out. */
type Exit = { readonly kind: 'menu' } | { readonly kind: 'quit' };

/** A value the user gave, or an exit. */
type Got<T> = { readonly kind: 'got'; readonly value: T } | Exit;

const MENU = { kind: 'menu' } as const;
const QUIT = { kind: 'quit' } as const;

export class InteractiveMode {
  #lastFiles: readonly string[] | null = null;
  #lastProblem: string | null = null;
  #lastResult: RunResult | null = null;
  #runs = 0;
  #endReason: 'quit' | 'end of input' | 'Ctrl-C' = 'quit';

  constructor(
    private readonly dialogue: Dialogue,
    private readonly reader: LineReader,
    private readonly out: Printer,
    private readonly session: SessionLogger,
    private readonly loadRegistry: RegistryLoader,
    private readonly options: InteractiveModeOptions,
  ) {}

  async run(): Promise<void> {
    this.out.text(WELCOME);
    this.dialogue.answer(WELCOME, 'welcome', { output_dir: this.options.outputDir });
    let next: Next = MENU;
    while (next.kind !== 'quit') {
      try {
        next = await this.#step(next);
      } catch (error) {
        // Whatever went wrong, the dialogue goes on from the first question: a session never ends in a stack trace.
        this.dialogue.fail(error);
        next = MENU;
      }
    }
    const reason = this.#endReason;
    this.out.text('Goodbye.');
    this.dialogue.answer(`session ended (${reason})`, 'goodbye', { reason, runs: this.#runs });
  }

  async #step(next: Exclude<Next, { kind: 'quit' }>): Promise<Next> {
    switch (next.kind) {
      case 'menu':
        return this.#menu();
      case 'follow-up':
        return this.#followUp();
      case 'problem':
        return this.#workOn(next.problem, next.files, next.outputs);
    }
  }

  async #menu(): Promise<Next> {
    const answer = await this.#read('\nWhat would you like to do? (or type \'help\' for options): ', 'problem');
    if (answer.kind !== 'got') return answer;
    if (answer.value === '') return MENU;
    return { kind: 'problem', problem: answer.value, files: null, outputs: null };
  }

  async #workOn(problem: string, knownFiles: readonly string[] | null, knownOutputs: readonly string[] | null): Promise<Next> {
    let files = knownFiles;
    let outputs = knownOutputs;
    for (;;) {
      if (files === null) {
        const chosen = await this.#askFiles();
        if (chosen.kind !== 'got') return chosen;
        files = chosen.value;
      }
      if (outputs === null) {
        const chosen = await this.#askOutputs(null);
        if (chosen.kind !== 'got') return chosen;
        outputs = chosen.value;
      }
      const plan = await this.#plan(problem, files, outputs);
      if (plan === 'files') files = null;
      else if (plan === 'outputs') outputs = null;
      else {
        this.#lastFiles = files;
        this.#lastProblem = problem;
        const decision = await this.#confirm(plan);
        if (decision !== 'edit') return decision;
        const edited = await this.#askOutputs(plan);
        if (edited.kind !== 'got') return edited;
        outputs = edited.value;
      }
    }
  }

  async #askFiles(): Promise<Got<readonly string[]>> {
    const previous = this.#lastFiles;
    const prompt = previous === null ? 'Input files (paths, separated by commas or spaces): ' : `Input files (Enter for ${previous.join(', ')}): `;
    for (;;) {
      const answer = await this.#read(prompt, 'file_list');
      if (answer.kind !== 'got') return answer;
      if (answer.value === '' && previous !== null) return { kind: 'got', value: previous };
      const { files, errors } = await readFileAnswer(answer.value);
      if (errors.length === 0) {
        this.dialogue.answer(`input files: ${files.join(', ')}`, 'files', { files });
        return { kind: 'got', value: files };
      }
      for (const error of errors) this.dialogue.fail(error);
    }
  }

  /** Enter keeps the plan's outputs when editing, or lets the planner choose from the problem the first time. */
  async #askOutputs(current: WorkflowPlan | null): Promise<Got<readonly string[]>> {
    const shown = current?.outputs.map((o) => `${o.name}.${o.format}`) ?? null;
    const prompt = shown === null ? 'Outputs (names separated by commas or spaces; Enter for the default chosen from the problem): ' : `Outputs (Enter keeps ${shown.join(', ')}): `;
    const answer = await this.#read(prompt, 'outputs');
    if (answer.kind !== 'got') return answer;
    return { kind: 'got', value: answer.value === '' ? (shown ?? []) : splitList(answer.value) };
  }

  /** The plan, printed; or which answer to ask again when the planner refused one. */
  async #plan(problem: string, files: readonly string[], outputs: readonly string[]): Promise<WorkflowPlan | 'files' | 'outputs'> {
    const registry = await this.loadRegistry();
    const memory = await this.options.memory();
    try {
      const plan = await planWithMemory({ problem, inputFiles: files, outputs, outputDir: this.options.outputDir }, registry, memory.planMemory, { log: this.session.child({ span_id: uuidV7(), operation: 'plan' }) });
      this.out.text();
      printPlan(plan, this.out);
      const components = new Set(plan.nodes.map((n) => n.component)).size;
      this.dialogue.answer(`proposed plan ${plan.id}: ${components} components in ${plan.stages.length} stages, confidence ${plan.confidence.score.toFixed(2)}, estimated ${plan.estimated_seconds.toFixed(2)} s${fromCacheNote(plan)}`, 'plan', {
        plan_id: plan.id,
        components: plan.nodes.map((n) => n.component),
        stages: plan.stages.map((s) => s.mode),
        confidence: plan.confidence.score,
        estimated_seconds: plan.estimated_seconds,
        cached_steps: plan.cached_steps?.length ?? 0,
        outputs: plan.outputs.map((o) => `${o.name}.${o.format}`),
      });
      return plan;
    } catch (error) {
      if (error instanceof InputFileError) {
        this.dialogue.fail(error);
        return 'files';
      }
      if (error instanceof PlanError) {
        this.dialogue.fail(error);
        return 'outputs';
      }
      throw error;
    }
  }

  async #confirm(plan: WorkflowPlan): Promise<Next | 'edit'> {
    for (;;) {
      const answer = await this.#read('\nExecute this workflow? (y/n, or \'e\' to edit the outputs): ', 'confirmation');
      if (answer.kind !== 'got') return answer;
      const decision = confirmationOf(answer.value);
      if (decision === 'edit') return 'edit';
      if (decision === 'yes') {
        await this.#execute(plan, await this.loadRegistry());
        return { kind: 'follow-up' };
      }
      if (decision === 'no') {
        this.out.text('Nothing was run.');
        this.dialogue.answer(`plan ${plan.id} not run`, 'not_run', { plan_id: plan.id });
        return { kind: 'follow-up' };
      }
      this.dialogue.fail(new PlanError('unclear-answer', `'${answer.value}' is not y, n or e`, "answer y to run the workflow, n to leave it, e to change the outputs, or 'back'"));
    }
  }

  async #execute(plan: WorkflowPlan, registry: ComponentRegistry): Promise<void> {
    // In a terminal Ctrl-C reaches readline, not the process: it cancels the run here, and the dialogue goes on.
    const controller = new AbortController();
    this.reader.onInterrupt(() => {
      this.out.note('cancelling...');
      controller.abort();
    });
    try {
      const memory = await this.options.memory();
      const result = await runWithProgress(plan, registry, this.session, this.out, { json: false, signal: controller.signal, memory: memory.runMemory });
      rememberPattern(memory.patterns, plan, result.status);
      this.#lastResult = result;
      this.#runs += 1;
      this.dialogue.answer(`run ${result.status} in ${Math.round(result.durationMs)} ms; ${result.files.length} files written`, 'run_summary', {
        run_id: result.runId,
        plan_id: plan.id,
        status: result.status,
        rows_in: result.rowsIn,
        rows_out: result.rowsOut,
        files: result.files.map((f) => f.path),
        ...(result.error === undefined ? {} : { error: result.error.message }),
      });
    } finally {
      this.reader.onInterrupt(null);
    }
  }

  async #followUp(): Promise<Next> {
    const files = this.#lastFiles ?? [];
    this.out.text();
    this.out.text(followUpMenu(files));
    const answer = await this.#read('Choose 1-4 or q, or type a new problem: ', (text) => (/^[1-4]$/.test(text) ? 'menu_selection' : 'problem'));
    if (answer.kind !== 'got') return answer;
    switch (answer.value) {
      case '':
        return { kind: 'follow-up' };
      case '1': {
        const problem = await this.#read('Problem for the same files: ', 'problem');
        if (problem.kind !== 'got') return problem;
        return problem.value === '' ? { kind: 'follow-up' } : { kind: 'problem', problem: problem.value, files, outputs: null };
      }
      case '2': {
        const problem = this.#lastProblem;
        return problem === null ? MENU : { kind: 'problem', problem, files, outputs: null };
      }
      case '3':
        printResults(this.#lastResult, this.session.compiledPath, this.out);
        this.dialogue.answer(this.#lastResult === null ? 'nothing run yet' : `results of run ${this.#lastResult.runId}`, 'results', { files: this.#lastResult?.files.map((f) => f.path) ?? [], session_log: this.session.compiledPath });
        return { kind: 'follow-up' };
      case '4':
        this.#lastFiles = null;
        return MENU;
      default:
        // Anything else is a new problem; Enter at the files prompt keeps the same files.
        return { kind: 'problem', problem: answer.value, files: null, outputs: null };
    }
  }

  /** Asks; answers the commands that work at every prompt, and re-asks after `help`, `components` and `sessions`. */
  async #read(prompt: string, inputType: InputType | ((answer: string) => InputType)): Promise<Got<string>> {
    for (;;) {
      const text = await this.dialogue.ask(prompt, (answer) => (commandOf(answer) !== null ? 'menu_selection' : typeof inputType === 'string' ? inputType : inputType(answer)));
      if (text === null) {
        this.#endReason = this.reader.interrupted ? 'Ctrl-C' : 'end of input';
        return QUIT;
      }
      const command = commandOf(text);
      switch (command) {
        case null:
          return { kind: 'got', value: text };
        case 'quit':
          return QUIT;
        case 'back':
          return MENU;
        case 'help':
        case 'components':
        case 'sessions':
          await answerPromptCommand(command, { dialogue: this.dialogue, out: this.out, loadRegistry: this.loadRegistry, logDir: this.options.logDir });
          break;
      }
    }
  }
}
