// A plan file's own output_dir may only name a folder inside the folder `cs-helper run` is started from; the command
// line's --output-dir chooses any folder; --export stores the folder so that the plan finds it again.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planOutputFolder, portableOutputDir } from '../../src/cli/plan-output-folder.js';
import { OutputFolderError } from '../../src/model/errors/output-folder-error.js';

const here = join('/', 'work', 'case');

function refusal(outputDir: string): OutputFolderError {
  try {
    planOutputFolder({ output_dir: outputDir }, { planFile: 'plans/p.json', workingFolder: here });
  } catch (error) {
    if (error instanceof OutputFolderError) return error;
    throw error;
  }
  throw new Error(`output_dir '${outputDir}' was accepted`);
}

describe('planOutputFolder', () => {
  it('reads a relative output_dir from the working folder', () => {
    expect(planOutputFolder({ output_dir: 'output' }, { planFile: 'p.json', workingFolder: here })).toBe(join(here, 'output'));
    expect(planOutputFolder({ output_dir: 'a/../b' }, { planFile: 'p.json', workingFolder: here })).toBe(join(here, 'b'));
    expect(planOutputFolder({ output_dir: '.' }, { planFile: 'p.json', workingFolder: here })).toBe(here);
    expect(planOutputFolder({ output_dir: '..notes' }, { planFile: 'p.json', workingFolder: here })).toBe(join(here, '..notes'));
  });

  it.each(['../../tmp/escape', '..', 'out/../../elsewhere'])('refuses %s, which climbs out, naming the plan file and the field', (outputDir) => {
    const error = refusal(outputDir);
    expect(error.problem).toBe('outside-working-folder');
    expect(error.message).toBe(`plans/p.json: output_dir '${outputDir}' leaves the folder the plan is run from (${here})`);
    expect(error.hint).toContain('cs-helper run plans/p.json --output-dir DIR');
  });

  it('refuses an absolute output_dir, even one inside the working folder', () => {
    expect(refusal('/tmp/escape').message).toContain("plans/p.json: output_dir '/tmp/escape' is an absolute path");
    expect(refusal(join(here, 'output')).problem).toBe('outside-working-folder');
  });

  it('takes --output-dir from the command line as given, relative to the working folder', () => {
    expect(planOutputFolder({ output_dir: '../../tmp/escape' }, { planFile: 'p.json', explicit: '/srv/results', workingFolder: here })).toBe('/srv/results');
    expect(planOutputFolder({ output_dir: '/etc' }, { planFile: 'p.json', explicit: '../shared', workingFolder: here })).toBe(join('/', 'work', 'shared'));
  });
});

describe('portableOutputDir', () => {
  it('stores an output folder inside the planning folder relative to it', () => {
    expect(portableOutputDir({ base_dir: here, output_dir: 'output' })).toEqual({ outputDir: 'output', inside: true });
    expect(portableOutputDir({ base_dir: here, output_dir: join(here, 'runs', 'monday') })).toEqual({ outputDir: join('runs', 'monday'), inside: true });
    expect(portableOutputDir({ base_dir: here, output_dir: here })).toEqual({ outputDir: '.', inside: true });
  });

  it('keeps one outside it absolute, for `run` to refuse without --output-dir', () => {
    expect(portableOutputDir({ base_dir: here, output_dir: '../other' })).toEqual({ outputDir: join('/', 'work', 'other'), inside: false });
    expect(portableOutputDir({ base_dir: here, output_dir: '/tmp/out' })).toEqual({ outputDir: '/tmp/out', inside: false });
  });
});
