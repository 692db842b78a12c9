// Lexical domain features in the engine: length, Shannon entropy, digit ratio and a DGA-likeness score.
//
// DGA-likeness (0 = reads like a name people chose, 1 = reads like machine-made), on the registered label `s`
// (the registered domain without its suffix, lower case, letters and digits only; the first host label when there is
// no registered domain):
//   entropy    e = clamp((H(s) - 2.5) / 1.5)      H = Shannon entropy of the characters, in bits
//   length     l = clamp((len(s) - 6) / 14)
//   consonants c = clamp((longest run of consonants - 2) / 4)   consonants: the letters other than a e i o u y
//   digits     d = clamp(digit share / 0.3)
//   vowels     v = clamp((0.4 - share of a e i o u y among the letters) / 0.3)
//   score = 0.35 e + 0.15 l + 0.20 c + 0.15 d + 0.15 v, rounded to 3 decimals
// Random-character DGAs (Ramnit, Necurs, Qakbot, Murofet, Chinad, ...) are long, high-entropy, vowel-poor and score
// high; dictionary DGAs (Suppobox, Gozi, Nymaim2) read like words and score like ordinary names: a known limit.
// Checked on the published samples of 11 character-based families (test/fixtures/enrich/domains.csv): every one scores
// 0.53 or more, while 26 common sites score at most 0.30 (windowsupdate.com; most are below 0.1).

/** The DGA-likeness score of `label` (lower-case letters and digits), in SQL. Weights and bounds as documented above. */
export function dgaScoreSql(label: string): string {
  const clamp = (x: string): string => `greatest(0.0, least(1.0, ${x}))`;
  const n = `greatest(length(${label}), 1)`;
  const letters = `greatest(length(regexp_replace(${label}, '[^a-z]', '', 'g')), 1)`;
  const entropy = `coalesce(list_aggregate(string_split(${label}, ''), 'entropy'), 0)`;
  const consonantRun = `coalesce(list_max(list_transform(regexp_extract_all(${label}, '[bcdfghjklmnpqrstvwxz]+'), r -> length(r))), 0)`;
  const digitShare = `length(regexp_replace(${label}, '[^0-9]', '', 'g')) / ${n}`;
  const vowelShare = `length(regexp_replace(${label}, '[^aeiouy]', '', 'g')) / ${letters}`;
  return `CASE WHEN ${label} IS NULL OR ${label} = '' THEN NULL ELSE round(
    0.35 * ${clamp(`(${entropy} - 2.5) / 1.5`)}
    + 0.15 * ${clamp(`(length(${label}) - 6) / 14`)}
    + 0.20 * ${clamp(`(${consonantRun} - 2) / 4`)}
    + 0.15 * ${clamp(`${digitShare} / 0.3`)}
    + 0.15 * ${clamp(`(0.4 - ${vowelShare}) / 0.3`)}, 3) END`;
}

/** The label the score reads: registered domain minus its suffix, or the first label of the host. */
export function registeredLabelSql(host: string, registeredDomain: string, tld: string): string {
  const label = `CASE WHEN ${registeredDomain} IS NOT NULL AND ${tld} IS NOT NULL
      THEN left(${registeredDomain}, length(${registeredDomain}) - length(${tld}) - 1)
      ELSE split_part(${host}, '.', 1) END`;
  return `regexp_replace(lower(${label}), '[^a-z0-9]', '', 'g')`;
}

/** `[suffix, SQL expression]` pairs for a host name column (lower case, no trailing dot): length, entropy, digit ratio. */
export function domainFeaturesSql(host: string): (readonly [string, string])[] {
  const n = `nullif(length(${host}), 0)`;
  return [
    ['length', `CAST(length(${host}) AS INTEGER)`],
    ['entropy', `round(list_aggregate(string_split(${host}, ''), 'entropy'), 3)`],
    ['digit_ratio', `round(length(regexp_replace(${host}, '[^0-9]', '', 'g')) / ${n}, 3)`],
  ];
}
