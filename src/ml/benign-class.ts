// Which predicted classes are threats: a class whose name says the row is harmless (normal, benign, legitimate, 0,
// false, ...) is not; every other class of the same label is, but only when the label has a harmless class at all.
// A label without one (web page topics, device kinds) says nothing about threats, so its predictions are no finding.

/** Class names that mean "nothing wrong", compared trimmed and lower-cased. */
const BENIGN_NAMES = new Set(['normal', 'benign', 'legitimate', 'legit', 'clean', 'good', 'goodware', 'safe', 'allowed', 'allow', 'ok', 'none', 'no', 'false', '0', 'negative', 'background', 'harmless', 'whitelisted', 'not_malicious', 'non-malicious', 'nonmalicious']);

export function isBenignClass(value: string): boolean {
  return BENIGN_NAMES.has(value.trim().toLowerCase());
}

/**
 * The threat classes among a label's classes: those not benign, when at least one is benign; none otherwise (the
 * label does not tell harm from harmless).
 */
export function threatClasses(classes: Iterable<string>): string[] {
  const all = [...new Set(classes)];
  return all.some(isBenignClass) ? all.filter((c) => !isBenignClass(c)).sort() : [];
}
