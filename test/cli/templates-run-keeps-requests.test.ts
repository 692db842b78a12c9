// `templates run`: a template keeps what it was saved with (feeds, Sigma rules, schema, validation rules), its relative
// paths read from the folder it was saved in; a missing file is refused before anything runs; Zeek templates run on
// Zeek logs; saving over a name says what it replaced.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuiltInRegistry } from '../../src/components/built-ins.js';
import { templateSavedMessage } from '../../src/cli/template-saved-message.js';
import { rebindTemplate } from '../../src/cli/rebind-template.js';
import { InputFileError } from '../../src/model/errors/input-file-error.js';
import { PlanError } from '../../src/model/errors/plan-error.js';
import type { WorkflowPlan } from '../../src/model/workflow-plan.js';
import { validatePlan } from '../../src/planner/load-plan.js';
import { planWorkflow } from '../../src/planner/plan-workflow.js';
import { StateDatabase } from '../../src/state/state-database.js';
import { Templates } from '../../src/state/templates.js';
import { FIXTURES_DIR } from '../helpers/component-harness.js';

const registry = createBuiltInRegistry();
const FIXTURES = join(FIXTURES_DIR, '..');

describe('templates run', () => {
  let dir: string;
  let savedIn: string;
  let runFrom: string;
  let state: StateDatabase;
  let templates: Templates;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cs-helper-template-requests-'));
    savedIn = join(dir, 'a');
    runFrom = join(dir, 'b');
    await mkdir(savedIn);
    await mkdir(runFrom);
    await copyFile(join(FIXTURES_DIR, 'firewall.csv'), join(savedIn, 't.csv'));
    await copyFile(join(FIXTURES_DIR, 'firewall-day2.csv'), join(runFrom, 'tuesday.csv'));
    await copyFile(join(FIXTURES_DIR, 'soc-blocklist.txt'), join(savedIn, 'feed.txt'));
    await copyFile(join(FIXTURES, 'sigma', 'unit', 'aggregation.yml'), join(savedIn, 'myrule.yml'));
    await copyFile(join(FIXTURES, 'validation', 'firewall-event.schema.json'), join(savedIn, 'schema.json'));
    await copyFile(join(FIXTURES, 'validation', 'firewall-rules.yaml'), join(savedIn, 'rules.yaml'));
    state = StateDatabase.open({ home: join(dir, 'home') });
    templates = new Templates(state);
  });
  afterEach(async () => {
    state.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Saved as `dynamic-workflow ... --save-template` saves it, read back as `templates run` reads it. */
  function saveAndLoad(name: string, plan: WorkflowPlan): WorkflowPlan {
    templates.save(name, plan);
    return validatePlan(JSON.parse(templates.get(name).planJson), registry, `template ${name}`);
  }

  const params = (plan: WorkflowPlan, component: string): Record<string, unknown> | undefined => plan.nodes.find((n) => n.component === component)?.params;

  it('keeps the rules, schema, validation rules and feeds it was saved with, read from the folder it was saved in', async () => {
    const planned = await planWorkflow(
      { problem: 'Analyze this CSV for security threats', inputFiles: ['t.csv'], outputs: ['findings', 'violations'], baseDir: savedIn, feeds: ['feed.txt'], sigmaRules: ['myrule.yml'], schema: 'schema.json', validationRules: 'rules.yaml' },
      registry,
    );
    const template = saveAndLoad('ruletpl', planned);

    const plan = await rebindTemplate(template, registry, { name: 'ruletpl', inputFiles: ['tuesday.csv'], outputDir: 'output', baseDir: runFrom });

    expect(params(plan, 'analysis.sigma')?.['rules']).toEqual([join(savedIn, 'myrule.yml')]);
    expect(params(plan, 'validation.schema')?.['schema']).toBe(join(savedIn, 'schema.json'));
    expect(params(plan, 'validation.rules')?.['rules']).toBe(join(savedIn, 'rules.yaml'));
    expect(params(plan, 'intel.ioc-match')?.['feeds']).toEqual([join(savedIn, 'feed.txt')]);
    // Bound to the new file, planned from the other folder.
    expect(params(plan, 'import.csv')?.['paths']).toEqual(['tuesday.csv']);
    expect(plan.base_dir).toBe(runFrom);
    // The same steps as the template, and the requirements the requests make.
    expect(plan.nodes.map((n) => n.component)).toEqual(template.nodes.map((n) => n.component));
    expect(plan.profile.requirements).toEqual(expect.arrayContaining(['sigma-detection', 'schema-validation']));
  });

  it('reads a feed the problem names from the folder it was saved in too, once', async () => {
    const planned = await planWorkflow({ problem: 'Analyze this CSV for security threats and match against feed.txt', inputFiles: ['t.csv'], outputs: ['findings'], baseDir: savedIn }, registry);
    expect(params(planned, 'intel.ioc-match')?.['feeds']).toEqual(['feed.txt']);
    const template = saveAndLoad('namedfeed', planned);

    const plan = await rebindTemplate(template, registry, { name: 'namedfeed', inputFiles: ['tuesday.csv'], outputDir: 'output', baseDir: runFrom });
    expect(params(plan, 'intel.ioc-match')?.['feeds']).toEqual([join(savedIn, 'feed.txt')]);
  });

  it('refuses a template whose feed file is gone before anything is read, naming the file and the option', async () => {
    const planned = await planWorkflow({ problem: 'Analyze this CSV for security threats', inputFiles: ['t.csv'], outputs: ['findings'], baseDir: savedIn, feeds: ['feed.txt'] }, registry);
    const template = saveAndLoad('feedtpl', planned);
    await rm(join(savedIn, 'feed.txt'));

    const refused = rebindTemplate(template, registry, { name: 'feedtpl', inputFiles: ['tuesday.csv'], outputDir: 'output', baseDir: runFrom });
    await expect(refused).rejects.toThrow(InputFileError);
    await expect(refused).rejects.toThrow(`${join(savedIn, 'feed.txt')}: template 'feedtpl' names this --feeds file, which does not exist`);
  });

  it('runs a template made on a Zeek log on that Zeek log, and refuses a CSV naming both kinds', async () => {
    await copyFile(join(FIXTURES, 'analysis', 'trickbot-conn-slice.log'), join(savedIn, 'conn.log'));
    const planned = await planWorkflow({ problem: 'Hunt for threats in this Zeek log', inputFiles: ['conn.log'], outputs: ['findings'], baseDir: savedIn }, registry);
    const template = saveAndLoad('zeektpl', planned);
    expect(template.nodes.find((n) => n.type === 'DATA_IMPORT')?.component).toBe('import.log');

    const plan = await rebindTemplate(template, registry, { name: 'zeektpl', inputFiles: ['conn.log'], outputDir: 'output', baseDir: savedIn });
    expect(params(plan, 'import.log')).toMatchObject({ paths: ['conn.log'], format: 'zeek' });

    const csv = rebindTemplate(template, registry, { name: 'zeektpl', inputFiles: ['tuesday.csv'], outputDir: 'output', baseDir: runFrom });
    await expect(csv).rejects.toThrow(PlanError);
    await expect(csv).rejects.toThrow('the template was made for zeek files read by import.log, and these are csv files, read by import.csv');
  });

  it('says which template a save replaced, and deletes one', async () => {
    const first = await planWorkflow({ problem: 'Analyze this CSV for security threats', inputFiles: ['t.csv'], outputs: ['findings'], baseDir: savedIn }, registry);
    const second = await planWorkflow({ problem: 'Process logs for compliance', inputFiles: ['t.csv'], outputs: ['findings'], baseDir: savedIn }, registry);
    const none = templates.save('triage', first);
    expect(templateSavedMessage('triage', none)).toBe("Saved as template 'triage': run it on other files with `cs-helper templates run triage --input-files ...`");
    const replaced = templates.save('triage', second);
    expect(templateSavedMessage('triage', replaced)).toMatch(/^Replaced template 'triage' \(was: Analyze this CSV for security threats\): /);
    expect(templates.remove('triage')).toBe(true);
    expect(() => templates.get('triage')).toThrow("no template named 'triage'");
  });
});
