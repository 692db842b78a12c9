#!/usr/bin/env node
// Lists the real words that the planner's typo correction would read as a lexicon word ("thread" as "threat"), so that
// after the lexicon changes they can be reviewed and added to src/planner/real-words.ts. Needs `npm run build` first.
//
// Usage: node scripts/near-miss-words.mjs [WORD_LIST...]   (default: /usr/share/dict/words; on Debian `apt-get install wamerican wbritish`)
// Prints two groups: words read as a different word (guard them), and words read as an inflection of themselves
// ("summarized" as "summarize": usually wanted, listed so a person can check).

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const spelling = join(root, 'dist', 'planner', 'lexicon-spelling.js');
if (!existsSync(spelling)) {
  console.error('dist/planner/lexicon-spelling.js is missing: run `npm run build` first');
  process.exit(1);
}
const { correctWord } = await import(pathToFileURL(spelling).href);
const { REAL_WORDS } = await import(pathToFileURL(join(root, 'dist', 'planner', 'real-words.js')).href);

const lists = process.argv.length > 2 ? process.argv.slice(2) : ['/usr/share/dict/words'];
const words = new Set();
for (const list of lists) {
  for (const line of readFileSync(list, 'utf8').split('\n')) {
    const word = line.trim();
    if (/^[a-z]{5,}$/.test(word)) words.add(word);
  }
}

// Endings that change a word's form but not what it asks for.
const ENDINGS = ['', 's', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'ion', 'ions', 'ive', 'ly', 'al', 'or', 'ors'];
const sameWord = (a, b) => {
  for (let i = Math.min(a.length, b.length); i >= 4; i--) {
    if (a.slice(0, i) === b.slice(0, i)) return ENDINGS.includes(a.slice(i)) && ENDINGS.includes(b.slice(i));
  }
  return false;
};

const guard = [];
const inflections = [];
for (const word of [...words].sort()) {
  if (REAL_WORDS.has(word)) continue;
  const read = correctWord(word);
  if (read === null) continue;
  (sameWord(word, read) ? inflections : guard).push(`${word} -> ${read}`);
}
console.log(`# read as another word (${guard.length}): add to src/planner/real-words.ts unless the reading is right`);
for (const line of guard) console.log(line);
console.log(`\n# read as an inflection (${inflections.length}): usually right`);
for (const line of inflections) console.log(line);
