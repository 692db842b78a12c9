// Resources a client can read: session logs (`session://<id>`: the compiled document, or the live stream's events for
// a session still running) and saved templates (`template://<name>`: the plan JSON, ready for execute_workflow).
// and ATT&CK techniques (`attack://T1059.001`: the shipped Enterprise catalogue's entry with tactics and detection).
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { shippedAttackCatalogue } from '../intel/attack/attack-catalogue.js';
import { techniqueReport } from '../intel/attack/technique-report.js';
import { NoSuchSessionError } from '../model/errors/no-such-session-error.js';
import { UsageError } from '../model/errors/usage-error.js';
import { listSessionFiles, readCompiledSession, readSessionEvents, SESSION_ID_PATTERN } from '../session/session-files.js';
import { TEMPLATE_NAME } from '../state/templates.js';
import type { McpDeps } from './mcp-deps.js';

/** Sessions listed: the newest, enough to find one's own. */
const LISTED_SESSIONS = 50;
/** A resource is read into memory to be sent: session documents beyond this are not something to send a model. */
const MAX_RESOURCE_BYTES = 16 * 1024 * 1024;

export function registerResources(server: McpServer, deps: McpDeps): void {
  server.registerResource(
    'session-log',
    new ResourceTemplate('session://{id}', {
      list: async () => {
        const groups = (await listSessionFiles(deps.logDir)).slice(-LISTED_SESSIONS).reverse();
        return { resources: groups.map((g) => ({ uri: `session://${g.sessionId}`, name: `${g.sessionName}_${g.sessionId}`, mimeType: 'application/json', description: `session started ${new Date(g.startTimeMs).toISOString()}` })) };
      },
    }),
    { title: 'Session log', description: 'A CS Helper session log: the compiled document (metadata, workflow executions, tool calls, decisions, data operations, errors) or, while it runs, its events', mimeType: 'application/json' },
    async (uri, variables) => {
      const id = String(variables['id']);
      if (!SESSION_ID_PATTERN.test(id)) throw new UsageError(`'${id.slice(0, 80)}' is not a session id`, 'session ids are UUIDv7, as listed by resources/list or get_session_summary');
      const group = (await listSessionFiles(deps.logDir)).find((g) => g.sessionId === id);
      if (group === undefined) throw new NoSuchSessionError(id, [], deps.logDir);
      const text =
        group.compiled !== null
          ? JSON.stringify(await readCompiledSession(group.compiled.path, { maxBytes: MAX_RESOURCE_BYTES }))
          : JSON.stringify({ session_id: id, live: true, events: (await readSessionEvents(group.stream?.path ?? '', { maxBytes: MAX_RESOURCE_BYTES })).events });
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text }] };
    },
  );

  server.registerResource(
    'template',
    new ResourceTemplate('template://{name}', {
      list: () => ({ resources: deps.state.templates.list().map((t) => ({ uri: `template://${t.name}`, name: t.name, mimeType: 'application/json', description: t.problem })) }),
    }),
    { title: 'Saved plan template', description: 'A plan saved by name (generate_workflow save_template, or the CLI --save-template): pass it to execute_workflow as `plan`, or its name as `template`', mimeType: 'application/json' },
    (uri, variables) => {
      const name = String(variables['name']);
      if (!TEMPLATE_NAME.test(name)) throw new UsageError(`'${name.slice(0, 80)}' is not a template name`, 'template names are letters, digits, _ . -');
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: deps.state.templates.get(name).planJson }] };
    },
  );

  server.registerResource(
    'attack-technique',
    // Not listed: the catalogue holds hundreds of techniques, and a client asks for the one a finding names.
    new ResourceTemplate('attack://{id}', { list: undefined }),
    { title: 'ATT&CK technique', description: 'A MITRE ATT&CK Enterprise technique by id (attack://T1059.001): name, status and replacement, parent, tactics, platforms, detection advice and data sources', mimeType: 'application/json' },
    (uri, variables) => {
      const report = techniqueReport(shippedAttackCatalogue(), String(variables['id']));
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(report) }] };
    },
  );
}
