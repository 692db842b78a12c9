// import.log on Amazon S3 server access logs: the access-log columns (so web analysis reads S3 requests) and S3's own,
// `-` as no value, times in UTC, the odd line kept and named; the planner's view; CS Helper's S3 rules on it.
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

const FIXTURE = fileURLToPath(new URL('../../fixtures/import/s3-access-sample.log', import.meta.url));

let harness: ComponentHarness;
let output: ComponentOutput;
let dataset: DatasetHandle;
let rows: Record<string, unknown>[];

beforeAll(async () => {
  harness = await ComponentHarness.open();
  output = await harness.run(logImport, {}, { paths: [FIXTURE] });
  dataset = datasetOf(output);
  rows = await harness.rows(dataset.table);
}, 60_000);

afterAll(async () => {
  await harness.close();
});

describe('import.log: Amazon S3 server access logs', () => {
  it('reads the format from the first line; the access-log columns first, then S3 own; the odd line named', () => {
    expect(output.summary).toEqual(expect.objectContaining({ format: 's3', unparsed_lines: 1, partial_lines: 0, first_unparsed_lines: [`${FIXTURE}:6`] }));
    expect(dataset.rowCount).toBe(6);
    expect(dataset.columns.map((c) => c.name).slice(0, 12)).toEqual(['client_ip', 'user', 'timestamp', 'method', 'path', 'protocol', 'status', 'bytes', 'referrer', 'user_agent', 'bucket_owner', 'bucket']);
    expect(dataset.columns.find((c) => c.name === 'client_ip')?.role).toBe('ip');
    // The bucket owner is a canonical user id (64 hex digits), not a SHA-256 to match hash indicators with.
    expect(dataset.columns.find((c) => c.name === 'bucket_owner')?.role).toBe('user');
    expect(rows[5]).toEqual(expect.objectContaining({ client_ip: null, raw: 'this line is not an S3 access log record' }));
  });

  it('splits each request into its fields, with - as no value', () => {
    const pick = (r: Record<string, unknown>): unknown[] => [r['client_ip'], r['user'], String(r['timestamp']), r['method'], r['path'], r['status'], r['operation'], r['key'], r['error_code'], r['object_size'], r['user_agent']];
    expect(rows.slice(0, 5).map(pick)).toEqual([
      ['203.0.113.7', null, '2022-02-18T10:00:01.000Z', 'GET', '/', 200, 'REST.GET.BUCKET', null, null, null, 's3scanner/2.0.2'],
      ['198.51.100.20', null, '2022-02-18T10:00:03.000Z', 'GET', '/secret/passwords.txt', 200, 'REST.GET.OBJECT', 'secret/passwords.txt', null, 52, 'curl/7.68.0'],
      ['198.51.100.20', null, '2022-02-18T10:00:05.000Z', 'PUT', '/hello.txt', 403, 'REST.PUT.OBJECT', 'hello.txt', 'AccessDenied', 12, 'aws-cli/2.4.18 Python/3.8.8'],
      ['192.0.2.3', 'arn:aws:iam::123456789012:user/alice', '2022-02-18T10:00:07.000Z', 'GET', '/index.html', 200, 'REST.GET.OBJECT', 'index.html', null, 512, 'aws-sdk-go/1.44'],
      ['192.0.2.3', 'arn:aws:iam::123456789012:user/alice', '2022-02-18T10:00:09.000Z', null, null, 204, 'BATCH.DELETE.OBJECT', 'old.txt', null, null, null],
    ]);
    // A request line of "-" is no failure to read: the batch delete has no raw text.
    expect(rows[4]?.['raw']).toBeNull();
    expect([rows[0]?.['bucket'], rows[0]?.['tls_version'], rows[1]?.['tls_version']]).toEqual(['microsoft-devtest', 'TLSv1.2', null]);
  });
});

describe('the planner and the rules on an S3 access log', () => {
  it('profiles it as an S3 access log, and hunting in it runs the Sigma rules', async () => {
    const profile = await profileFile(FIXTURE);
    expect(profile.kind).toBe('s3-access-log');
    expect(profile.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['client_ip', 'bucket', 'operation', 'error_code']));
    const wanted = deriveRequirements([{ intent: 'threat_hunting', score: 0.9, evidence: [] }], [], [profile]).find((r) => r.capability === 'sigma-detection');
    expect(wanted?.wantedBy).toBe(`file:${FIXTURE} (an Amazon S3 server access log)`);
  });

  it("CS Helper's S3 rules fire on the anonymous and scanning requests, not on the authenticated ones; no webserver rule applies", async () => {
    const sigma = await harness.run(sigmaAnalysis, { datasets: [dataset] }, {});
    const found = await harness.sql.all(`SELECT row_id, detail->>'title' AS title FROM ${quoteIdent(findingsOf(sigma).table)} ORDER BY row_id, title`);
    expect(found.map((r) => [Number(r['row_id']), plainText(r['title'])])).toEqual([
      [0, 'S3 Bucket Listed without Credentials'],
      [0, 'S3 Bucket Scanner User Agent'],
      [1, 'S3 Object Read without Credentials'],
      [2, 'S3 Bucket Probed: Missing or Denied'],
      [2, 'S3 Write Attempted without Credentials'],
    ]);
    expect(sigma.summary?.['rules_applied']).toBe(5);
  });
});
