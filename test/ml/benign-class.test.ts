import { describe, expect, it } from 'vitest';
import { isBenignClass, threatClasses } from '../../src/ml/benign-class.js';

describe('threat classes of a label', () => {
  it('reads the usual harmless class names, whatever their case and spaces', () => {
    for (const name of ['normal', 'Normal', ' BENIGN ', 'legitimate', '0', 'false', 'clean']) expect(isBenignClass(name)).toBe(true);
    for (const name of ['attack', 'Exploits', 'phishing', '1', 'neptune', 'abnormal', 'not normal']) expect(isBenignClass(name)).toBe(false);
  });

  it('makes every other class a threat when the label has a harmless one, and none when it has not', () => {
    expect(threatClasses(['Normal', 'Exploits', 'DoS', 'Fuzzers', 'DoS'])).toEqual(['DoS', 'Exploits', 'Fuzzers']);
    expect(threatClasses(['0', '1'])).toEqual(['1']);
    expect(threatClasses(['legitimate', 'phishing'])).toEqual(['phishing']);
    expect(threatClasses(['tcp', 'udp', 'icmp'])).toEqual([]);
    expect(threatClasses(['normal'])).toEqual([]);
  });
});
