import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Workspace, engineMemoryLimitMb, memoryCeilingMb } from '../../src/data/workspace.js';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

/** DuckDB's own report of its memory limit, as it prints it (e.g. '300.0 MiB' or '1.0 GiB'). */
async function memoryLimitOf(workspace: Workspace): Promise<string> {
  const sql = await workspace.session();
  try {
    const value = await sql.scalar("SELECT current_setting('memory_limit')");
    return typeof value === 'string' ? value : `not text: ${typeof value}`;
  } finally {
    sql.close();
  }
}

describe('engine memory limit', () => {
  it("keeps the plan's limit when CS_HELPER_MEMORY_LIMIT_MB is unset", () => {
    expect(memoryCeilingMb({})).toBeNull();
    expect(engineMemoryLimitMb(16_000, {})).toBe(16_000);
    expect(engineMemoryLimitMb(undefined, {})).toBeUndefined();
  });

  it('caps the limit at CS_HELPER_MEMORY_LIMIT_MB, ignoring values that are not a whole number of MiB >= 128', () => {
    expect(engineMemoryLimitMb(16_000, { CS_HELPER_MEMORY_LIMIT_MB: '1024' })).toBe(1024);
    expect(engineMemoryLimitMb(512, { CS_HELPER_MEMORY_LIMIT_MB: '1024' })).toBe(512);
    expect(engineMemoryLimitMb(undefined, { CS_HELPER_MEMORY_LIMIT_MB: '1024' })).toBe(1024);
    expect(memoryCeilingMb({ CS_HELPER_MEMORY_LIMIT_MB: 'lots' })).toBeNull();
    expect(memoryCeilingMb({ CS_HELPER_MEMORY_LIMIT_MB: '64' })).toBeNull();
    expect(memoryCeilingMb({ CS_HELPER_MEMORY_LIMIT_MB: '1.5' })).toBeNull();
  });

  it('opens DuckDB with the given limit in MiB (the planner counts 1024 * 1024 bytes, DuckDB\'s MB are 1000 * 1000)', async () => {
    const small = await Workspace.open({ threads: 1, memoryLimitMb: 300 });
    const gib = await Workspace.open({ threads: 1, memoryLimitMb: 1024 });
    try {
      expect(await memoryLimitOf(small)).toBe('300.0 MiB');
      expect(await memoryLimitOf(gib)).toBe('1.0 GiB');
    } finally {
      await small.close();
      await gib.close();
    }
  });

  it('plans a 1 GB engine by default, so that a 10M-row file runs under 2 GB of RSS, and CS_HELPER_MEMORY_LIMIT_MB changes it', async () => {
    const request = { problem: 'Analyze this CSV for security threats', inputFiles: [join(REPO_ROOT, 'examples', 'threat_data.csv')] };
    const saved = process.env['CS_HELPER_MEMORY_LIMIT_MB'];
    try {
      delete process.env['CS_HELPER_MEMORY_LIMIT_MB'];
      const plan = await planWorkflow(request, createBuiltInRegistry());
      expect(plan.resources?.memory_limit_mb).toBe(1024);
      expect(plan.resources?.reason).toContain('memory limit 1024 MB (the default');
      process.env['CS_HELPER_MEMORY_LIMIT_MB'] = '512';
      const capped = await planWorkflow(request, createBuiltInRegistry());
      expect(capped.resources?.memory_limit_mb).toBe(512);
      expect(capped.resources?.reason).toContain('memory limit 512 MB (CS_HELPER_MEMORY_LIMIT_MB');
    } finally {
      if (saved === undefined) delete process.env['CS_HELPER_MEMORY_LIMIT_MB'];
      else process.env['CS_HELPER_MEMORY_LIMIT_MB'] = saved;
    }
  });
});
