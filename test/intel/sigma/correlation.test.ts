// Sigma correlation rules (sigma-correlation-rules-specification.md) run over the detections of the rules they name,
// in a rule collection (YAML documents separated by ---) as correlation rules ship: event_count (brute force),
// value_count (password spraying), temporal (commands close together on one host), value_sum; the default of
// `generate`, a rule kept only for a correlation above the level threshold, and the constructs refused by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SigmaLevel } from '../../../src/intel/sigma/sigma-rule.js';
import { SigmaCase } from '../../helpers/sigma-case.js';

const FAILED_LOGON = `title: Failed logon
id: 0b3c1a52-1111-4000-8000-000000000001
name: failed_logon
status: test
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4625
  condition: selection
level: low
`;

const RECON = `title: Whoami run
id: 0b3c1a52-1111-4000-8000-000000000002
name: whoami_run
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4688
    CommandLine|contains: whoami
  condition: selection
level: low
---
title: Net user run
id: 0b3c1a52-1111-4000-8000-000000000003
name: net_user_run
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4688
    CommandLine|contains: 'net user'
  condition: selection
level: low
`;

const correlation = (id: string, title: string, body: string, level = 'high'): string => `---
title: ${title}
id: ${id}
status: test
correlation:
${body.replace(/^/gm, '  ')}
level: ${level}
`;

const SUCCESS = `---
title: Successful logon
id: 0b3c1a52-1111-4000-8000-000000000004
name: successful_logon
logsource:
  product: windows
  service: security
detection:
  selection:
    EventID: 4624
  condition: selection
level: low
`;

const BRUTE_FORCE = correlation('0b3c1a52-2222-4000-8000-000000000001', 'Many failed logons from one address', 'type: event_count\nrules:\n  - failed_logon\ngroup-by:\n  - IpAddress\ntimespan: 5m\ncondition:\n  gte: 10');
const SPRAY = correlation('0b3c1a52-2222-4000-8000-000000000002', 'Failed logons for many accounts from one address', 'type: value_count\nrules:\n  - 0b3c1a52-1111-4000-8000-000000000001\ngroup-by:\n  - IpAddress\ntimespan: 10m\ncondition:\n  field: TargetUserName\n  gte: 5');
const RECON_BURST = correlation('0b3c1a52-2222-4000-8000-000000000003', 'Account discovery commands close together', 'type: temporal\nrules:\n  - whoami_run\n  - net_user_run\ngroup-by:\n  - Hostname\ntimespan: 5m\ngenerate: true');

/** (seconds after 08:00, EventID, IpAddress, TargetUserName, Hostname, CommandLine) */
type Event = readonly [number, number, string | null, string | null, string, string | null];
const EVENTS: Event[] = [
  // 0-11: twelve failed logons of one account from 10.0.0.5, 15 s apart: the 10th, 11th and 12th end a 5-minute window of ten or more.
  ...Array.from({ length: 12 }, (_, i): Event => [i * 15, 4625, '10.0.0.5', 'admin', 'DC1', null]),
  // 12-23: twelve failed logons from 10.0.0.7, ten minutes apart: never ten in five minutes.
  ...Array.from({ length: 12 }, (_, i): Event => [3_600 + i * 600, 4625, '10.0.0.7', 'admin', 'DC1', null]),
  // 24-29: one failed logon for each of six accounts from 10.0.0.8 within a minute: the 5th and 6th reach five accounts.
  ...Array.from({ length: 6 }, (_, i): Event => [7_200 + i * 10, 4625, '10.0.0.8', `user${String(i)}`, 'DC1', null]),
  // 30-31: whoami then net user on WS1, two minutes apart; 32-33: the same on WS2, thirty minutes apart.
  [9_000, 4688, null, null, 'WS1', 'cmd /c whoami /all'],
  [9_120, 4688, null, null, 'WS1', 'net user /domain'],
  [9_000, 4688, null, null, 'WS2', 'whoami'],
  [10_800, 4688, null, null, 'WS2', 'net user administrator'],
  // 34: a successful logon, matched by no rule but the successful logon rule of the chain tests.
  [9_500, 4624, '10.0.0.5', 'admin', 'DC1', null],
  // 35: a successful logon from 10.0.0.5 ten minutes after its burst of failures; 36: from 10.0.0.7, which never
  // failed ten times in five minutes.
  [600, 4624, '10.0.0.5', 'admin', 'DC1', null],
  [3_700, 4624, '10.0.0.7', 'admin', 'DC1', null],
];

let sigma: SigmaCase;

beforeAll(async () => {
  sigma = await SigmaCase.open();
  await sigma.sql.run(`CREATE TABLE ev ("@timestamp" TIMESTAMP, Channel VARCHAR, EventID BIGINT, IpAddress VARCHAR, TargetUserName VARCHAR, Hostname VARCHAR, CommandLine VARCHAR)`);
  await sigma.sql.run(
    `INSERT INTO ev SELECT TIMESTAMP '2026-03-02 08:00:00' + to_seconds(s), 'Security', id, ip, u, h, c FROM (VALUES ${EVENTS.map((e) => `(${e.map((v) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${v}'`)).join(', ')})`).join(', ')}) v(s, id, ip, u, h, c)`,
  );
});

afterAll(async () => {
  await sigma.close();
});

const COLUMNS = ['@timestamp:TIMESTAMP', 'Channel:VARCHAR', 'EventID:BIGINT', 'IpAddress:VARCHAR', 'TargetUserName:VARCHAR', 'Hostname:VARCHAR', 'CommandLine:VARCHAR'];

/** Runs the rule files and returns the detections as "title @ event position", the problems and the notes. */
async function detect(files: Record<string, string>, minLevel: SigmaLevel = 'informational'): Promise<{ hits: string[]; problems: string[]; notes: string[]; loaded: number }> {
  const { run, hits } = await sigma.run(files, 'ev', COLUMNS, minLevel);
  const notes = run.correlationNotes.map((n) => `${n.title ?? ''}: ${n.detail}`);
  return { hits, problems: run.problems.map((p) => `${p.code}: ${p.detail}`), notes, loaded: run.rulesLoaded };
}

const at = (title: string, rows: readonly number[]): string[] => rows.map((r) => `${title} @ ${String(r)}`);

describe('Sigma correlation rules', () => {
  it('event_count: ten failed logons from one address within five minutes, and only the correlation reports', async () => {
    const run = await detect({ 'brute.yml': FAILED_LOGON + BRUTE_FORCE });
    expect(run.problems).toEqual([]);
    expect(run.loaded).toBe(2);
    // The failed logon rule itself is silent: generate defaults to false.
    expect(run.hits).toEqual(at('Many failed logons from one address', [9, 10, 11]));
    expect(run.notes).toEqual([]);
  });

  it('value_count: failed logons for five accounts from one address within ten minutes, the rule named by id', async () => {
    const run = await detect({ 'spray.yml': FAILED_LOGON + SPRAY });
    expect(run.problems).toEqual([]);
    expect(run.hits).toEqual(at('Failed logons for many accounts from one address', [28, 29]));
  });

  it('temporal: both discovery commands on one host within five minutes; generate keeps the rules own detections', async () => {
    const run = await detect({ 'recon.yml': RECON + RECON_BURST });
    expect(run.problems).toEqual([]);
    expect(run.hits).toEqual([...at('Account discovery commands close together', [31]), ...at('Net user run', [31, 33]), ...at('Whoami run', [30, 32])]);
  });

  it('keeps a low rule a high correlation needs, silent, when only high rules are asked for', async () => {
    const run = await detect({ 'brute.yml': FAILED_LOGON + BRUTE_FORCE, 'recon.yml': RECON }, 'high');
    expect(run.hits).toEqual(at('Many failed logons from one address', [9, 10, 11]));
  });

  it('value_sum and a range condition (gt and lte together), counted in fixed windows for its upper bound', async () => {
    // The event ids of the failed logons from one address summed over the clock's five-minute window 08:00-08:05:
    // 12 x 4625 = 55,500 for 10.0.0.5, in the range; a window ending at its 10th event (46,250) is not what counts.
    const sum = correlation('0b3c1a52-2222-4000-8000-000000000004', 'Summed', 'type: value_sum\nrules:\n  - failed_logon\ngroup-by:\n  - IpAddress\ntimespan: 5m\ncondition:\n  field: EventID\n  gt: 46250\n  lte: 55500');
    const run = await detect({ 'sum.yml': FAILED_LOGON + sum });
    expect(run.problems).toEqual([]);
    expect(run.hits).toEqual(at('Summed', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
  });

  it('lt: an address with a lone failed logon in a five-minute window, not the first event of every burst', async () => {
    // 10.0.0.7 fails once every ten minutes (12-23); 10.0.0.5 (12 in one window) and 10.0.0.8 (6) are not lone. A
    // window sliding up to each event would hold the first event of every address alone (0, 12, 24 too).
    const lone = correlation('0b3c1a52-2222-4000-8000-00000000000a', 'Lone failed logon', 'type: event_count\nrules:\n  - failed_logon\ngroup-by:\n  - IpAddress\ntimespan: 5m\ncondition:\n  lt: 2');
    const run = await detect({ 'lone.yml': FAILED_LOGON + lone });
    expect(run.problems).toEqual([]);
    expect(run.hits).toEqual(at('Lone failed logon', [12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]));
    // The specification asks a backend to say when it counts in fixed windows.
    expect(run.notes).toEqual(["Lone failed logon: counted in fixed 5m windows aligned to the clock (UTC), for its upper bound: events on both sides of a window's edge are counted apart"]);
  });

  it('eq: exactly six accounts from one address in a ten-minute window, not each count on its way to more', async () => {
    // 10.0.0.8 tried six accounts within a minute (24-29): the window holds six. Sliding, the 6th event's count is
    // six too, but so would be the 6th of seven; fixed, every event of the window is a detection.
    const six = correlation('0b3c1a52-2222-4000-8000-00000000000b', 'Six accounts', 'type: value_count\nrules:\n  - failed_logon\ngroup-by:\n  - IpAddress\ntimespan: 10m\ncondition:\n  field: TargetUserName\n  eq: 6');
    const five = six.replace('Six accounts', 'Five accounts').replace('00000000000b', '00000000000c').replace('eq: 6', 'eq: 5');
    const run = await detect({ 'six.yml': FAILED_LOGON + six + five });
    expect(run.problems).toEqual([]);
    expect(run.hits).toEqual(at('Six accounts', [24, 25, 26, 27, 28, 29]));
  });

  it('temporal_ordered: whoami then net user on one host within five minutes, not the other way round', async () => {
    const inOrder = correlation('0b3c1a52-2222-4000-8000-000000000010', 'Whoami then net user', 'type: temporal_ordered\nrules:\n  - whoami_run\n  - net_user_run\ngroup-by:\n  - Hostname\ntimespan: 5m');
    const reversed = correlation('0b3c1a52-2222-4000-8000-000000000011', 'Net user then whoami', 'type: temporal_ordered\nrules:\n  - net_user_run\n  - whoami_run\ngroup-by:\n  - Hostname\ntimespan: 5m\ncondition:\n  gte: 2');
    const run = await detect({ 'recon.yml': RECON + inOrder + reversed });
    expect(run.problems).toEqual([]);
    // WS1: whoami at 09:30:00, net user at 09:32:00 (31); WS2's net user came 30 minutes after its whoami.
    expect(run.hits).toEqual(at('Whoami then net user', [31]));
    expect(run.notes).toEqual([]);
  });

  it('chains: the specification example, many failed logons followed by a successful logon, from one address within an hour', async () => {
    const chain = correlation('0b3c1a52-2222-4000-8000-000000000012', 'Failed logons then a success', 'type: temporal_ordered\nrules:\n  - 0b3c1a52-2222-4000-8000-000000000001\n  - successful_logon\ngroup-by:\n  - IpAddress\ntimespan: 1h');
    const run = await detect({ 'chain.yml': FAILED_LOGON + SUCCESS + BRUTE_FORCE + chain });
    expect(run.problems).toEqual([]);
    // 35: 10.0.0.5 logged on ten minutes after its burst (9-11); 34 came more than two hours later, 36 from an
    // address without a burst. The burst correlation is named by the chain, so it reports only through it.
    expect(run.hits).toEqual(at('Failed logons then a success', [35]));
  });

  it('reports a chain that comes back to itself and an ordered condition asking for fewer than all rules', async () => {
    const a = correlation('0b3c1a52-2222-4000-8000-000000000013', 'Loop A', 'type: event_count\nrules:\n  - loop_b\ngroup-by:\n  - IpAddress\ntimespan: 1h\ncondition:\n  gte: 1').replace('correlation:\n  type', 'name: loop_a\ncorrelation:\n  type');
    const b = correlation('0b3c1a52-2222-4000-8000-000000000014', 'Loop B', 'type: event_count\nrules:\n  - loop_a\ngroup-by:\n  - IpAddress\ntimespan: 1h\ncondition:\n  gte: 1').replace('correlation:\n  type', 'name: loop_b\ncorrelation:\n  type');
    const fewer = correlation('0b3c1a52-2222-4000-8000-000000000015', 'One of two in order', 'type: temporal_ordered\nrules:\n  - whoami_run\n  - net_user_run\ngroup-by:\n  - Hostname\ntimespan: 5m\ncondition:\n  gte: 1');
    const run = await detect({ 'loops.yml': RECON + a + b + fewer });
    expect(run.problems.sort()).toEqual(
      [
        'sigma-correlation-cycle: its chain of correlations comes back to it',
        "sigma-correlation-unresolved: the correlation it names ('Loop A') cannot run",
        'sigma-rule-unsupported: a temporal_ordered condition other than all 2 rules in order',
      ].sort(),
    );
    expect(run.hits).toEqual([...at('Net user run', [31, 33]), ...at('Whoami run', [30, 32])]);
  });

  it('refuses what it cannot run, by name, and still loads the other documents of the collection', async () => {
    const aliased = correlation('0b3c1a52-2222-4000-8000-000000000006', 'Aliased', 'type: event_count\nrules:\n  - whoami_run\naliases:\n  host:\n    net_user_run: Hostname\ngroup-by:\n  - host\ntimespan: 5m\ncondition:\n  gte: 1');
    const missing = correlation('0b3c1a52-2222-4000-8000-000000000007', 'Missing', 'type: event_count\nrules:\n  - no_such_rule\ngroup-by:\n  - Hostname\ntimespan: 5m\ncondition:\n  gte: 1');
    const unknown = correlation('0b3c1a52-2222-4000-8000-000000000008', 'Median', 'type: value_median\nrules:\n  - whoami_run\ngroup-by:\n  - Hostname\ntimespan: 5m\ncondition:\n  field: Hostname\n  gte: 50');
    const badSpan = correlation('0b3c1a52-2222-4000-8000-000000000009', 'Bad span', 'type: event_count\nrules:\n  - whoami_run\ngroup-by:\n  - Hostname\ntimespan: 5 minutes\ncondition:\n  gte: 1');
    const run = await detect({ 'all.yml': FAILED_LOGON + '---\n' + RECON + BRUTE_FORCE + aliased + missing + unknown + badSpan });
    expect(run.problems.sort()).toEqual(
      [
        "sigma-correlation-unresolved: alias 'host' names rule 'net_user_run', which the correlation does not correlate",
        "sigma-correlation-unresolved: rule 'no_such_rule' is not loaded (name it with --rules beside the correlation)",
        "sigma-rule-invalid: correlation type 'value_median' is not one of event_count, value_count, value_sum, value_avg, value_percentile, temporal, temporal_ordered",
        'sigma-rule-invalid: correlation.timespan: a number and s, m, h or d (5m, 1h)',
      ].sort(),
    );
    // The discovery rules report for themselves: the correlations that name them could not run.
    expect(run.hits).toEqual([...at('Many failed logons from one address', [9, 10, 11]), ...at('Net user run', [31, 33]), ...at('Whoami run', [30, 32])]);
  });

  it('field name aliases: a failed logon for a machine account and a command on that machine, within five minutes', async () => {
    // Another table: the failed logon names the machine in TargetUserName, the command runs on it (Hostname).
    await sigma.sql.run(`CREATE TABLE ev_alias AS SELECT * FROM ev WHERE false`);
    await sigma.sql.run(
      `INSERT INTO ev_alias VALUES (TIMESTAMP '2026-03-02 12:00:00', 'Security', 4625, '10.9.9.9', 'WS9', 'DC1', NULL),
         (TIMESTAMP '2026-03-02 12:01:00', 'Security', 4688, NULL, NULL, 'WS9', 'whoami /priv'),
         (TIMESTAMP '2026-03-02 12:02:00', 'Security', 4688, NULL, NULL, 'WS8', 'whoami'),
         (TIMESTAMP '2026-03-02 12:30:00', 'Security', 4625, '10.9.9.9', 'WS8', 'DC1', NULL)`,
    );
    const aliased = correlation(
      '0b3c1a52-2222-4000-8000-000000000016',
      'Failed logon then a command on the machine',
      'type: temporal\nrules:\n  - failed_logon\n  - whoami_run\ngroup-by:\n  - machine\ntimespan: 5m\naliases:\n  machine:\n    failed_logon: TargetUserName\n    whoami_run: Hostname',
    );
    const { run, hits } = await sigma.run({ 'aliases.yml': FAILED_LOGON + '---\n' + RECON + aliased }, 'ev_alias', COLUMNS);
    expect(run.problems).toEqual([]);
    // WS9: the failed logon at 12:00, whoami at 12:01 (row 1). WS8: whoami at 12:02, its failed logon 28 minutes later.
    expect(hits.filter((h) => h.startsWith('Failed logon then'))).toEqual(['Failed logon then a command on the machine @ 1']);
  });

  it('reads fields as the rules do: Image of Security 4688 events is their NewProcessName', async () => {
    // Security 4688 writes the process as NewProcessName; the process_creation rules, and so their correlations, say Image.
    await sigma.sql.run(`CREATE TABLE ev_4688 ("@timestamp" TIMESTAMP, Channel VARCHAR, EventID BIGINT, Computer VARCHAR, NewProcessName VARCHAR)`);
    await sigma.sql.run(
      `INSERT INTO ev_4688 SELECT TIMESTAMP '2026-03-02 10:00:00' + to_minutes(i), 'Security', 4688, 'WS1', CASE WHEN i = 9 THEN 'C:\\Tools\\rclone.exe' ELSE 'C:\\Windows\\explorer.exe' END FROM range(10) t(i)`,
    );
    const started = `title: Process started
id: 0b3c1a52-1111-4000-8000-00000000000a
name: process_started
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    Image|endswith: '.exe'
  condition: selection
level: informational
`;
    const rare = correlation('0b3c1a52-2222-4000-8000-000000000018', 'Rare image', 'type: value_percentile\nrules:\n  - process_started\ngroup-by:\n  - Computer\ntimespan: 1h\ncondition:\n  field: Image\n  lte: 10');
    const { run, hits } = await sigma.run({ 'rare.yml': started + rare }, 'ev_4688', ['@timestamp:TIMESTAMP', 'Channel:VARCHAR', 'EventID:BIGINT', 'Computer:VARCHAR', 'NewProcessName:VARCHAR']);
    expect(run.problems).toEqual([]);
    // rclone.exe is 1 of the 10 processes (10%); explorer.exe 90%.
    expect(hits).toEqual(['Rare image @ 9']);
  });

  it('value_percentile: a process name that is at most 5% of one computer\'s processes in the hour', async () => {
    await sigma.sql.run(`CREATE TABLE ev_processes AS SELECT * FROM ev WHERE false`);
    // WS1: 19 runs of chrome.exe and one of rclone.exe (row 19) between 10:00 and 10:20; WS2: rclone.exe alone (row 20).
    await sigma.sql.run(
      `INSERT INTO ev_processes SELECT TIMESTAMP '2026-03-02 10:00:00' + to_minutes(i), 'Security', 4688, NULL, NULL, 'WS1', CASE WHEN i = 19 THEN 'rclone.exe copy' ELSE 'chrome.exe' END FROM range(20) t(i)`,
    );
    await sigma.sql.run(`INSERT INTO ev_processes VALUES (TIMESTAMP '2026-03-02 10:05:00', 'Security', 4688, NULL, NULL, 'WS2', 'rclone.exe copy')`);
    const anyProcess = FAILED_LOGON.replace('Failed logon', 'Process started').replace('failed_logon', 'any_process').replace('0b3c1a52-1111-4000-8000-000000000001', '0b3c1a52-1111-4000-8000-000000000009').replace('EventID: 4625', 'EventID: 4688');
    const rare = correlation('0b3c1a52-2222-4000-8000-000000000017', 'Rare process on a computer', 'type: value_percentile\nrules:\n  - any_process\ngroup-by:\n  - Hostname\ntimespan: 1h\ncondition:\n  field: CommandLine\n  lte: 5');
    const { run, hits } = await sigma.run({ 'rare.yml': anyProcess + rare }, 'ev_processes', COLUMNS);
    expect(run.problems).toEqual([]);
    expect(hits).toEqual(['Rare process on a computer @ 19']);
  });
});
