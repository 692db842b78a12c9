// Canonical JSON + SHA-256: the same problem shape gives the same key, whatever the key order or the file paths.
import { createHash } from 'node:crypto';
import { configure } from 'safe-stable-stringify';

const canonical = configure({ deterministic: true, bigint: false, circularValue: Error });

export function fingerprintOf(value: unknown): string {
  const text = canonical(value);
  if (text === undefined) throw new Error('cannot fingerprint an undefined value');
  return createHash('sha256').update(text).digest('hex');
}
