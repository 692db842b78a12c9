// Each command's module, imported only when it runs (or for the full help), in the order `--help` lists them: main.ts
// registers from here, and so do the tests that check every command's help.
import type { Command } from 'commander';
import type { RegistryLoader } from './registry-loader.js';

export type Register = (program: Command, registry: RegistryLoader) => void;

export const COMMANDS: ReadonlyMap<string, () => Promise<Register>> = new Map<string, () => Promise<Register>>([
  ['dynamic-workflow', async () => (await import('./commands/dynamic-workflow.js')).registerDynamicWorkflow],
  ['run', async () => (await import('./commands/run-plan.js')).registerRunPlan],
  ['batch', async () => (await import('./commands/batch.js')).registerBatch],
  ['explain', async () => (await import('./commands/explain.js')).registerExplain],
  ['resume', async () => (await import('./commands/resume.js')).registerResume],
  ['templates', async () => (await import('./commands/templates.js')).registerTemplates],
  ['components', async () => (await import('./commands/components.js')).registerComponents],
  ['sessions', async () => (await import('./commands/sessions.js')).registerSessions],
  ['attack', async () => (await import('./commands/attack.js')).registerAttack],
  ['detect', async () => (await import('./commands/detect.js')).registerDetect],
  ['feeds', async () => (await import('./commands/feeds.js')).registerFeeds],
  ['metrics', async () => (await import('./commands/metrics.js')).registerMetrics],
  ['mcp', async () => (await import('./commands/mcp.js')).registerMcp],
  ['worker', async () => (await import('./commands/worker.js')).registerWorker],
  ['jobs', async () => (await import('./commands/jobs.js')).registerJobs],
  // The default command: `cs-helper` with no arguments starts the dialogue.
  ['interactive', async () => (await import('./commands/interactive.js')).registerInteractive],
]);

