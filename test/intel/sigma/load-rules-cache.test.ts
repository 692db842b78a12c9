// A rule file compiled once is not read again in the same process until it changes: long-lived processes (the MCP
// server, batches, workers) run the same rules many times.
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuleFile, loadSigmaRules } from '../../../src/intel/sigma/load-rules.js';

const rule = (title: string): string => `title: ${title}
id: 6b1f5c2a-0000-4000-8000-000000000001
status: test
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    CommandLine|contains: whoami
  condition: selection
level: medium
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cs-helper-rules-cache-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('compiled rule files', () => {
  it('are kept, frozen, while the file is unchanged, and read again once it changes', async () => {
    const path = join(dir, 'whoami.yml');
    await writeFile(path, rule('Whoami run'));
    const first = await loadRuleFile(path, 'whoami.yml');
    const again = await loadRuleFile(path, 'whoami.yml');
    expect(again).toBe(first);
    expect(Object.isFrozen(first.rules[0]?.tags)).toBe(true);

    await writeFile(path, rule('Whoami run, edited'));
    // Same size would still differ by modification time; make the times differ for certain.
    await utimes(path, new Date(), new Date(Date.now() + 5_000));
    const edited = await loadRuleFile(path, 'whoami.yml');
    expect(edited).not.toBe(first);
    expect(edited.rules[0]?.title).toBe('Whoami run, edited');
  });

  it('are named as the caller named them: the same file under another name is its own entry', async () => {
    const path = join(dir, 'named.yml');
    await writeFile(path, rule('Named'));
    const loaded = await loadSigmaRules([{ absolute: path, display: 'first-name.yml' }]);
    const other = await loadSigmaRules([{ absolute: path, display: 'second-name.yml' }]);
    expect(loaded.rules[0]?.source).toBe('first-name.yml');
    expect(other.rules[0]?.source).toBe('second-name.yml');
  });
});
