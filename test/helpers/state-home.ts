// Vitest setup file, run before each test file: the file (and every CLI it starts) gets its own temporary state folder,
// so no test touches ~/.cs-helper and no test file is served cached results that another one left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const home = mkdtempSync(join(tmpdir(), 'cs-helper-state-'));
process.env['CS_HELPER_HOME'] = home;

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});
