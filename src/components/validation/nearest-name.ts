// The known name closest to a misspelt one ("byts_sent" -> "bytes_sent"), for hints; case is ignored.

/** The nearest of `names` within a third of the name's length in edits (at least 2), or null. */
export function nearestName(name: string, names: readonly string[]): string | null {
  const wanted = name.toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  let best: { name: string; distance: number } | null = null;
  for (const candidate of names) {
    if (Math.abs(candidate.length - wanted.length) > limit || candidate.length > 256) continue;
    const distance = editDistance(wanted, candidate.toLowerCase());
    if (distance <= limit && (best === null || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name ?? null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
