// A temporary root for the MCP tests: the fixture data inside, a secret file beside it (outside the root), and a link
// inside the root that points at that secret, to check that confinement sees through links.
import { copyFile, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..');
export const FIXTURES = join(REPO, 'test', 'fixtures', 'mcp');
/** Data rows of events.csv (the header not counted). */
export const EVENT_ROWS = 300;

export interface McpTestRoot {
  /** The folder outside the root: holds the root, the secret and the session logs. */
  readonly outer: string;
  readonly root: string;
  readonly secret: string;
  readonly logDir: string;
}

export async function makeRoot(): Promise<McpTestRoot> {
  const outer = await mkdtemp(join(tmpdir(), 'cs-helper-mcp-'));
  const root = join(outer, 'root');
  await mkdir(root);
  await copyFile(join(FIXTURES, 'events.csv'), join(root, 'events.csv'));
  const secret = join(outer, 'secret.csv');
  await writeFile(secret, 'user,password\nadmin,hunter2\n');
  await symlink(secret, join(root, 'linked.csv'));
  return { outer, root, secret, logDir: join(outer, 'logs') };
}
