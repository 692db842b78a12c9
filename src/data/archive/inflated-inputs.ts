// The copies importers read for compressed inputs: a ZIP archive's one data file, or a gzip file, inflated into a
// folder of the run's spill area that is removed when the import ends. Plain files are read where they are.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { archiveFormat, archiveMember, extractMember, type ArchiveMember } from './archive-member.js';

export interface PlainInput {
  /** The file the engine reads: the input itself, or its inflated copy. */
  readonly path: string;
  /** Bytes of that file. */
  readonly bytes: number;
  /** The archive member it came from, or null for a plain file. */
  readonly member: ArchiveMember | null;
}

export class InflatedInputs {
  #dir: string | null = null;
  #count = 0;

  constructor(private readonly parent: string | null) {}

  /** `absolute` (of `bytes`, checked by checkInputFile) as the engine should read it. */
  async plain(absolute: string, display: string, bytes: number, signal?: AbortSignal): Promise<PlainInput> {
    const format = archiveFormat(await firstBytes(absolute));
    const member = format === null ? null : await archiveMember(absolute, display, format, bytes);
    if (member === null) return { path: absolute, bytes, member: null };
    this.#dir ??= await mkdtemp(join(this.parent ?? tmpdir(), 'cs-helper-inflated-'));
    this.#count += 1;
    // Its own base name, cleaned: never a path from inside the archive. The number keeps two inputs' copies apart.
    const target = join(this.#dir, `${this.#count}-${basename(member.name).replace(/[^\w.-]/g, '_').slice(0, 100)}`);
    return { path: target, bytes: await extractMember(absolute, display, member, target, signal), member };
  }

  async remove(): Promise<void> {
    if (this.#dir !== null) await rm(this.#dir, { recursive: true, force: true });
    this.#dir = null;
  }
}

async function firstBytes(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buffer, 0, 4, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
