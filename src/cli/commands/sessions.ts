// `cs-helper sessions list | show <id> | stats`: reads the session logs back. These commands only read: they open no
// session of their own (a log of reading the logs would pollute what it reads) and never create the log folder.
import { basename } from 'node:path';
import type { Command } from 'commander';
import { NoSuchSessionError } from '../../model/errors/no-such-session-error.js';
import { UsageError } from '../../model/errors/usage-error.js';
import { loadSession, loadSessions, type LoadedSession, type LoadProblem } from '../../session/load-sessions.js';
import { listSessionFiles, parseSessionFileName } from '../../session/session-files.js';
import { sessionStats } from '../../session/session-stats.js';
import { createPrinter, type Printer } from '../output-stream.js';
import { printSession, printStats } from '../print-session.js';
import { printSessionList } from '../print-session-list.js';
import { resolveLogDir, type GlobalOptions } from '../session-options.js';
import { COMMAND_SUMMARIES } from '../command-summaries.js';
import { examplesHelp } from './help-examples.js';

interface JsonOption {
  readonly json?: boolean;
}

interface ListOptions extends JsonOption {
  readonly limit?: string;
}

export function registerSessions(program: Command): void {
  const sessions = program
    .command('sessions')
    .description(COMMAND_SUMMARIES.sessions.description)
    .addHelpText('after', '\nThe log folder is --log-dir, else $CS_HELPER_LOG_DIR, else ./session-logs.');

  sessions
    .command('list')
    .description('List the sessions, newest first: id, name, start, duration, status, steps and errors.')
    .option('--json', 'print JSON on stdout')
    .option('--limit <n>', 'show only the newest n sessions')
    .addHelpText('after', examplesHelp(['sessions list', 'sessions list --limit 10', 'sessions list --json --log-dir ~/cases/session-logs']))
    .action(async (options: ListOptions, command: Command) => {
      const limit = parseLimit(options.limit);
      const logDir = resolveLogDir(command.optsWithGlobals<GlobalOptions>());
      const out = createPrinter(options.json === true);
      const { sessions: loaded, problems } = await loadSessions(logDir);
      reportProblems(problems, out);
      const newest = loaded.reverse().slice(0, limit);
      if (options.json === true) {
        out.json(newest.map(listRow));
        return;
      }
      printSessionList(newest, logDir, out);
    });

  sessions
    .command('show')
    .description('Show one session: metadata, interactions, each run with its steps, decisions, data operations, errors.')
    .argument('<id>', 'the session id, a unique prefix of it, or the log file name')
    .option('--json', 'print the compiled session document')
    .addHelpText(
      'after',
      examplesHelp(['sessions show 01a219e6-56            # a unique start of the id is enough', 'sessions show 01a219e6-56 --json', 'sessions show session_20260302_081500_01a219e6-56f0-7c3e-9d2a-4b1c0e8f7a61.json   # a log file name works too']),
    )
    .action(async (query: string, options: JsonOption, command: Command) => {
      const logDir = resolveLogDir(command.optsWithGlobals<GlobalOptions>());
      const loaded = await findSession(logDir, query);
      const out = createPrinter(options.json === true);
      if (options.json === true) out.json(loaded.document);
      else printSession(loaded, out);
    });

  sessions
    .command('stats')
    .description('Statistics across the sessions: success rate, errors, slowest components, estimates vs actual time, plan generation, pattern and result cache hits.')
    .option('--json', 'print JSON on stdout')
    .addHelpText('after', examplesHelp(['sessions stats', 'sessions stats --json', '--log-dir ~/cases/session-logs sessions stats']))
    .action(async (options: JsonOption, command: Command) => {
      const logDir = resolveLogDir(command.optsWithGlobals<GlobalOptions>());
      const out = createPrinter(options.json === true);
      const { sessions: loaded, problems } = await loadSessions(logDir);
      reportProblems(problems, out);
      const stats = sessionStats(loaded.map((s) => s.document));
      if (options.json === true) out.json(stats);
      else printStats(stats, out);
    });
}

/** The stable --json form of a list row: snake_case keys for scripts. */
function listRow(loaded: LoadedSession): Record<string, unknown> {
  const { document, group } = loaded;
  const meta = document.session_metadata;
  const metrics = document.performance_metrics;
  return {
    session_id: meta.session_id,
    session_name: meta.session_name,
    status: meta.status,
    start_time: meta.start_time,
    end_time: meta.end_time,
    duration_ms: meta.duration_ms,
    steps: metrics.total_workflow_steps,
    errors: metrics.total_errors,
    tool_calls: metrics.total_tool_calls,
    runs: metrics.runs,
    source: loaded.source,
    files: group.files.map((f) => f.path),
  };
}

async function findSession(logDir: string, query: string): Promise<LoadedSession> {
  // A pasted log file name (from a run summary) works as well as the id.
  const prefix = (parseSessionFileName(basename(query))?.sessionId ?? query).trim().toLowerCase();
  if (!/^[0-9a-f-]+$/.test(prefix)) throw new UsageError(`'${query}' is not a session id`, 'session ids look like 01a219d3-856b-7508-822d-1edce2253f60; run `cs-helper sessions list`');
  const groups = (await listSessionFiles(logDir)).filter((g) => g.sessionId.startsWith(prefix));
  const [group] = groups;
  if (group === undefined || groups.length > 1) throw new NoSuchSessionError(query, groups.map((g) => g.sessionId), logDir);
  return loadSession(group);
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`--limit must be a whole number of 1 or more, not '${text}'`, 'e.g. --limit 20');
  return value;
}

/** Unreadable sessions are named on stderr; the others are still listed. */
function reportProblems(problems: readonly LoadProblem[], out: Printer): void {
  for (const problem of problems) out.note(`warning: session ${problem.sessionId} cannot be read: ${problem.message}`);
}
