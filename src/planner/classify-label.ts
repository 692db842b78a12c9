// Which label column a classification problem names, when the data has several (UNSW-NB15: `label`, 0/1, beside
// `attack_cat`, the kind of attack). "Classify these flows by attack category" means attack_cat; without a mention the
// classifier keeps its default (the first usual label name), so a problem that names none changes nothing.
import { LABEL_NAMES } from '../ml/feature-spec.js';
import type { FileProfile } from '../model/file-profile.js';

/** The label column the problem names among the usual label columns of the files, or null. */
export function labelNamedInProblem(problem: string, files: readonly FileProfile[]): string | null {
  const candidates = [...new Set(files.flatMap((f) => f.columns.map((c) => c.name)).filter((name) => LABEL_NAMES.includes(name.toLowerCase())))];
  if (candidates.length < 2) return null;
  const words = problem.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  let best: { name: string; words: number } | null = null;
  for (const name of candidates) {
    const parts = name.toLowerCase().split(/[_\s-]+/).filter((p) => p !== '');
    if (parts.length === 0 || !mentions(words, parts)) continue;
    // The most specific mention wins: "attack category" names attack_cat, not a column called attack.
    if (best === null || parts.length > best.words) best = { name, words: parts.length };
  }
  return best?.name ?? null;
}

/** Whether consecutive words of the text start with the parts, in order ("attack categories" for attack_cat). */
function mentions(words: readonly string[], parts: readonly string[]): boolean {
  for (let i = 0; i + parts.length <= words.length; i += 1) {
    if (parts.every((part, j) => (words[i + j] ?? '').startsWith(part))) return true;
  }
  return false;
}
