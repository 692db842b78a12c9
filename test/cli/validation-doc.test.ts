// docs/validation.md cannot drift from the code: every YAML and JSON block in it is a complete rules file or schema,
// followed by the command that uses it and what that command printed. Each example is planned and run as the command
// line does (planWorkflow + executePlan on the files in examples/), and the step line and the violations file the doc
// shows must be the ones the run produces.
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { executePlan } from '../../src/engine/execute-plan.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

interface Fence {
  readonly lang: string;
  readonly body: string;
}

interface DocExample {
  /** The file the doc says to save the block as (named by the command that uses it). */
  readonly file: string;
  readonly lang: string;
  readonly body: string;
  readonly option: '--validation-rules' | '--schema';
  readonly problem: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** The console block: the command, the output lines shown, then the violations file as `cat` or `head -n N` shows it. */
  readonly console: string;
  readonly shownCsv: readonly string[];
  /** Lines `head -n N` shows; null for `cat` (the whole file). */
  readonly headLines: number | null;
}

const DOC_PATH = join(REPO_ROOT, 'docs', 'validation.md');

function fences(markdown: string): Fence[] {
  return [...markdown.matchAll(/^```(\S*)[^\n]*\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1] ?? '', body: m[2] ?? '' }));
}

/** Shell words of one command line: single and double quotes, backslash-newline continuations already joined. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3] ?? '');
  return words;
}

function docExamples(markdown: string): DocExample[] {
  const all = fences(markdown);
  const examples: DocExample[] = [];
  all.forEach((fence, index) => {
    if (fence.lang !== 'yaml' && fence.lang !== 'json') return;
    const next = all[index + 1];
    if (next?.lang !== 'console') throw new Error(`docs/validation.md: the ${fence.lang} block #${index + 1} is not followed by a console block showing its command and output`);
    const lines = next.body.split('\n');
    const start = lines.findIndex((l) => l.startsWith('$ cs-helper dynamic-workflow'));
    let command = '';
    for (let i = start; i >= 0 && i < lines.length; i += 1) {
      const line = (lines[i] ?? '').replace(/^\$ /, '');
      command += ` ${line.replace(/\\$/, '')}`;
      if (!line.endsWith('\\')) break;
    }
    const words = shellWords(command.trim());
    const valuesOf = (...flags: string[]): string[] => {
      const at = words.findIndex((w) => flags.includes(w));
      if (at < 0) return [];
      const values: string[] = [];
      for (let i = at + 1; i < words.length && !(words[i] ?? '').startsWith('-'); i += 1) values.push(words[i] ?? '');
      return values;
    };
    const option = words.includes('--validation-rules') ? '--validation-rules' : '--schema';
    const [file] = valuesOf(option);
    const show = lines.findIndex((l) => /^\$ (cat|head -n \d+) output\/violations\.csv$/.test(l));
    const shownCsv = lines.slice(show + 1).filter((l) => l !== '' && !l.startsWith('$'));
    const head = /head -n (\d+)/.exec(lines[show] ?? '')?.[1];
    examples.push({
      file: file ?? '',
      lang: fence.lang,
      body: fence.body,
      option,
      problem: words[2] ?? '',
      inputs: valuesOf('-i', '--input-files'),
      outputs: valuesOf('-o', '--outputs'),
      console: next.body,
      shownCsv: show < 0 ? [] : shownCsv,
      headLines: head === undefined ? null : Number(head),
    });
  });
  return examples;
}

const examples = docExamples(readFileSync(DOC_PATH, 'utf8'));
const registry = createBuiltInRegistry();
let work: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cs-helper-validation-doc-'));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('docs/validation.md', () => {
  it('holds a complete, runnable example of a rules file, a column-type spec and a JSON Schema', () => {
    const kinds = examples.map((e) => (e.option === '--validation-rules' ? 'rules' : /"\$schema"|"properties"/.test(e.body) ? 'json-schema' : 'column-spec'));
    expect(kinds).toEqual(expect.arrayContaining(['rules', 'column-spec', 'json-schema']));
    for (const example of examples) {
      // The block's language is the file's: a .json file is read with JSON.parse, any other with the YAML parser.
      expect(example.lang === 'json' ? extname(example.file) === '.json' : ['.yaml', '.yml'].includes(extname(example.file))).toBe(true);
      expect(example.inputs.length).toBeGreaterThan(0);
      expect(example.outputs).toContain('violations');
      expect(example.shownCsv.length).toBeGreaterThan(1);
    }
  });

  it.each(examples.map((e) => [e.file, e] as const))('%s runs as its command shows, with the step line and the violations the doc prints', async (_name, example) => {
    const dir = await mkdtemp(join(work, 'example-'));
    await writeFile(join(dir, example.file), example.body, 'utf8');
    const plan = await planWorkflow(
      {
        problem: example.problem,
        // As the command is run: from the folder that holds examples/.
        inputFiles: example.inputs.map((i) => resolve(REPO_ROOT, i)),
        outputs: example.outputs,
        ...(example.option === '--validation-rules' ? { validationRules: example.file } : { schema: example.file }),
        baseDir: dir,
        outputDir: 'output',
      },
      registry,
    );
    const result = await executePlan(plan, { registry });
    expect(result.status).toBe('completed');
    const step = result.steps.find((s) => s.component === (example.option === '--validation-rules' ? 'validation.rules' : 'validation.schema'));
    expect(step?.status).toBe('completed');
    // The summary line the doc shows after the step's time.
    expect(example.console).toContain(`  ${step?.summary ?? '(no validation step)'}\n`);
    const written = (await readFile(join(dir, 'output', 'violations.csv'), 'utf8')).trimEnd().split('\n');
    expect(example.shownCsv).toEqual(example.headLines === null ? written : written.slice(0, example.headLines));
  });
});
