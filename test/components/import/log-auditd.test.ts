// import.log on Linux audit logs (audit.log): one row per record with its stamp, a column per field, hex values
// decoded, the fields of user-space records read, the command line of EXECVE and PROCTITLE records; a line that is
// not a record kept and reported. Then the planner's view of the same file and the auditd rules on it.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sigmaAnalysis } from '../../../src/components/analysis/sigma.js';
import { logImport } from '../../../src/components/import/log.js';
import { plainText } from '../../../src/data/plain-value.js';
import { quoteIdent } from '../../../src/data/sql-text.js';
import type { ComponentOutput } from '../../../src/components/component.js';
import type { DatasetHandle } from '../../../src/model/dataset.js';
import { profileFile } from '../../../src/planner/profile-file.js';
import { deriveRequirements } from '../../../src/planner/requirements.js';
import { ComponentHarness, datasetOf, findingsOf } from '../../helpers/component-harness.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/import/auditd-sample.log', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

let harness: ComponentHarness;
let output: ComponentOutput;
let dataset: DatasetHandle;
let rows: Record<string, unknown>[];

beforeAll(async () => {
  harness = await ComponentHarness.open({ baseDir: REPO });
  output = await harness.run(logImport, {}, { paths: [FIXTURE] });
  dataset = datasetOf(output);
  rows = await harness.rows(dataset.table);
}, 60_000);

afterAll(async () => {
  await harness.close();
});

describe('import.log: Linux audit logs', () => {
  it('reads the format from the first line and makes one row per record, the odd line kept and named', () => {
    expect(output.summary).toEqual(expect.objectContaining({ format: 'auditd', unparsed_lines: 1, first_unparsed_lines: [`${FIXTURE}:9`], rejected_lines: 0 }));
    expect(dataset.rowCount).toBe(13);
    expect(output.message).toContain('13 audit records');
    const columns = dataset.columns.map((c) => c.name);
    expect(columns.slice(0, 4)).toEqual(['node', 'type', 'timestamp', 'serial']);
    expect(columns.slice(-2)).toEqual(['command_line', 'raw']);
    expect(columns).toEqual(expect.arrayContaining(['exe', 'comm', 'a0', 'a1', 'proctitle', 'acct', 'addr', 'res', 'cwd']));
    // The enriched format's upper-case translations (UID="root") are left out: column names ignore case.
    expect(columns).not.toContain('UID');
    expect(dataset.columns.find((c) => c.name === 'timestamp')).toEqual(expect.objectContaining({ sqlType: 'TIMESTAMP WITH TIME ZONE', role: 'timestamp' }));
    expect(dataset.columns.find((c) => c.name === 'addr')?.role).toBe('ip');
  });

  it('takes node, type, UTC time and serial from the stamp, and unquotes the values', () => {
    const syscall = rows[1] ?? {};
    expect([syscall['node'], syscall['type'], String(syscall['timestamp']), syscall['serial']]).toEqual(['UBUNTU5', 'SYSCALL', '2020-11-10T09:40:34.567Z', 1234]);
    expect([syscall['exe'], syscall['comm'], syscall['key'], syscall['a0'], syscall['uid']]).toEqual(['/usr/sbin/arp', 'arp', 'recon', '55d0c0a2', '1000']);
    expect(String(rows[6]?.['timestamp'])).toBe('2020-11-10T09:41:40.100Z');
  });

  it('decodes hex arguments and proctitles, and writes each program\'s command line', () => {
    expect(rows.map((r) => r['command_line'])).toEqual([null, null, 'arp -a', null, null, 'arp -a', '/bin/dd if=/dev/zero of=/tmp/a bin', null, null, 'nc -e /bin/sh', '/usr/bin/crontab -l', 'cat /etc/shadow /etc/passwd', '/usr/bin/harp -a']);
    expect(rows[6]?.['a2']).toBe('of=/tmp/a bin');
    // The SYSCALL's a0..a3 are register values, not hex text to decode.
    expect(rows[1]?.['a1']).toBe('55d0c0b0');
  });

  it("reads a user-space record's fields from inside msg='...'", () => {
    const login = rows[7] ?? {};
    expect([login['type'], login['acct'], login['exe'], login['addr'], login['res'], login['pid']]).toEqual(['USER_LOGIN', 'root', '/usr/sbin/sshd', '203.0.113.9', 'failed', '3001']);
    expect(rows[8]).toEqual(expect.objectContaining({ type: null, raw: 'garbage that is not an audit record' }));
  });
});

describe('the planner and the rules on an audit log', () => {
  it('profiles it as an audit log with its fields, and hunting in it runs the Sigma rules', async () => {
    const profile = await profileFile(FIXTURE);
    expect(profile.kind).toBe('auditd');
    expect(profile.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['timestamp', 'exe', 'a0', 'command_line']));
    const requirements = deriveRequirements([{ intent: 'threat_hunting', score: 0.9, evidence: [] }], [], [profile]);
    expect(requirements.map((r) => [r.capability, r.wantedBy])).toEqual(expect.arrayContaining([
      ['import-log', `file:${FIXTURE}`],
      ['sigma-detection', `file:${FIXTURE} (a Linux audit log)`],
    ]));
  });

  it('the auditd rules fire on the behaviours, not on their near misses; no Windows rule applies', async () => {
    const sigma = await harness.run(sigmaAnalysis, { datasets: [dataset] }, {});
    const found = await harness.sql.all(`SELECT row_id, detail->>'title' AS title FROM ${quoteIdent(findingsOf(sigma).table)} ORDER BY row_id, title`);
    expect(found.map((r) => [Number(r['row_id']), plainText(r['title'])])).toEqual([
      [2, 'Neighbour Cache Listed (arp -a, ip neigh)'],
      [6, 'Zeros or Random Bytes Written with dd'],
      [7, 'Failed Login or Authentication'],
      [9, 'Reverse or Bind Shell Command'],
      [11, 'Password Hash File Read or Copied'],
    ]);
    // Only the rules for Linux audit logs were applied: the 17 of CS Helper (the SigmaHQ subset has none).
    expect(sigma.summary?.['rules_applied']).toBe(17);
  });
});
