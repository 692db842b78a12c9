// Reads an indicator feed file: one indicator per line, or CSV with a `value` column (optionally type, source, confidence, threat).
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import Papa from 'papaparse';
import { InputFileError } from '../model/errors/input-file-error.js';
import type { Indicator } from './indicator.js';
import { classifyIndicator, isIndicatorType, normaliseIndicator, type IndicatorType } from './indicator-type.js';

export const MAX_FEED_BYTES = 512 * 1024 * 1024;
const DEFAULT_CONFIDENCE = 0.7;

export interface FeedFile {
  readonly path: string;
  readonly source: string;
  readonly indicators: readonly Indicator[];
  /** Lines that held no recognisable indicator, with the first few for the error message. */
  readonly skipped: number;
  readonly skippedExamples: readonly string[];
}

export async function readFeedFile(path: string, displayName: string = path): Promise<FeedFile> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new InputFileError(displayName, 'not-found', 'no such feed file', { cause: error });
  }
  if (size > MAX_FEED_BYTES) throw new InputFileError(displayName, 'too-large', `feed of ${size} bytes is over the ${MAX_FEED_BYTES}-byte limit`);
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) throw new InputFileError(displayName, 'malformed', 'binary content in a feed file', { hint: 'a feed is a text list of indicators or a CSV with a value column' });
  const source = `feed:${basename(displayName)}`;
  const lines = text.split(/\r?\n/);
  const firstLine = lines.find((l) => l.trim() !== '' && !l.trimStart().startsWith('#')) ?? '';
  const header = Papa.parse<string[]>(firstLine, { delimiter: ',' }).data[0]?.map((h) => h.trim().toLowerCase()) ?? [];
  const result = header.includes('value') ? readCsvFeed(text, source) : readPlainFeed(lines, source);
  if (result.indicators.length === 0) {
    throw new InputFileError(displayName, 'empty', 'no indicators found in the feed', {
      hint: `a feed lists one IP, domain, URL or hash per line, or is a CSV with a 'value' column${result.skippedExamples.length > 0 ? `; unrecognised: ${result.skippedExamples.join(', ')}` : ''}`,
    });
  }
  return { path, source, ...result };
}

interface Parsed {
  indicators: Indicator[];
  skipped: number;
  skippedExamples: string[];
}

function readPlainFeed(lines: readonly string[], source: string): Parsed {
  const parsed: Parsed = { indicators: [], skipped: 0, skippedExamples: [] };
  for (const line of lines) {
    const value = line.trim();
    if (value === '' || value.startsWith('#')) continue;
    add(parsed, value, null, source, DEFAULT_CONFIDENCE, null);
  }
  return parsed;
}

function readCsvFeed(text: string, source: string): Parsed {
  const parsed: Parsed = { indicators: [], skipped: 0, skippedExamples: [] };
  const table = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: true,
    comments: '#',
    transformHeader: (h) => h.trim().toLowerCase(),
  });
  for (const row of table.data) {
    const value = row['value']?.trim() ?? '';
    if (value === '') continue;
    const declared = row['type']?.trim().toLowerCase() ?? '';
    // A blank cell is no confidence given (the default), not 0: Number('') is 0.
    const confidenceText = row['confidence']?.trim() ?? '';
    const confidence = confidenceText === '' ? Number.NaN : Number(confidenceText);
    add(
      parsed,
      value,
      isIndicatorType(declared) ? declared : null,
      row['source']?.trim() || source,
      Number.isFinite(confidence) && confidence >= 0 && confidence <= 1 ? confidence : DEFAULT_CONFIDENCE,
      row['threat']?.trim() || null,
    );
  }
  return parsed;
}

function add(parsed: Parsed, raw: string, declared: IndicatorType | null, source: string, confidence: number, threat: string | null): void {
  const type = declared ?? classifyIndicator(raw);
  if (type === null) {
    parsed.skipped += 1;
    if (parsed.skippedExamples.length < 3) parsed.skippedExamples.push(JSON.stringify(raw.slice(0, 60)));
    return;
  }
  parsed.indicators.push({ type, value: normaliseIndicator(type, raw), source, confidence, threat });
}
