// The character-count URL features of the "Web page phishing detection" dataset (Hannousse & Yahiouche 2021,
// doi:10.17632/c2gw7fy2j4.3), computed in the engine (on the distinct URLs) exactly as the authors' url_features.py does on the whole URL:
// `len(url)` and `url.count(ch)`, nb_tilde is 1 when any `~` appears, nb_space counts spaces plus `%20`.
// The features that need the public-suffix split (length_hostname, nb_www, nb_com, http_in_path) are in url-host-features.ts.

/** Feature name (as the dataset names it) and the one character it counts in the URL. */
const CHARACTER_COUNTS: readonly (readonly [string, string])[] = [
  ['nb_dots', '.'],
  ['nb_hyphens', '-'],
  ['nb_underscore', '_'],
  ['nb_percent', '%'],
  ['nb_slash', '/'],
  ['nb_colon', ':'],
  ['nb_comma', ','],
  ['nb_semicolumn', ';'],
  ['nb_dollar', '$'],
];

/** Every feature this file computes, in the dataset's column order where it has one. */
export const URL_COUNT_FEATURES = ['length_url', 'nb_dots', 'nb_hyphens', 'nb_underscore', 'nb_tilde', 'nb_percent', 'nb_slash', 'nb_colon', 'nb_comma', 'nb_semicolumn', 'nb_dollar', 'nb_space'] as const;

/**
 * How often the ASCII `needle` occurs in `text` (non-overlapping, like Python's str.count), from the bytes a replace()
 * removes: strlen() counts bytes without decoding UTF-8, which length() must do (measured: a third of the copy's time).
 */
function occurrencesSql(text: string, needle: string): string {
  const quoted = `'${needle.replaceAll("'", "''")}'`;
  return `CAST((strlen(${text}) - strlen(replace(${text}, ${quoted}, ''))) // ${needle.length} AS INTEGER)`;
}

/** `[feature name, SQL expression]` pairs over `url` (a VARCHAR expression); NULL URLs give NULL features. */
export function urlCountFeaturesSql(url: string): (readonly [string, string])[] {
  const counts = new Map<string, string>(CHARACTER_COUNTS.map(([name, ch]) => [name, occurrencesSql(url, ch)]));
  counts.set('length_url', `CAST(length(${url}) AS INTEGER)`);
  counts.set('nb_tilde', `CAST(contains(${url}, '~') AS INTEGER)`);
  counts.set('nb_space', `${occurrencesSql(url, ' ')} + ${occurrencesSql(url, '%20')}`);
  return URL_COUNT_FEATURES.map((name) => [name, counts.get(name) ?? 'NULL'] as const);
}
