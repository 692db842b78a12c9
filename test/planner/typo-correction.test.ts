import { describe, expect, it } from 'vitest';
import { correctWord, SPELLING_VOCABULARY } from '../../src/planner/lexicon-spelling.js';
import { REAL_WORDS } from '../../src/planner/real-words.js';
import { editDistance, SpellingCorrector } from '../../src/planner/typo-correction.js';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    expect(editDistance('threts', 'threats', 2)).toBe(1);
    expect(editDistance('anaylze', 'analyze', 2)).toBe(1);
    expect(editDistance('enrichement', 'enrichment', 2)).toBe(1);
    expect(editDistance('statistcs', 'statistics', 2)).toBe(1);
    expect(editDistance('audit', 'audio', 2)).toBe(1);
    expect(editDistance('investgaton', 'investigation', 2)).toBe(2);
  });

  it('gives up past its limit', () => {
    expect(editDistance('threat', 'compliance', 2)).toBe(3);
    expect(editDistance('abcdef', 'ghijkl', 1)).toBe(2);
  });
});

describe('SpellingCorrector', () => {
  const corrector = new SpellingCorrector({ vocabulary: ['threat', 'threats', 'compliance', 'investigation', 'hunt'], realWords: ['thread'] });

  it('reads a word one slip away as the vocabulary word', () => {
    expect(corrector.correct('threts')).toBe('threats');
    expect(corrector.correct('complaince')).toBe('compliance');
  });

  it('allows two slips from ten letters on', () => {
    expect(corrector.correct('investgaton')).toBe('investigation');
    expect(corrector.correct('compliancxx')).toBe('compliance');
    expect(corrector.correct('thrxxt')).toBeNull();
  });

  it('leaves known words, real words, short words and other first letters alone', () => {
    expect(corrector.correct('threat')).toBeNull();
    expect(corrector.correct('thread')).toBeNull();
    expect(corrector.correct('hnut')).toBeNull();
    expect(corrector.correct('xhreat')).toBeNull();
  });

  it('refuses to choose between two different words equally near', () => {
    const ambiguous = new SpellingCorrector({ vocabulary: ['cluster', 'clusters', 'blaster', 'plaster'], realWords: [] });
    // "claster" is one edit from "cluster" only (first letters differ for the others).
    expect(ambiguous.correct('claster')).toBe('cluster');
    const tie = new SpellingCorrector({ vocabulary: ['stash', 'stack'], realWords: [] });
    expect(tie.correct('stach')).toBeNull();
  });
});

describe('the planner\'s corrector', () => {
  it('reads the usual slips in plan requests', () => {
    expect(correctWord('anaylze')).toBe('analyze');
    expect(correctWord('threts')).toBe('threats');
    expect(correctWord('complaince')).toBe('compliance');
    expect(correctWord('enrichement')).toBe('enrichment');
    expect(correctWord('clasify')).toBe('classify');
    expect(correctWord('statistcs')).toBe('statistics');
  });

  it('never corrects a listed real word, and lists only words that are not in its vocabulary', () => {
    for (const word of REAL_WORDS) {
      expect(correctWord(word), word).toBeNull();
      expect(SPELLING_VOCABULARY.has(word), word).toBe(false);
    }
    expect(REAL_WORDS.has('thread')).toBe(true);
  });
});
