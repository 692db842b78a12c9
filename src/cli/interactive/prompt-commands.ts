// The commands that answer at any prompt without leaving it: `help`, `components`, `sessions`.
import { loadSessions } from '../../session/load-sessions.js';
import type { Printer } from '../output-stream.js';
import { printComponents } from '../print-components.js';
import { printSessionList } from '../print-session-list.js';
import type { RegistryLoader } from '../registry-loader.js';
import type { Dialogue } from './dialogue.js';
import { helpText } from './help-text.js';

/** How many sessions `sessions` lists, newest first (the one in progress among them). */
export const RECENT_SESSIONS = 10;

export interface PromptCommandContext {
  readonly dialogue: Dialogue;
  readonly out: Printer;
  readonly loadRegistry: RegistryLoader;
  readonly logDir: string;
}

export async function answerPromptCommand(command: 'help' | 'components' | 'sessions', context: PromptCommandContext): Promise<void> {
  const { dialogue, out } = context;
  switch (command) {
    case 'help':
      out.text(helpText());
      dialogue.answer('help shown', 'help');
      return;
    case 'components': {
      const registry = await context.loadRegistry();
      printComponents(registry, out);
      const ids = registry.list().map((c) => c.id);
      dialogue.answer(`${ids.length} components listed`, 'components', { components: ids });
      return;
    }
    case 'sessions': {
      const { sessions, problems } = await loadSessions(context.logDir);
      const recent = sessions.reverse().slice(0, RECENT_SESSIONS);
      printSessionList(recent, context.logDir, out);
      for (const problem of problems) out.note(`warning: session ${problem.sessionId} cannot be read: ${problem.message}`);
      dialogue.answer(`${recent.length} recent sessions listed`, 'sessions', { sessions: recent.map((s) => s.document.session_metadata.session_id) });
      return;
    }
  }
}
