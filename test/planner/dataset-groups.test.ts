// How the input is split into datasets: by kind and shape, worksheets of a workbook by their columns, slugs unique and
// plain; on profiles written out here, so each rule is seen on its own.
import { describe, expect, it } from 'vitest';
import type { FileKind, FileProfile, SheetProfile } from '../../src/model/file-profile.js';
import { datasetGroups } from '../../src/planner/dataset-groups.js';
import { columnProfile, finishProfile, schemaFingerprint } from '../../src/planner/file-detector.js';

function file(path: string, kind: FileKind, names: readonly string[], options: { rows?: number; bytes?: number; notes?: string[]; sheets?: SheetProfile[] } = {}): FileProfile {
  const columns = names.map((n) => columnProfile(n, []));
  return finishProfile({ path, kind, bytes: options.bytes ?? 1000, encoding: 'utf-8', delimiter: kind === 'csv' ? ',' : null, has_header: true, columns, estimated_rows: options.rows ?? 10, notes: options.notes ?? [], ...(options.sheets === undefined ? {} : { sheets: options.sheets }) });
}

function sheet(name: string, names: readonly string[], rows: number): SheetProfile {
  const columns = names.map((n) => columnProfile(n, []));
  return { name, has_header: true, columns, estimated_rows: rows, schema_fingerprint: schemaFingerprint('xlsx', columns) };
}

function book(path: string, sheets: SheetProfile[], bytes = 9000): FileProfile {
  const [first] = sheets;
  return file(path, 'xlsx', first?.columns.map((c) => c.name) ?? [], { rows: first?.estimated_rows ?? 0, bytes, sheets });
}

const ALERTS = ['time', 'src_ip', 'dst_ip'];
const ASSETS = ['hostname', 'ip', 'owner'];

describe('datasetGroups', () => {
  it('stacks files whose columns agree without regard to order or case, JSON and JSON Lines alike', () => {
    const groups = datasetGroups([file('a.csv', 'csv', ['Time', 'src_ip']), file('b.csv', 'csv', ['src_ip', 'time'])]);
    expect(groups.map((g) => [g.slug, g.files.map((f) => f.path)])).toEqual([['', ['a.csv', 'b.csv']]]);
    expect(datasetGroups([file('a.json', 'json', ALERTS), file('b.jsonl', 'jsonl', ALERTS)])).toHaveLength(1);
  });

  it('stacks files of one kind whose columns mostly agree (a later export gained or lost a column), not those that share little', () => {
    const month = ['time', 'src_ip', 'dst_ip', 'dst_port', 'action', 'bytes', 'user', 'host', 'rule'];
    const later = [...month, 'country'];
    const groups = datasetGroups([file('jan.csv', 'csv', month), file('feb.csv', 'csv', later), file('mar.csv', 'csv', month.slice(1))]);
    expect(groups.map((g) => [g.slug, g.files.map((f) => f.path)])).toEqual([['', ['jan.csv', 'feb.csv', 'mar.csv']]]);
    // Three of five columns shared (0.6): two datasets.
    expect(datasetGroups([file('a.csv', 'csv', ['time', 'src_ip', 'dst_ip', 'alert']), file('b.csv', 'csv', ['time', 'src_ip', 'dst_ip', 'owner'])])).toHaveLength(2);
  });

  it('keeps Windows event JSON files together whatever fields their events carry', () => {
    const notes = ['Windows event JSON: System and EventData fields as columns'];
    const groups = datasetGroups([file('sysmon.json', 'json', ['EventID', 'Image'], { notes }), file('security.json', 'json', ['EventID', 'TargetUserName'], { notes })]);
    expect(groups).toHaveLength(1);
  });

  it('splits files of other columns or kinds into datasets named after the files, with their own sizes', () => {
    const groups = datasetGroups([file('fw/Alerts 2024.csv', 'csv', ALERTS, { rows: 100, bytes: 5000 }), file('assets.csv', 'csv', ASSETS, { rows: 3, bytes: 90 }), file('conn.log', 'zeek', ['ts', 'uid'], { notes: ['Zeek conn log'] })]);
    expect(groups.map((g) => [g.slug, g.kind, g.size])).toEqual([
      ['alerts_2024', 'csv', { rows: 100, bytes: 5000, columns: 3 }],
      ['assets', 'csv', { rows: 3, bytes: 90, columns: 3 }],
      ['conn', 'zeek', { rows: 10, bytes: 1000, columns: 2 }],
    ]);
  });

  it('gives each shape of worksheet its own dataset, leaving out sheets with no rows, with bytes shared by rows', () => {
    const groups = datasetGroups([book('soc.xlsx', [sheet('Alerts', ALERTS, 30), sheet('Cover', ['Title'], 0), sheet('Assets', ASSETS, 10), sheet('Alerts (old)', ALERTS, 20)], 6000)]);
    expect(groups.map((g) => [g.slug, g.sheets, g.size])).toEqual([
      ['alerts', ['Alerts', 'Alerts (old)'], { rows: 50, bytes: 5000, columns: 3 }],
      ['assets', ['Assets'], { rows: 10, bytes: 1000, columns: 3 }],
    ]);
  });

  it('leaves the choice to the import for one dataset, unless the import would take another sheet first', () => {
    expect(datasetGroups([book('m.xlsx', [sheet('March', ALERTS, 5), sheet('April', ALERTS, 2)])]).map((g) => [g.slug, g.sheets, g.sheetNames, g.size.rows])).toEqual([['', null, ['March', 'April'], 5]]);
    // A cover sheet first: the import would take it as the one to read, so the plan names the data sheet.
    expect(datasetGroups([book('c.xlsx', [sheet('Cover', ['Title'], 0), sheet('Data', ALERTS, 5)])]).map((g) => g.sheets)).toEqual([['Data']]);
  });

  it('keeps only the worksheets named, in the order named, matching their case as the workbook spells them', () => {
    const soc = book('soc.xlsx', [sheet('Alerts', ALERTS, 30), sheet('Assets', ASSETS, 10)]);
    expect(datasetGroups([soc], { sheets: ['assets'] }).map((g) => [g.slug, g.sheets])).toEqual([['', ['Assets']]]);
    expect(datasetGroups([soc], { sheets: ['Assets', 'Alerts'] }).map((g) => [g.slug, g.sheets])).toEqual([['assets', ['Assets']], ['alerts', ['Alerts']]]);
  });

  it('gives workbooks that name same-shaped sheets differently their own datasets, and unique slugs', () => {
    const groups = datasetGroups([book('july.xlsx', [sheet('Sheet1', ALERTS, 4)]), book('august.xlsx', [sheet('Sheet1', ALERTS, 4)]), book('other.xlsx', [sheet('Sheet1', ASSETS, 4)]), book('more.xlsx', [sheet('Data', ALERTS, 4)])]);
    expect(groups.map((g) => [g.slug, g.files.map((f) => f.path), g.sheets])).toEqual([
      ['sheet1', ['july.xlsx', 'august.xlsx'], ['Sheet1']],
      ['data', ['more.xlsx'], ['Data']],
      ['other_sheet1', ['other.xlsx'], ['Sheet1']],
    ]);
  });

  it('makes plain, bounded, unique slugs from any name', () => {
    const groups = datasetGroups([file('Ünïcode Export (final).csv', 'csv', ['a']), file('ünïcode-export-final.csv', 'csv', ['b']), file('---.csv', 'csv', ['c']), file(`${'x'.repeat(60)}.csv`, 'csv', ['d'])]);
    const slugs = groups.map((g) => g.slug);
    expect(slugs).toEqual(['n_code_export_final', 'n_code_export_final_2', 'data', 'x'.repeat(24)]);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9][a-z0-9_]{0,23}$/);
  });
});
