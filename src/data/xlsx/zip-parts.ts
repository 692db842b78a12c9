// The parts of an Office Open XML package, read through yauzl with hard bounds: how many entries, how many bytes once
// inflated (per part and in total), no encrypted entries. yauzl reads the central directory and checks every inflated
// stream against the size the directory declares, so a lying header fails instead of inflating without end.
import type { Readable } from 'node:stream';
import { type Entry, type ZipFile, inflatedPastDeclaredSize, openZip, zipEntries } from '../zip/zip-directory.js';
import { CancelledError } from '../../model/errors/cancelled-error.js';
import { InputFileError } from '../../model/errors/input-file-error.js';

export interface ZipLimits {
  /** Bytes of XML that may be inflated from the package, all parts together: the zip-bomb bound. */
  readonly maxUncompressedBytes: number;
  /** Entries in the central directory; Excel writes a few dozen. */
  readonly maxEntries: number;
}

export class ZipParts {
  readonly #zip: ZipFile;
  /** By lower-case part name: OPC part names are case-insensitive. A Map, so names such as `__proto__` stay data. */
  readonly #entries: Map<string, Entry>;
  readonly #display: string;
  readonly #limits: ZipLimits;
  #inflated = 0;

  private constructor(zip: ZipFile, entries: Map<string, Entry>, display: string, limits: ZipLimits) {
    this.#zip = zip;
    this.#entries = entries;
    this.#display = display;
    this.#limits = limits;
  }

  static async open(path: string, display: string, limits: ZipLimits): Promise<ZipParts> {
    const zip = await openZip(path, (error) => new InputFileError(display, 'malformed', `not a readable xlsx package: ${error.message}`, { cause: error }));
    try {
      if (zip.entryCount > limits.maxEntries) {
        throw new InputFileError(display, 'too-large', `the workbook package holds ${zip.entryCount} parts, over the limit of ${limits.maxEntries}`);
      }
      const entries = new Map((await zipEntries(zip, (error) => new InputFileError(display, 'malformed', `the workbook package is damaged: ${error.message}`, { cause: error }))).map((e) => [e.fileName.toLowerCase(), e]));
      return new ZipParts(zip, entries, display, limits);
    } catch (error) {
      zip.close();
      throw error;
    }
  }

  has(name: string): boolean {
    return this.#entries.has(name.toLowerCase());
  }

  names(): string[] {
    return [...this.#entries.values()].map((e) => e.fileName);
  }

  /** Declared inflated size of a part (checked against the real stream while it is read). */
  size(name: string): number {
    return this.#entries.get(name.toLowerCase())?.uncompressedSize ?? 0;
  }

  /** The part's text in chunks, as UTF-8; refuses before inflating anything when the part would pass the bound. */
  async *text(name: string, signal?: AbortSignal): AsyncGenerator<string> {
    const entry = this.#entries.get(name.toLowerCase());
    if (entry === undefined) throw new InputFileError(this.#display, 'malformed', `the workbook package has no part ${name}`);
    if (entry.isEncrypted()) {
      throw new InputFileError(this.#display, 'unsupported', `the part ${entry.fileName} is encrypted`, { hint: 'remove the password in Excel (File > Info > Protect Workbook) and save again' });
    }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new InputFileError(this.#display, 'unsupported', `the part ${entry.fileName} uses zip compression method ${entry.compressionMethod}`, { hint: 'save the workbook again from Excel or LibreOffice' });
    }
    if (this.#inflated + entry.uncompressedSize > this.#limits.maxUncompressedBytes) {
      throw new InputFileError(this.#display, 'too-large', `the workbook inflates to more than ${this.#limits.maxUncompressedBytes} bytes (${entry.fileName} alone is ${entry.uncompressedSize}): refused as a possible zip bomb`, {
        hint: 'raise max_uncompressed_bytes if you trust the file',
      });
    }
    this.#inflated += entry.uncompressedSize;
    const stream = await new Promise<Readable>((resolve, reject) => {
      this.#zip.openReadStream(entry, (error, opened) => {
        if (error !== null) reject(new InputFileError(this.#display, 'malformed', `cannot read ${entry.fileName}: ${error.message}`, { cause: error }));
        else resolve(opened);
      });
    });
    stream.setEncoding('utf8');
    try {
      for await (const chunk of stream) {
        if (signal?.aborted === true) throw new CancelledError();
        yield chunk as string;
      }
    } catch (error) {
      if (error instanceof InputFileError || error instanceof CancelledError) throw error;
      const message = error instanceof Error ? error.message : String(error);
      // yauzl stops a stream at the size the directory declares: a package that lies about it is a bomb, not wear.
      if (inflatedPastDeclaredSize(error)) {
        throw new InputFileError(this.#display, 'malformed', `${entry.fileName} is damaged: it inflates to too many bytes, past the ${entry.uncompressedSize.toLocaleString('en-US')} its zip entry declares: stopped there as a possible zip bomb`, {
          hint: 'the package lies about its sizes, so no spreadsheet program wrote it: do not open it elsewhere either',
          cause: error,
        });
      }
      throw new InputFileError(this.#display, 'malformed', `${entry.fileName} is damaged: ${message}`, { cause: error });
    } finally {
      stream.destroy();
    }
  }

  close(): void {
    this.#zip.close();
  }
}
