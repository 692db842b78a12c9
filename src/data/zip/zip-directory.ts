// Opening a ZIP file through yauzl and reading its central directory: shared by the workbook reader (xlsx packages)
// and compressed inputs (an archive holding one data file). Entries are read lazily, sizes are checked against the
// directory while inflating (validateEntrySizes), and the caller names the file for its errors.
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export type { Entry, ZipFile };

/** Opens `path`; `refuse` turns yauzl's error into the caller's (named after the file and what it should be). */
export async function openZip(path: string, refuse: (error: Error) => Error): Promise<ZipFile> {
  return new Promise<ZipFile>((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, opened) => {
      if (error !== null) reject(refuse(error));
      else resolve(opened);
    });
  });
}

/** Every entry of the central directory, in order; `refuse` turns a damaged directory's error into the caller's. */
export async function zipEntries(zip: ZipFile, refuse: (error: Error) => Error): Promise<Entry[]> {
  return new Promise((resolve, reject) => {
    const entries: Entry[] = [];
    zip.on('entry', (entry: Entry) => {
      entries.push(entry);
      zip.readEntry();
    });
    zip.on('end', () => {
      resolve(entries);
    });
    zip.on('error', (error: Error) => {
      reject(refuse(error));
    });
    zip.readEntry();
  });
}

/** yauzl's error when an entry inflates past the size its directory declares: a lying archive, a bomb. */
export function inflatedPastDeclaredSize(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('too many bytes in the stream');
}
