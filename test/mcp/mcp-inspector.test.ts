// The MCP Inspector's command-line client (@modelcontextprotocol/inspector, --cli mode) against the built server over
// stdio: a second, independent client implementation listing the tools and calling one.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_ROWS, makeRoot, REPO, type McpTestRoot } from './mcp-root.js';
import { CLI_PATH } from '../helpers/run-cli.js';

const run = promisify(execFile);
const cli = CLI_PATH;
const inspector = join(REPO, 'node_modules', '.bin', 'mcp-inspector');
let where: McpTestRoot;

async function inspect(args: readonly string[]): Promise<unknown> {
  const { stdout } = await run(inspector, ['--cli', process.execPath, cli, '--log-dir', where.logDir, 'mcp', '--root', where.root, ...args], { cwd: where.root, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error('dist/bundle/cs-helper.js is missing: run `npm run build` before the MCP tests');
  where = await makeRoot();
});

afterAll(async () => {
  await rm(where.outer, { recursive: true, force: true });
});

describe('MCP Inspector CLI against cs-helper mcp', () => {
  it('lists the tools', async () => {
    const listed = (await inspect(['--method', 'tools/list'])) as { tools: { name: string }[] };
    expect(listed.tools.map((t) => t.name)).toEqual(expect.arrayContaining(['import.csv', 'export.csv', 'generate_workflow', 'execute_workflow']));
  });

  it('calls import.csv and gets the exact row count back', async () => {
    const result = (await inspect(['--method', 'tools/call', '--tool-name', 'import.csv', '--tool-arg', 'paths=["events.csv"]'])) as { structuredContent: { dataset: { row_count: number } } };
    expect(result.structuredContent.dataset.row_count).toBe(EVENT_ROWS);
  });

  it('gets a tool error for a path outside the root', async () => {
    const result = (await inspect(['--method', 'tools/call', '--tool-name', 'import.csv', '--tool-arg', 'paths=["../secret.csv"]'])) as { isError?: boolean; _meta?: { code?: string }; content?: { text: string }[] };
    expect(result.isError).toBe(true);
    expect(result._meta?.code).toBe('path-outside-roots');
    expect(result.content?.[0]?.text).toMatch(/^error: \.\.\/secret\.csv: is outside the folders this server may read and write\nhint: /);
  });
});
