import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ATTACK_CATALOGUE_PATH, shippedAttackCatalogue } from '../../../src/intel/attack/attack-catalogue.js';
import { normaliseTechniqueId, techniqueIdsInText } from '../../../src/intel/attack/technique-id.js';
import { techniqueReport } from '../../../src/intel/attack/technique-report.js';
import { UnknownTechniqueError } from '../../../src/intel/attack/unknown-technique-error.js';

describe('the shipped ATT&CK catalogue', () => {
  const catalogue = shippedAttackCatalogue();

  it('holds every Enterprise v18.1 technique, revoked and deprecated ones flagged, and the 14 tactics in matrix order', () => {
    const all = [...catalogue.techniques()];
    expect(all).toHaveLength(835);
    expect(all.filter((t) => t.status === 'active')).toHaveLength(691);
    expect(all.filter((t) => t.status === 'revoked')).toHaveLength(132);
    expect(all.filter((t) => t.status === 'deprecated')).toHaveLength(12);
    expect(catalogue.attackVersion).toBe('18.1');
    expect(catalogue.tactics.map((t) => t.id)).toEqual(['TA0043', 'TA0042', 'TA0001', 'TA0002', 'TA0003', 'TA0004', 'TA0005', 'TA0006', 'TA0007', 'TA0008', 'TA0009', 'TA0011', 'TA0010', 'TA0040']);
    // Small enough to parse in a few ms: the detection text lives in a second file read only by `attack show`.
    expect(statSync(ATTACK_CATALOGUE_PATH).size).toBeLessThan(160_000);
  });

  it('looks up a sub-technique in any case, with its parent and tactic', () => {
    const technique = catalogue.technique('t1059.001');
    expect(technique?.name).toBe('PowerShell');
    expect(technique?.tactics).toEqual(['execution']);
    expect(technique?.status).toBe('active');
    expect(technique === undefined ? undefined : catalogue.parentOf(technique)?.name).toBe('Command and Scripting Interpreter');
    expect(catalogue.technique('attack.T1110')?.name).toBe('Brute Force');
    expect(catalogue.technique('T9999')).toBeUndefined();
  });

  it('reports a revoked id as revoked, with the active technique that replaced it', () => {
    const report = techniqueReport(catalogue, 'T1004');
    expect(report.status).toBe('revoked');
    expect(report.name).toBe('Winlogon Helper DLL');
    expect(report.replaced_by).toEqual([{ id: 'T1547.004', name: 'Winlogon Helper DLL' }]);
    expect(report.replacement_basis).toBe('same-name');
  });

  it('reports a deprecated id with the successors its deprecation note names, and a revoked one without a known successor as such', () => {
    const deprecated = techniqueReport(catalogue, 'T1043');
    expect(deprecated.status).toBe('deprecated');
    expect(deprecated.replaced_by).toEqual([{ id: 'T1571', name: 'Non-Standard Port' }]);
    expect(deprecated.replacement_basis).toBe('deprecation-note');
    const orphan = techniqueReport(catalogue, 'T1002');
    expect(orphan.status).toBe('revoked');
    expect(orphan.replaced_by).toEqual([]);
  });

  it('reports detection text and data sources from v17.1, without citation markers', () => {
    const report = techniqueReport(catalogue, 'T1059.001');
    expect(report.tactics).toEqual([{ id: 'TA0002', name: 'Execution', shortname: 'execution' }]);
    expect(report.parent).toEqual({ id: 'T1059', name: 'Command and Scripting Interpreter' });
    expect(report.platforms).toEqual(['Windows']);
    expect(report.detection.startsWith('If proper execution policy is set')).toBe(true);
    expect(report.detection).not.toContain('(Citation:');
    expect(report.data_sources).toContain('Script: Script Execution');
    expect(report.url).toBe('https://attack.mitre.org/techniques/T1059/001');
  });

  it('refuses malformed and unknown ids with a code and a hint', () => {
    expect(() => techniqueReport(catalogue, 'T9999')).toThrow(UnknownTechniqueError);
    expect(() => techniqueReport(catalogue, 'T9999')).toThrow('technique T9999 is not in the ATT&CK Enterprise v18.1 catalogue');
    try {
      techniqueReport(catalogue, 'powershell');
      expect.fail('a malformed id was accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(UnknownTechniqueError);
      expect((error as UnknownTechniqueError).code).toBe('attack-id-malformed');
      expect((error as UnknownTechniqueError).hint).toBe('a technique id looks like T1059 or T1059.001');
    }
  });
});

describe('technique ids in text', () => {
  it('normalises ids and Sigma tags, and rejects near misses', () => {
    expect(normaliseTechniqueId(' attack.t1059.001 ')).toBe('T1059.001');
    expect(normaliseTechniqueId('T1059')).toBe('T1059');
    expect(normaliseTechniqueId('T10590')).toBeNull();
    expect(normaliseTechniqueId('attack.execution')).toBeNull();
  });

  it('finds word-bounded ids once each, in order', () => {
    expect(techniqueIdsInText('alert (T1003.001) after t1110; T1003.001 again, not T12345 nor xT1059')).toEqual(['T1003.001', 'T1110']);
  });
});
