// A numeric column whose name mentions an entity (`srv_diff_host_rate`, `length_hostname`) is a measure
// about that entity, not the entity: it gets no hostname, user, process or domain role from its name.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvImport } from '../../src/components/import/csv.js';
import { inferColumnRole } from '../../src/data/column-roles.js';
import { ComponentHarness, datasetOf } from '../helpers/component-harness.js';

const roleOf = (name: string, samples: readonly string[], sqlType: string | null = null): string | null => inferColumnRole({ name, sqlType, samples }).role;

/** 40 rates between 0 and 1 with many distinct values, as NSL-KDD's *_rate columns hold. */
const RATES = Array.from({ length: 40 }, (_, i) => ((i * 37) % 101 / 100).toFixed(2));
/** 40 lengths, as the phishing dataset's length_hostname holds. */
const LENGTHS = Array.from({ length: 40 }, (_, i) => String(8 + ((i * 13) % 41)));

describe('numeric columns named after an entity', () => {
  it('reads NSL-KDD and phishing measures about hosts as measures, typed or from raw text', () => {
    for (const sqlType of [null, 'DOUBLE']) {
      expect(roleOf('srv_diff_host_rate', RATES, sqlType)).toBe('measure');
      expect(roleOf('dst_host_same_srv_rate', RATES, sqlType)).toBe('measure');
    }
    expect(roleOf('length_hostname', LENGTHS, 'BIGINT')).toBe('measure');
    expect(roleOf('length_hostname', LENGTHS)).toBe('measure');
  });

  it('gives numbers no user, process or domain role from the name either', () => {
    expect(roleOf('login_form', Array.from({ length: 40 }, (_, i) => String(i % 2)), 'BIGINT')).toBe('category');
    expect(roleOf('process_time', RATES, 'DOUBLE')).toBe('measure');
    // The name alone called these domains: numbers pass the loose host-name test (`0.42`, `365`).
    expect(roleOf('domain_age', LENGTHS, 'BIGINT')).toBe('measure');
    expect(roleOf('domain_registration_length', LENGTHS)).toBe('measure');
  });

  it("reads an entity's numeric id as an identifier, not a measure to find outliers in", () => {
    const pids = Array.from({ length: 40 }, (_, i) => String(4000 + i * 12));
    expect(roleOf('ProcessId', pids, 'BIGINT')).toBe('identifier');
    expect(roleOf('user_id', pids)).toBe('identifier');
    // A fraction is no id, whatever the name.
    expect(roleOf('host_id_ratio', RATES, 'DOUBLE')).toBe('measure');
  });

  it('keeps entity columns of text, numeric labels and name-only guesses as before', () => {
    expect(roleOf('hostname', ['ws-0042', 'dc01.corp.example', 'LAPTOP-7Q2'])).toBe('hostname');
    expect(roleOf('user', ['john.smith', 'svc_backup', 'kira.rossi'])).toBe('user');
    expect(roleOf('label', Array.from({ length: 40 }, (_, i) => String(i % 2)), 'BIGINT')).toBe('label');
    expect(roleOf('host', [])).toBe('hostname');
  });

  it('imports an NSL-KDD file with its header without a hostname column', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'cs-helper-nsl-'));
    // The header of NSL-KDD's columns.txt and five rows of KDDTrain+_20Percent.txt (../shared/data/nsl-kdd).
    const header = 'duration,protocol_type,service,flag,src_bytes,dst_bytes,land,wrong_fragment,urgent,hot,num_failed_logins,logged_in,num_compromised,root_shell,su_attempted,num_root,num_file_creations,num_shells,num_access_files,num_outbound_cmds,is_host_login,is_guest_login,count,srv_count,serror_rate,srv_serror_rate,rerror_rate,srv_rerror_rate,same_srv_rate,diff_srv_rate,srv_diff_host_rate,dst_host_count,dst_host_srv_count,dst_host_same_srv_rate,dst_host_diff_srv_rate,dst_host_same_src_port_rate,dst_host_srv_diff_host_rate,dst_host_serror_rate,dst_host_srv_serror_rate,dst_host_rerror_rate,dst_host_srv_rerror_rate,label,difficulty';
    const rows = [
      '0,tcp,ftp_data,SF,491,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,2,2,0.00,0.00,0.00,0.00,1.00,0.00,0.00,150,25,0.17,0.03,0.17,0.00,0.00,0.00,0.05,0.00,normal,20',
      '0,udp,other,SF,146,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,13,1,0.00,0.00,0.00,0.00,0.08,0.15,0.00,255,1,0.00,0.60,0.88,0.00,0.00,0.00,0.00,0.00,normal,15',
      '0,tcp,private,S0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,123,6,1.00,1.00,0.00,0.00,0.05,0.07,0.00,255,26,0.10,0.05,0.00,0.00,1.00,1.00,0.00,0.00,neptune,19',
      '0,tcp,http,SF,232,8153,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,5,5,0.20,0.20,0.00,0.00,1.00,0.00,0.00,30,255,1.00,0.00,0.03,0.04,0.03,0.01,0.00,0.01,normal,21',
      '0,tcp,http,SF,199,420,0,0,0,0,0,1,0,0,0,0,0,0,0,0,0,0,30,32,0.00,0.00,0.00,0.00,1.00,0.00,0.09,255,255,1.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,normal,21',
    ];
    await writeFile(join(folder, 'nsl-kdd.csv'), [header, ...rows].join('\n'));
    const harness = await ComponentHarness.open({ baseDir: folder });
    try {
      const dataset = datasetOf(await harness.run(csvImport, {}, { paths: ['nsl-kdd.csv'] }));
      const roles = Object.fromEntries(dataset.columns.map((c) => [c.name, c.role]));
      expect(dataset.columns.filter((c) => c.role === 'hostname' || c.role === 'user' || c.role === 'process' || c.role === 'domain')).toEqual([]);
      expect(roles['srv_diff_host_rate']).not.toBe('hostname');
      expect(roles['dst_host_srv_diff_host_rate']).not.toBe('hostname');
      expect(roles['label']).toBe('label');
    } finally {
      await harness.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});
