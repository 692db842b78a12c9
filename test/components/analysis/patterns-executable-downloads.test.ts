// Executable downloads in HTTP logs: the real Trickbot capture's Zeek http.log (trickbot-http-slice.log, imported by
// import.log, so the MIME types are Zeek's sets as lists), and a proxy CSV's content_type column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logImport } from '../../../src/components/import/log.js';
import { FINDING_HEURISTICS } from '../../../src/intel/attack/finding-heuristics.js';
import { ComponentHarness, datasetOf } from '../../helpers/component-harness.js';
import { ANALYSIS_FIXTURES, findingsWith, labelsOf, runPatterns } from './pattern-fixtures.js';

describe('analysis.patterns executable downloads', () => {
  let harness: ComponentHarness;
  beforeAll(async () => {
    harness = await ComponentHarness.open({ baseDir: ANALYSIS_FIXTURES });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('finds the PEs Trickbot fetched under .png and made-up names, and the one .exe, in the real Zeek http.log', async () => {
    const http = datasetOf(await harness.run(logImport, {}, { paths: ['trickbot-http-slice.log'] }));
    expect(http.rowCount).toBe(208);
    expect(http.columns.find((c) => c.name === 'resp_mime_types')?.sqlType).toBe('VARCHAR[]');
    const output = await runPatterns(harness, http, { detectors: ['executable_downloads'] });
    expect(output.summary?.['executable_downloads']).toBe(7);
    expect(output.summary?.['downloads']).toEqual([
      { host: '51.68.170.59', path: '/radiance.png', mime: 'application/x-dosexec', extension: 'png', transport: null, disguised: true, rows: 8 },
      { host: '192.227.186.151', path: '/radiance.png', mime: 'application/x-dosexec', extension: 'png', transport: null, disguised: true, rows: 2 },
      { host: '192.227.186.151', path: '/table.png', mime: 'application/x-dosexec', extension: 'png', transport: null, disguised: true, rows: 2 },
      { host: '51.68.170.59', path: '/table.png', mime: 'application/x-dosexec', extension: 'png', transport: null, disguised: true, rows: 3 },
      { host: '51.68.170.59', path: '/worming.png', mime: 'application/x-dosexec', extension: 'png', transport: null, disguised: true, rows: 3 },
      { host: 'aseprom.com', path: '/sun.sets', mime: 'application/x-dosexec', extension: 'sets', transport: null, disguised: true, rows: 1 },
      { host: '92.38.163.10', path: '/MailLogers.exe', mime: 'application/x-dosexec', extension: 'exe', transport: null, disguised: false, rows: 1 },
    ].sort((a, b) => Number(b.disguised) - Number(a.disguised) || b.rows - a.rows || a.host.localeCompare(b.host) || a.path.localeCompare(b.path)));
    expect(await labelsOf(harness, output)).toEqual(['disguised-executable:uri', 'executable-download:resp_mime_types']);
    const disguised = await findingsWith(harness, output, 'disguised-executable:uri');
    expect(disguised).toHaveLength(19);
    expect(disguised.every((f) => f.score === 35)).toBe(true);
    const plain = await findingsWith(harness, output, 'executable-download:resp_mime_types');
    expect(plain.map((f) => [f.score, f.entity, f.evidence])).toEqual([[20, '92.38.163.10', { mime: 'application/x-dosexec', path: '/MailLogers.exe', extension: 'exe', host: '92.38.163.10', transport: null, disguised: false }]]);
    // The flagged rows are exactly those whose response Zeek typed as a PE.
    const pe = await harness.sql.all(`SELECT rowid AS row_id FROM ${http.table} WHERE list_contains(resp_mime_types, 'application/x-dosexec') ORDER BY rowid`);
    expect([...disguised, ...plain].map((f) => Number(f.row_id)).sort((a, b) => a - b)).toEqual(pe.map((r) => Number(r['row_id'])));
    expect(FINDING_HEURISTICS).toContainEqual(expect.objectContaining({ pattern: 'disguised-executable', technique: 'T1036.008' }));
  });

  it('tells the PEs Trickbot copied over SMB from those it downloaded, in the real Zeek files.log', async () => {
    const files = datasetOf(await harness.run(logImport, {}, { paths: ['trickbot-files-slice.log'] }));
    expect(files.rowCount).toBe(161);
    const output = await runPatterns(harness, files, { detectors: ['executable_downloads'] });
    expect(await labelsOf(harness, output)).toEqual(['executable-download:mime_type', 'smb-executable:mime_type']);
    const smb = await findingsWith(harness, output, 'smb-executable:mime_type');
    // Written to the WINDOWS folder of a share under random names: the worm module spreading (the path as Zeek writes it).
    expect(smb.map((f) => [f.score, (f.evidence as { path: string; transport: string }).path, (f.evidence as { transport: string }).transport]).sort()).toEqual([
      [35, '\\\\WINDOWS\\\\44783m8uh77g8l8_nkubyhu5vfxxbh878xo6hlttkppzf28tsdu5kwppk_11c1jl.exe', 'SMB'],
      [35, '\\\\WINDOWS\\\\lgwgf4lrucfcaa_vo6bqb08eo1nja1f4d_h2dnradrkw11hvguuphvk__7sg7rwb.exe', 'SMB'],
    ]);
    const downloads = await findingsWith(harness, output, 'executable-download:mime_type');
    expect(downloads).toHaveLength(20);
    expect(downloads.every((f) => f.score === 20 && (f.evidence as { transport: string }).transport === 'HTTP')).toBe(true);
    const listed = output.summary?.['downloads'] as { transport: string; rows: number }[];
    expect(listed.slice(0, 2).map((d) => d.transport)).toEqual(['SMB', 'SMB']);
    expect(FINDING_HEURISTICS).toContainEqual(expect.objectContaining({ pattern: 'smb-executable', technique: 'T1570' }));
  });

  it('reads a proxy CSV content_type: a program under its own name, with no extension, or behind a document name', async () => {
    const proxy = await harness.table(
      'proxy',
      `SELECT * FROM (VALUES
         ('10.0.0.5', 'updates.example.com', '/setup/setup.exe', 'application/x-msdownload'),
         ('10.0.0.5', 'files.example.net', '/download?id=42', 'application/octet-stream; application/vnd.microsoft.portable-executable'),
         ('10.0.0.6', 'mail.example.org', '/attachments/invoice.pdf?x=1', 'application/x-msdownload'),
         ('10.0.0.6', 'docs.example.org', '/invoice.pdf', 'application/pdf'),
         ('10.0.0.7', 'cdn.example.com', '/app.js', 'application/javascript')) AS t(src_ip, host, url_path, content_type)`,
    );
    const output = await runPatterns(harness, proxy, { detectors: ['executable_downloads'] });
    expect(output.summary?.['downloads']).toEqual([
      { host: 'mail.example.org', path: '/attachments/invoice.pdf?x=1', mime: 'application/x-msdownload', extension: 'pdf', transport: null, disguised: true, rows: 1 },
      { host: 'files.example.net', path: '/download?id=42', mime: 'application/octet-stream; application/vnd.microsoft.portable-executable', extension: null, transport: null, disguised: false, rows: 1 },
      { host: 'updates.example.com', path: '/setup/setup.exe', mime: 'application/x-msdownload', extension: 'exe', transport: null, disguised: false, rows: 1 },
    ]);
    expect(await labelsOf(harness, output)).toEqual(['disguised-executable:url_path', 'executable-download:content_type']);
  });

  it('finds nothing without a MIME column, nor when no response is a program', async () => {
    const noMime = await harness.table('no_mime', `SELECT '10.0.0.5' AS src_ip, '/radiance.png' AS path`);
    expect((await runPatterns(harness, noMime, { detectors: ['executable_downloads'] })).summary?.['executable_downloads']).toBe(0);
    const images = await harness.table('images', `SELECT '/radiance.png' AS path, 'image/png' AS content_type`);
    expect((await runPatterns(harness, images, { detectors: ['executable_downloads'] })).summary?.['executable_downloads']).toBe(0);
  });
});
