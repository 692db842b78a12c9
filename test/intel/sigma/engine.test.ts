// The rule engine end to end on small tables: each modifier and condition form, compiled to SQL and run in DuckDB,
// with the exact rows it must match. Rules are YAML text, as users write them.
import { describe, expect, test } from 'vitest';
import type { CompiledRule } from '../../../src/intel/sigma/compile-rule.js';
import { parseRuleText } from '../../../src/intel/sigma/load-rules.js';
import { matchRules } from '../../../src/intel/sigma/match-rules.js';
import { engineSession } from '../../helpers/engine-session.js';


/** Events as a table: CommandLine, Image, DestinationIp, DestinationPort (number), User, ParentUser, Size. */
const EVENTS = [
  { CommandLine: 'cmd.exe /c whoami /priv', Image: 'C:\\Windows\\System32\\cmd.exe', DestinationIp: '10.1.2.3', DestinationPort: 445, User: 'alice', ParentUser: 'alice', Size: '10' },
  { CommandLine: 'powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA', Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', DestinationIp: '172.20.0.1', DestinationPort: 443, User: 'bob', ParentUser: 'SYSTEM', Size: '200' },
  { CommandLine: 'tasklist /v | find "lsass"', Image: 'C:\\Tools\\a*b?.exe', DestinationIp: '8.8.8.8', DestinationPort: 53, User: 'ALICE', ParentUser: null, Size: 'n/a' },
  { CommandLine: 'net user admin P@ss /add', Image: 'C:\\Windows\\System32\\net.exe', DestinationIp: 'fe80::1', DestinationPort: 80, User: null, ParentUser: 'bob', Size: '5000' },
  { CommandLine: 'reg query \\\\server\\share', Image: 'C:\\Windows\\reg.exe', DestinationIp: '2603:1006:12::5', DestinationPort: 8080, User: 'carol', ParentUser: 'carol', Size: '0' },
];

const engine = engineSession({ threads: 2 }, async (sql) => {
  await sql.run(`CREATE TABLE ev (CommandLine VARCHAR, Image VARCHAR, DestinationIp VARCHAR, DestinationPort BIGINT, "User" VARCHAR, ParentUser VARCHAR, Size VARCHAR)`);
  await sql.append('ev', EVENTS.map((e) => [e.CommandLine, e.Image, e.DestinationIp, e.DestinationPort, e.User, e.ParentUser, e.Size]));
});

function rule(detection: string): CompiledRule {
  const text = `title: t\nid: r\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
  const result = parseRuleText(text, 'test.yml');
  if ('problem' in result) throw new Error(result.problem.detail);
  return result.rule;
}

let tableCounter = 0;
/** The positions (from 0) of the events the rule matches. */
async function matches(detection: string): Promise<number[]> {
  tableCounter += 1;
  const columns = [
    { name: 'CommandLine', sqlType: 'VARCHAR' }, { name: 'Image', sqlType: 'VARCHAR' }, { name: 'DestinationIp', sqlType: 'VARCHAR' },
    { name: 'DestinationPort', sqlType: 'BIGINT' }, { name: 'User', sqlType: 'VARCHAR' }, { name: 'ParentUser', sqlType: 'VARCHAR' }, { name: 'Size', sqlType: 'VARCHAR' },
  ];
  const outcome = await matchRules(engine.sql, { table: 'ev', rowId: 'rowid', columns }, [rule(detection)], `pairs_${String(tableCounter)}`, new AbortController().signal);
  expect(outcome.problems).toEqual([]);
  const rows = await engine.sql.all(`SELECT row_id FROM pairs_${String(tableCounter)} ORDER BY row_id`);
  return rows.map((r) => Number(r['row_id']));
}

function problemOf(detection: string): string {
  const text = `title: t\nid: r\nlogsource:\n  product: windows\ndetection:\n${detection.replace(/^/gm, '  ')}\n`;
  const result = parseRuleText(text, 'test.yml');
  return 'problem' in result ? `${result.problem.code}: ${result.problem.detail}` : 'loaded';
}

describe('value modifiers', () => {
  test('plain values are case-insensitive whole-value matches', async () => {
    expect(await matches("sel:\n  User: alice\ncondition: sel")).toEqual([0, 2]);
  });
  test('contains, startswith, endswith', async () => {
    expect(await matches("sel:\n  CommandLine|contains: WHOAMI\ncondition: sel")).toEqual([0]);
    expect(await matches("sel:\n  CommandLine|startswith: 'net '\ncondition: sel")).toEqual([3]);
    expect(await matches("sel:\n  Image|endswith: '\\powershell.exe'\ncondition: sel")).toEqual([1]);
  });
  test('a list is OR, and with |all every value must appear', async () => {
    expect(await matches("sel:\n  CommandLine|contains:\n    - whoami\n    - tasklist\ncondition: sel")).toEqual([0, 2]);
    expect(await matches("sel:\n  CommandLine|contains|all:\n    - net\n    - /add\ncondition: sel")).toEqual([3]);
    expect(await matches("sel:\n  CommandLine|contains|all:\n    - net\n    - /delete\ncondition: sel")).toEqual([]);
  });
  test('cased makes the match case-sensitive', async () => {
    expect(await matches("sel:\n  User|cased: ALICE\ncondition: sel")).toEqual([2]);
  });
  test('wildcards * and ?, also inside contains', async () => {
    expect(await matches("sel:\n  CommandLine: 'cmd.exe /c who?mi*'\ncondition: sel")).toEqual([0]);
    expect(await matches("sel:\n  CommandLine|contains: 'tasklist*|*find'\ncondition: sel")).toEqual([2]);
  });
  test('escaped wildcards are literal characters', async () => {
    expect(await matches("sel:\n  Image|endswith: '\\a\\*b\\?.exe'\ncondition: sel")).toEqual([2]);
    expect(await matches("sel:\n  Image|endswith: '\\ab?.exe'\ncondition: sel")).toEqual([]);
  });
  test('four backslashes are two literal backslashes', async () => {
    expect(await matches("sel:\n  CommandLine|contains: 'query \\\\\\\\server'\ncondition: sel")).toEqual([4]);
  });
  test('re, with the i flag, runs RE2 in the engine', async () => {
    expect(await matches("sel:\n  CommandLine|re: '^net user [a-z]+ '\ncondition: sel")).toEqual([3]);
    expect(await matches("sel:\n  CommandLine|re: '^NET USER'\ncondition: sel")).toEqual([]);
    expect(await matches("sel:\n  CommandLine|re|i: '^NET USER'\ncondition: sel")).toEqual([3]);
  });
  test('cidr for IPv4 and IPv6 ranges', async () => {
    expect(await matches("sel:\n  DestinationIp|cidr:\n    - 10.0.0.0/8\n    - 172.16.0.0/12\ncondition: sel")).toEqual([0, 1]);
    expect(await matches("sel:\n  DestinationIp|cidr: 'fe80::/10'\ncondition: sel")).toEqual([3]);
    expect(await matches("sel:\n  DestinationIp|cidr: '2603:1006::/40'\ncondition: sel")).toEqual([4]);
  });
  test('windash matches - and / and the unicode dashes', async () => {
    expect(await matches("sel:\n  CommandLine|contains|windash: ' -priv'\ncondition: sel")).toEqual([0]);
  });
  test('base64offset|contains of utf16le text finds encoded PowerShell', async () => {
    expect(await matches("sel:\n  CommandLine|base64offset|contains|utf16le: 'IEX (New-Object'\ncondition: sel")).toEqual([1]);
    expect(await matches("sel:\n  CommandLine|wide|base64offset|contains: 'Invoke-Mimikatz'\ncondition: sel")).toEqual([]);
  });
  test('base64 of a plain value', async () => {
    expect(Buffer.from('SQBFAFgA', 'base64').toString('utf16le')).toBe('IEX');
    expect(await matches("sel:\n  CommandLine|base64|contains|utf16le: 'IEX'\ncondition: sel")).toEqual([1]);
  });
  test('exists and null', async () => {
    expect(await matches("sel:\n  User|exists: false\ncondition: sel")).toEqual([3]);
    expect(await matches("sel:\n  NoSuchField|exists: false\ncondition: sel")).toEqual([0, 1, 2, 3, 4]);
    expect(await matches("sel:\n  ParentUser: null\ncondition: sel")).toEqual([2]);
  });
  test('numeric comparisons; a value that is not a number never compares', async () => {
    expect(await matches("sel:\n  DestinationPort|gte: 443\ncondition: sel")).toEqual([0, 1, 4]);
    expect(await matches("sel:\n  DestinationPort|lt: 80\ncondition: sel")).toEqual([2]);
    expect(await matches("sel:\n  Size|gt: 100\ncondition: sel")).toEqual([1, 3]);
    expect(await matches("sel:\n  Size|lte: 0\ncondition: sel")).toEqual([4]);
  });
  test('neq and numbers', async () => {
    expect(await matches("sel:\n  DestinationPort: 445\ncondition: sel")).toEqual([0]);
    expect(await matches("sel:\n  DestinationPort|neq: 445\ncondition: sel")).toEqual([1, 2, 3, 4]);
  });
  test('fieldref compares two fields of the event', async () => {
    expect(await matches("sel:\n  User|fieldref: ParentUser\ncondition: sel")).toEqual([0, 4]);
  });
  test('keywords search every text field', async () => {
    expect(await matches("keywords:\n  - lsass\n  - 'P@ss'\ncondition: keywords")).toEqual([2, 3]);
  });
});

describe('conditions', () => {
  const base = "a:\n  User: alice\nb:\n  DestinationPort: 445\nsel_1:\n  Image|endswith: '\\net.exe'\nsel_2:\n  Image|endswith: '\\reg.exe'\n_hidden:\n  User: carol\n";
  test('and, or, not, parentheses', async () => {
    expect(await matches(`${base}condition: a and b`)).toEqual([0]);
    expect(await matches(`${base}condition: a and not b`)).toEqual([2]);
    expect(await matches(`${base}condition: not (a or b)`)).toEqual([1, 3, 4]);
    expect(await matches(`${base}condition: b or a and sel_1`)).toEqual([0]);
  });
  test('1 of and all of with name patterns; them skips _names', async () => {
    expect(await matches(`${base}condition: 1 of sel_*`)).toEqual([3, 4]);
    expect(await matches(`${base}condition: all of sel_*`)).toEqual([]);
    expect(await matches(`${base}condition: 1 of them`)).toEqual([0, 2, 3, 4]);
    expect(await matches(`${base}condition: all of them`)).toEqual([]);
  });
  test('not on an absent field holds (a filter on a field the table lacks does not hide rows)', async () => {
    expect(await matches("sel:\n  User: alice\nfilter:\n  NoSuchField: x\ncondition: sel and not filter")).toEqual([0, 2]);
  });
  test('a list of conditions is OR', async () => {
    expect(await matches(`${base}condition:\n  - b\n  - sel_2`)).toEqual([0, 4]);
  });
});

describe('unsupported and invalid rules are reported by name', () => {
  test.each([
    ['sel:\n  User: a\ncondition: sel | count() > 5', 'sigma-rule-unsupported: aggregation in condition'],
    ['sel:\n  User|nosuch: a\ncondition: sel', "sigma-rule-unsupported: modifier 'nosuch' in 'User|nosuch'"],
    ["sel:\n  User|expand: '%admins%'\ncondition: sel", "sigma-rule-unsupported: 'User|expand': placeholder in '%admins%'"],
    ["sel:\n  CommandLine|re: '(?<=a)b'\ncondition: sel", "sigma-rule-unsupported: 'CommandLine|re': regular expression '(?<=a)b' is not RE2 syntax"],
    ["sel:\n  CommandLine|utf16le: 'a'\ncondition: sel", "sigma-rule-unsupported: 'CommandLine|utf16le': utf16le without base64"],
    ['sel:\n  User: a\ncondition: sel and other', "sigma-rule-invalid: condition names 'other'"],
    ['sel:\n  User: a\ncondition: (sel', 'sigma-rule-invalid: condition \'(sel\': a parenthesis is not closed'],
    ['sel:\n  User: a\ncondition: 2 of sel*', "sigma-rule-unsupported: condition '2 of sel*': '2 of'"],
    // A `::` stands for one zero group or more: eight groups around one are no address.
    ["sel:\n  DestinationIp|cidr: '1:2:3:4::5:6:7:8/64'\ncondition: sel", "sigma-rule-invalid: cidr '1:2:3:4::5:6:7:8' is not an IPv6 address"],
  ])('%s', (detection, expected) => {
    expect(problemOf(detection)).toContain(expected);
  });
});

describe('hostile rules are refused or bounded', () => {
  test('a billion-laughs alias bomb is refused', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    const result = parseRuleText(`${bomb}\ntitle: t\nlogsource: {product: windows}\ndetection: {sel: {User: a}, condition: sel}\n`, 'bomb.yml');
    expect('problem' in result && result.problem.code).toBe('sigma-rule-invalid');
  });
  test('a huge rule file is refused unread', () => {
    const result = parseRuleText(`title: t\n#${'x'.repeat(300 * 1024)}\n`, 'huge.yml');
    expect('problem' in result && result.problem.code).toBe('sigma-rule-too-large');
  });
  test('a __proto__ key is refused', () => {
    const result = parseRuleText('title: t\nlogsource: {product: windows}\ndetection:\n  __proto__: {polluted: 1}\n  sel: {User: a}\n  condition: sel\n', 'proto.yml');
    expect('problem' in result && result.problem.detail).toBe("key '__proto__' is not allowed");
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
  test('a catastrophic-backtracking regex runs in linear time (RE2)', async () => {
    await engine.sql.run(`CREATE TABLE redos AS SELECT repeat('a', 100000) || '!' AS CommandLine`);
    const started = performance.now();
    const outcome = await matchRules(engine.sql, { table: 'redos', rowId: 'rowid', columns: [{ name: 'CommandLine', sqlType: 'VARCHAR' }] }, [rule("sel:\n  CommandLine|re: '^(a+)+$'\ncondition: sel")], 'redos_pairs', new AbortController().signal);
    expect(outcome.problems).toEqual([]);
    expect(await engine.sql.scalar('SELECT count(*) FROM redos_pairs')).toBe(0);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('Security 4688 process creation', () => {
  // One Sysmon event 1 and two Security 4688 events (fields as the OTRF recordings have them), in one table.
  test('process_creation rules read Image and ParentImage from NewProcessName and ParentProcessName', async () => {
    await engine.sql.run(`CREATE TABLE mixed (Channel VARCHAR, EventID BIGINT, Image VARCHAR, ParentImage VARCHAR, NewProcessName VARCHAR, ParentProcessName VARCHAR, CommandLine VARCHAR)`);
    await engine.sql.append('mixed', [
      ['Microsoft-Windows-Sysmon/Operational', 1, 'C:\\Windows\\System32\\rundll32.exe', 'C:\\Windows\\explorer.exe', null, null, 'rundll32.exe shell32.dll,Control_RunDLL'],
      ['Security', 4688, null, null, 'C:\\Windows\\System32\\rundll32.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', '"C:\\Windows\\System32\\rundll32.exe" C:\\windows\\System32\\comsvcs.dll MiniDump 756 lsass.dmp full'],
      ['Security', 4688, null, null, 'C:\\Windows\\System32\\notepad.exe', 'C:\\Windows\\explorer.exe', 'notepad.exe'],
    ]);
    const columns = ['Channel', 'EventID', 'Image', 'ParentImage', 'NewProcessName', 'ParentProcessName', 'CommandLine'].map((name) => ({ name, sqlType: name === 'EventID' ? 'BIGINT' : 'VARCHAR' }));
    const run = async (detection: string, pairs: string): Promise<number[]> => {
      const outcome = await matchRules(engine.sql, { table: 'mixed', rowId: 'rowid', columns }, [rule(detection)], pairs, new AbortController().signal);
      expect(outcome.problems).toEqual([]);
      return (await engine.sql.all(`SELECT row_id FROM ${pairs} ORDER BY row_id`)).map((r) => Number(r['row_id']));
    };
    expect(await run("sel:\n  Image|endswith: '\\rundll32.exe'\ncondition: sel", 'pairs_4688_image')).toEqual([0, 1]);
    expect(await run("sel:\n  ParentImage|endswith: '\\powershell.exe'\n  CommandLine|contains: 'MiniDump'\ncondition: sel", 'pairs_4688_parent')).toEqual([1]);
  });
});
