// Reads Sigma rule files and folders the user names, with bounds (file size, file count, YAML aliases, depth), and
// compiles each rule. A rule that cannot be read or compiled becomes a reported problem; the others still load.
import { open, readdir, stat } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import pLimit from 'p-limit';
import { parseAllDocuments } from 'yaml';
import { InputFileError } from '../../model/errors/input-file-error.js';
import { deepFreeze } from '../../data/deep-freeze.js';
import { fileIdentity } from '../../data/file-identity.js';
import { compileRule, type CompiledRule, type RuleHeader } from './compile-rule.js';
import { compileCorrelation, type CompiledCorrelation } from './correlation.js';
import { compileFilter, type CompiledFilter } from './filter-rule.js';
import { SigmaRuleError } from './sigma-rule-error.js';
import { sigmaRuleSchema } from './sigma-rule.js';

export const RULE_LIMITS = {
  /** A rule file larger than this is refused unread. */
  maxFileBytes: 256 * 1024,
  /** Rule files read from all the named paths together. */
  maxFiles: 20_000,
  /** YAML alias expansions per file: stops "billion laughs" documents (the yaml package counts them). */
  maxAliasCount: 64,
  /** Nesting of the parsed document. */
  maxDepth: 32,
  /** Folder levels walked below a named folder. */
  maxFolderDepth: 16,
  /** YAML documents in one file (a rule collection: rules and the correlations over them). */
  maxDocuments: 64,
} as const;

/** Rule files read at the same time. */
const READ_CONCURRENCY = 16;

export interface RuleProblem {
  readonly source: string;
  readonly ruleId: string | null;
  readonly title: string | null;
  readonly code: string;
  readonly detail: string;
}

export interface LoadedRules {
  readonly rules: readonly CompiledRule[];
  readonly correlations: readonly CompiledCorrelation[];
  /** Sigma filters: tuning that takes events out of the rules they name (sigma/filter-rule.ts). */
  readonly filters: readonly CompiledFilter[];
  readonly problems: readonly RuleProblem[];
  readonly files: number;
}

/** What one rule file holds: a rule, or a collection of rules, correlations and filters (YAML documents separated by ---). */
export interface RuleFileContent {
  readonly rules: readonly CompiledRule[];
  readonly correlations: readonly CompiledCorrelation[];
  readonly filters: readonly CompiledFilter[];
  readonly problems: readonly RuleProblem[];
}

/** Loads every `.yml`/`.yaml` file of the paths (files or folders, walked in sorted order for stable results). */
export async function loadSigmaRules(paths: readonly { absolute: string; display: string }[]): Promise<LoadedRules> {
  const files: { absolute: string; display: string }[] = [];
  for (const path of paths) await collect(path.absolute, path.display, files, 0, path.display);
  const rules: CompiledRule[] = [];
  const correlations: CompiledCorrelation[] = [];
  const filters: CompiledFilter[] = [];
  const problems: RuleProblem[] = [];
  const seen = new Set<string>();
  // Read several files at once: on a shared disk each open waits far longer than the parse takes.
  const limit = pLimit(READ_CONCURRENCY);
  const results = await Promise.all(files.map((file) => limit(() => loadRuleFile(file.absolute, file.display))));
  /** False, with the problem noted, for a second rule of an id already loaded. */
  const first = (item: Pick<RuleHeader, 'id' | 'title' | 'source'>): boolean => {
    if (item.id !== '' && seen.has(item.id)) {
      problems.push({ source: item.source, ruleId: item.id, title: item.title, code: 'sigma-rule-duplicate', detail: `rule id ${item.id} was already loaded; this copy is skipped` });
      return false;
    }
    seen.add(item.id);
    return true;
  };
  for (const result of results) {
    problems.push(...result.problems);
    rules.push(...result.rules.filter(first));
    correlations.push(...result.correlations.filter(first));
    filters.push(...result.filters.filter(first));
  }
  return { rules, correlations, filters, problems, files: files.length };
}

async function collect(absolute: string, display: string, into: { absolute: string; display: string }[], depth: number, root: string): Promise<void> {
  let info;
  try {
    info = await stat(absolute);
  } catch (error) {
    throw new InputFileError(display, 'not-found', 'no such rule file or folder', { cause: error });
  }
  if (info.isFile()) {
    if (into.length >= RULE_LIMITS.maxFiles) throw new InputFileError(root, 'too-large', `more than ${RULE_LIMITS.maxFiles} rule files`, { hint: 'name a smaller folder of rules' });
    into.push({ absolute, display });
    return;
  }
  if (!info.isDirectory() || depth > RULE_LIMITS.maxFolderDepth) return;
  const entries = await readdir(absolute, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Symbolic links are not followed: a rules folder cannot lead the walk outside itself.
    if (entry.isSymbolicLink()) continue;
    const child = join(absolute, entry.name);
    const childDisplay = join(display, relative(absolute, child));
    if (entry.isDirectory()) await collect(child, childDisplay, into, depth + 1, root);
    else if (entry.isFile() && ['.yml', '.yaml'].includes(extname(entry.name).toLowerCase())) {
      if (into.length >= RULE_LIMITS.maxFiles) throw new InputFileError(root, 'too-large', `more than ${RULE_LIMITS.maxFiles} rule files`, { hint: 'name a smaller folder of rules' });
      into.push({ absolute: child, display: childDisplay });
    }
  }
}

/**
 * Rule files already compiled in this process, by path and name, with the file's identity when it was read: a
 * long-lived process (the MCP server, a batch, a worker) runs the same rules again and again, and reading and
 * compiling the 304 shipped files costs ~0.3 s each time. A file whose size, times or inode changed is read again.
 * What is kept is frozen: every run shares it.
 */
const compiled = new Map<string, { readonly identity: string; readonly result: RuleFileContent }>();

/** Reads and compiles one rule file (kept while it is unchanged); every failure is a problem naming the file. */
export async function loadRuleFile(absolute: string, display: string): Promise<RuleFileContent> {
  const problem = (code: string, detail: string): RuleFileContent => ({ rules: [], correlations: [], filters: [], problems: [{ source: display, ruleId: null, title: null, code, detail }] });
  const key = `${absolute}\0${display}`;
  let text: string;
  let identity: string;
  try {
    // A stat, not an open, tells a file already compiled: 27-36 ms for the 304 shipped files, 90 ms with an open each.
    const known = compiled.get(key);
    if (known !== undefined && known.identity === fileIdentity(await stat(absolute))) return known.result;
    const handle = await open(absolute, 'r');
    try {
      const info = await handle.stat();
      if (info.size > RULE_LIMITS.maxFileBytes) return problem('sigma-rule-too-large', `${info.size} bytes (at most ${RULE_LIMITS.maxFileBytes})`);
      identity = fileIdentity(info);
      text = await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    return problem('sigma-rule-unreadable', error instanceof Error ? error.message : String(error));
  }
  const result = deepFreeze(parseRuleFile(text, display));
  if (compiled.size >= RULE_LIMITS.maxFiles) compiled.clear();
  compiled.set(key, { identity, result });
  return result;
}

/**
 * Reads and compiles one rule file: one rule, or a collection of rules and correlation rules (YAML documents separated
 * by `---`). Every failure is a problem naming the file (and the rule), never a thrown error. A document that does
 * not compile leaves the others of its collection loaded; a YAML syntax error anywhere refuses the whole file.
 */
export function parseRuleFile(text: string, display: string): RuleFileContent {
  const problemOnly = (code: string, detail: string): RuleFileContent => ({ rules: [], correlations: [], filters: [], problems: [{ source: display, ruleId: null, title: null, code, detail }] });
  if (text.length > RULE_LIMITS.maxFileBytes) return problemOnly('sigma-rule-too-large', `${text.length} characters (at most ${RULE_LIMITS.maxFileBytes})`);
  let values: unknown[];
  try {
    const documents = parseAllDocuments(text, { uniqueKeys: true });
    if (!Array.isArray(documents)) return problemOnly('sigma-rule-invalid', 'not a YAML document');
    if (documents.length > RULE_LIMITS.maxDocuments) return problemOnly('sigma-rule-too-large', `${documents.length} YAML documents (at most ${RULE_LIMITS.maxDocuments})`);
    values = [];
    for (const document of documents) {
      const error = document.errors[0];
      if (error !== undefined) return problemOnly('sigma-rule-invalid', `YAML: ${error.message.split('\n')[0] ?? ''}`);
      values.push(document.toJS({ maxAliasCount: RULE_LIMITS.maxAliasCount }));
    }
  } catch (error) {
    return problemOnly('sigma-rule-invalid', `YAML: ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`);
  }
  // An empty document (a file that is only comments, a trailing ---) holds no rule.
  values = values.filter((v) => v !== null && v !== undefined);
  if (values.length === 0) return problemOnly('sigma-rule-invalid', 'empty file');
  const content = { rules: [] as CompiledRule[], correlations: [] as CompiledCorrelation[], filters: [] as CompiledFilter[], problems: [] as RuleProblem[] };
  for (const value of values) {
    const read = parseRuleDocument(value, display);
    if ('rule' in read) content.rules.push(read.rule);
    else if ('correlation' in read) content.correlations.push(read.correlation);
    else if ('filter' in read) content.filters.push(read.filter);
    else content.problems.push(read.problem);
  }
  return content;
}

/** One rule file holding one detection rule, or the problem with it: what most callers and tests need. */
export function parseRuleText(text: string, display: string): { rule: CompiledRule } | { problem: RuleProblem } {
  const content = parseRuleFile(text, display);
  const problem = content.problems[0];
  if (problem !== undefined) return { problem };
  const rule = content.rules[0];
  if (rule === undefined || content.rules.length + content.correlations.length + content.filters.length > 1) return { problem: { source: display, ruleId: null, title: null, code: 'sigma-rule-invalid', detail: 'expected one detection rule' } };
  return { rule };
}

function parseRuleDocument(value: unknown, display: string): { rule: CompiledRule } | { correlation: CompiledCorrelation } | { filter: CompiledFilter } | { problem: RuleProblem } {
  const problem = (code: string, detail: string, ruleId: string | null = null, title: string | null = null): { problem: RuleProblem } => ({ problem: { source: display, ruleId, title, code, detail } });
  const shapeProblem = checkShape(value, 0);
  if (shapeProblem !== null) return problem('sigma-rule-invalid', shapeProblem);
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const id = typeof record['id'] === 'string' ? record['id'] : null;
  const title = typeof record['title'] === 'string' ? record['title'] : null;
  try {
    if ('correlation' in record) return { correlation: compileCorrelation(value, display) };
    if ('action' in record) return problem('sigma-rule-unsupported', `collection action '${String(record['action'])}' (Sigma 1 global and repeat documents)`, id, title);
    if ('filter' in record && !('detection' in record)) {
      const filter = compileFilter(value, display);
      return 'invalid' in filter ? problem('sigma-rule-invalid', filter.invalid, id, title) : { filter };
    }
    const parsed = sigmaRuleSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return problem('sigma-rule-invalid', issue === undefined ? 'not a Sigma rule' : `${issue.path.join('.') || 'rule'}: ${issue.message}`, id, title);
    }
    return { rule: compileRule(parsed.data, display) };
  } catch (error) {
    if (error instanceof SigmaRuleError) return problem(error.code, error.message, id, title);
    throw error;
  }
}

/** Depth bound, and no key that could reach an object's prototype once copied. */
function checkShape(value: unknown, depth: number): string | null {
  if (depth > RULE_LIMITS.maxDepth) return `nested more than ${RULE_LIMITS.maxDepth} levels`;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = checkShape(item, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') return `key '${key}' is not allowed`;
      const found = checkShape(item, depth + 1);
      if (found !== null) return found;
    }
  }
  return null;
}
