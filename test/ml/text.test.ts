import { describe, expect, it } from 'vitest';
import { naiveBayesProbabilities, trainNaiveBayes } from '../../src/ml/text/naive-bayes.js';
import { fitTfidf, termIndex, tfidfRow } from '../../src/ml/text/tfidf.js';
import { tokenize } from '../../src/ml/text/tokenize.js';

describe('text features', () => {
  it('tokenizes lowercase words of any script, with bigrams and optional character n-grams', () => {
    expect(tokenize('Suspicious PowerShell Download!', { bigrams: true, charNgrams: [] })).toEqual(['suspicious', 'powershell', 'download', 'suspicious powershell', 'powershell download']);
    expect(tokenize('Zugriff über SMB', { bigrams: false, charNgrams: [] })).toEqual(['zugriff', 'über', 'smb']);
    expect(tokenize('cmd', { bigrams: false, charNgrams: [3] })).toEqual(['cmd', '#<cm', '#cmd', '#md>']);
  });

  it('bounds what it reads: 10,000 characters, 2,000 words, words of at most 40 characters', () => {
    expect(tokenize('a '.repeat(100_000), { bigrams: false, charNgrams: [] })).toHaveLength(2_000);
    expect(tokenize(`${'x'.repeat(41)} ok`, { bigrams: false, charNgrams: [] })).toEqual(['ok']);
    expect(tokenize(`${'y '.repeat(5_000)}late`, { bigrams: false, charNgrams: [] })).not.toContain('late');
  });

  it('weights terms as scikit-learn TfidfVectorizer (smooth idf, l2 rows)', () => {
    const docs = ['dns tunnel', 'dns query', 'smb share'];
    const model = fitTfidf(docs, { tokenize: { bigrams: false, charNgrams: [] }, maxTerms: 100, minDf: 1 });
    const index = termIndex(model);
    // idf(dns) = ln(4/3) + 1, idf(tunnel) = ln(4/2) + 1
    const row = tfidfRow(model, index, 'dns tunnel');
    const dns = Math.log(4 / 3) + 1;
    const tunnel = Math.log(2) + 1;
    const norm = Math.hypot(dns, tunnel);
    const values = new Map(Array.from(row.indices, (i, k) => [model.terms[i], row.values[k]]));
    expect(values.get('dns')).toBeCloseTo(dns / norm, 12);
    expect(values.get('tunnel')).toBeCloseTo(tunnel / norm, 12);
    expect(tfidfRow(model, index, 'never seen').indices).toHaveLength(0);
  });

  it('naive Bayes puts a new text in the class whose words it shares', () => {
    const docs = ['dns tunnel exfiltration', 'dns over https exfiltration', 'smb lateral movement', 'psexec lateral movement'];
    const model = fitTfidf(docs, { tokenize: { bigrams: false, charNgrams: [] }, maxTerms: 100, minDf: 1 });
    const index = termIndex(model);
    const bayes = trainNaiveBayes(docs.map((d) => tfidfRow(model, index, d)), Int32Array.from([0, 0, 1, 1]), 2, model.terms.length);
    const p = naiveBayesProbabilities(bayes, tfidfRow(model, index, 'exfiltration through dns'));
    expect((p[0] ?? 0) + (p[1] ?? 0)).toBeCloseTo(1, 12);
    expect(p[0]).toBeGreaterThan(0.9);
    expect(naiveBayesProbabilities(bayes, tfidfRow(model, index, 'lateral movement with psexec'))[1]).toBeGreaterThan(0.9);
  });
});
