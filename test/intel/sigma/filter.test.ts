// Sigma filters (sigma-filters-specification.md): a filter document names rules by id or name and takes the events its
// condition matches out of their detections; it applies only where its logsource agrees with the rule's, and what it
// cannot apply is reported by name. Filters named alone tune the shipped rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyFilters } from '../../../src/intel/sigma/filter-rule.js';
import { parseRuleFile } from '../../../src/intel/sigma/load-rules.js';
import type { SigmaRun } from '../../../src/intel/sigma/run-sigma.js';
import { SigmaCase } from '../../helpers/sigma-case.js';

const WHOAMI = `title: Whoami run
id: 7c1d0e55-1111-4000-8000-000000000001
name: whoami_run
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    CommandLine|contains: whoami
  condition: selection
level: medium
`;

const filter = (title: string, body: string, logsource = 'category: process_creation\n  product: windows'): string => `---
title: ${title}
id: 7c1d0e55-2222-4000-8000-${String(title.length).padStart(12, '0')}
logsource:
  ${logsource}
filter:
${body.replace(/^/gm, '  ')}
`;

/** (Image, CommandLine, User, Computer) of Sysmon process creation events. */
const EVENTS: readonly (readonly [string, string, string, string])[] = [
  ['C:\\Windows\\System32\\whoami.exe', 'whoami /all', 'CORP\\adm_alice', 'WS1'], // 0: an admin account: filtered
  ['C:\\Windows\\System32\\whoami.exe', 'whoami /groups', 'CORP\\bob', 'WS1'], // 1: detected
  ['C:\\Windows\\System32\\whoami.exe', 'whoami', 'CORP\\carol', 'JUMP1'], // 2: the jump host: filtered by the second filter
  ['C:\\Windows\\System32\\net.exe', 'net localgroup administrators', 'CORP\\adm_alice', 'WS1'], // 3: the shipped rule, an admin
  ['C:\\Windows\\System32\\net.exe', 'net localgroup administrators', 'CORP\\bob', 'WS2'], // 4: the shipped rule
];

let sigma: SigmaCase;

beforeAll(async () => {
  sigma = await SigmaCase.open();
  await sigma.sql.run(`CREATE TABLE ev (Channel VARCHAR, EventID BIGINT, Image VARCHAR, CommandLine VARCHAR, "User" VARCHAR, Computer VARCHAR)`);
  for (const [image, line, user, computer] of EVENTS) {
    await sigma.sql.run(`INSERT INTO ev VALUES ('Microsoft-Windows-Sysmon/Operational', 1, ?, ?, ?, ?)`, [image, line, user, computer]);
  }
});

afterAll(async () => {
  await sigma.close();
});

async function detect(files: Record<string, string>): Promise<{ hits: string[]; problems: string[]; run: SigmaRun }> {
  const { run, hits } = await sigma.run(files, 'ev', ['Channel:VARCHAR', 'EventID:BIGINT', 'Image:VARCHAR', 'CommandLine:VARCHAR', 'User:VARCHAR', 'Computer:VARCHAR']);
  return { hits, problems: run.problems.map((p) => `${p.code}: ${p.detail}`), run };
}

describe('Sigma filters', () => {
  it('take the events they match out of the rule they name, by name or by id, and count what they applied', async () => {
    const admins = filter('Admin accounts', "rules:\n  - whoami_run\nselection:\n  User|startswith: 'CORP\\adm_'\ncondition: selection");
    const jump = filter('The jump host', 'rules:\n  - 7c1d0e55-1111-4000-8000-000000000001\nhost:\n  Computer: JUMP1\nother:\n  Computer: JUMP2\ncondition: 1 of host or other');
    const unfiltered = await detect({ 'whoami.yml': WHOAMI });
    expect(unfiltered.hits).toEqual(['Whoami run @ 0', 'Whoami run @ 1', 'Whoami run @ 2']);
    const tuned = await detect({ 'whoami.yml': WHOAMI + admins + jump });
    expect(tuned.problems).toEqual([]);
    expect(tuned.hits).toEqual(['Whoami run @ 1']);
    expect(tuned.run.filtersApplied).toBe(2);
  });

  it('do not apply where their logsource is not the rule’s, and report a rule that is not loaded', async () => {
    const elsewhere = filter('Linux only', "rules:\n  - whoami_run\nselection:\n  User|startswith: 'CORP\\adm_'\ncondition: selection", 'category: process_creation\n  product: linux');
    const missing = filter('Missing rule', 'rules:\n  - no_such_rule\nselection:\n  Computer: WS1\ncondition: selection');
    const run = await detect({ 'whoami.yml': WHOAMI + elsewhere + missing });
    expect(run.hits).toEqual(['Whoami run @ 0', 'Whoami run @ 1', 'Whoami run @ 2']);
    expect(run.problems).toEqual([
      "sigma-filter-logsource: not applied to rule 'whoami_run' (Whoami run): the filter's product linux is not the rule's (windows)",
      "sigma-filter-unresolved: rule 'no_such_rule' is not loaded, so nothing is filtered for it",
    ]);
    expect(run.run.filtersApplied).toBe(0);
  });

  it('say so when they name a correlation rule, which they do not apply to', () => {
    const content = parseRuleFile(WHOAMI + filter('On a correlation', 'rules:\n  - whoami_burst\nselection:\n  Computer: WS1\ncondition: selection'), 'rules.yml');
    const outcome = applyFilters(content.rules, content.filters, [{ id: '7c1d0e55-3333-4000-8000-000000000001', name: 'whoami_burst' }]);
    expect(outcome.applied).toBe(0);
    expect(outcome.rules).toEqual(content.rules);
    expect(outcome.problems.map((p) => `${p.code}: ${p.detail}`)).toEqual(["sigma-filter-unresolved: 'whoami_burst' is a correlation rule: a filter applies to detection rules (name the rules it correlates)"]);
  });

  it('refuse a filter without a condition or rules, by name, and keep the rest of the file', async () => {
    const noCondition = filter('No condition', 'rules:\n  - whoami_run\nselection:\n  Computer: WS1');
    const noRules = filter('No rules', 'selection:\n  Computer: WS1\ncondition: selection');
    const run = await detect({ 'whoami.yml': WHOAMI + noCondition + noRules });
    expect(run.hits).toEqual(['Whoami run @ 0', 'Whoami run @ 1', 'Whoami run @ 2']);
    expect(run.problems).toEqual(['sigma-rule-invalid: filter: filter has no condition', 'sigma-rule-invalid: filter.rules: Invalid input: expected array, received undefined']);
  });

  it('named alone, tune the shipped rules', async () => {
    // The shipped rule "Local Group Membership Listed with net" (rules/cs-helper), its admin run filtered out.
    const shipped = filter('Admin discovery', "rules:\n  - 408b64d7-80db-51dd-944d-b83d09cddad8\nselection:\n  User|startswith: 'CORP\\adm_'\ncondition: selection");
    const run = await detect({ 'mf_admin_discovery.yml': shipped.replace(/^---\n/, '') });
    expect(run.problems).toEqual([]);
    expect(run.run.rulesLoaded).toBeGreaterThan(400);
    expect(run.run.filtersApplied).toBe(1);
    expect(run.hits.filter((h) => h.startsWith('Local Group Membership'))).toEqual(['Local Group Membership Listed with net @ 4']);
  });
});
