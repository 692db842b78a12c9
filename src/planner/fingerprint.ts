// Canonical JSON + SHA-256: the same problem shape gives the same key, whatever the key order or the file paths.
import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const canonical = configure({ deterministic: true, bigint: false, circularValue: Error });

/** Digests of the last canonical texts: the same request planned again hashes nothing (SHA-256 was ~8 us a plan here). */
const REMEMBERED_DIGESTS = 256;
const digests = new Map<string, string>();

export function fingerprintOf(value: unknown): string {
  const text = canonical(value);
  if (text === undefined) throw new Error('cannot fingerprint an undefined value');
  const known = digests.get(text);
  if (known !== undefined) return known;
  const digest = createHash('sha256').update(text).digest('hex');
  if (digests.size >= REMEMBERED_DIGESTS) digests.delete(digests.keys().next().value ?? '');
  digests.set(text, digest);
  return digest;
}
