// Excel stores dates as numbers (days since 1900 or 1904) and says they are dates only through the cell's number
// format: these decide which formats are dates and turn a serial into a UTC instant.

/** Built-in number formats that show dates or times (ECMA-376 18.8.30, plus the East Asian ids Excel uses). */
const BUILT_IN_DATE_FORMATS: ReadonlySet<number> = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Longer codes are not read: Excel caps a format code at 255 characters. */
const MAX_FORMAT_CODE = 1024;

export function isBuiltInDateFormat(id: number): boolean {
  return BUILT_IN_DATE_FORMATS.has(id);
}

/**
 * A custom format shows a date when, outside quoted text, escaped characters and bracketed colours or conditions, it
 * holds a day, month, year, hour or second token (`yyyy-mm-dd`, `h:mm`, `[h]:mm:ss`). Only the first section counts:
 * the one positive numbers (and so dates) use.
 */
export function isDateFormatCode(code: string): boolean {
  if (code.length > MAX_FORMAT_CODE) return false;
  const section = code.split(';')[0] ?? '';
  const plain = section
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/[_*]./g, '');
  if (/\[(h+|m+|s+)\]/i.test(plain)) return true;
  const unbracketed = plain.replace(/\[[^\]]*\]/g, '').replace(/general/gi, '');
  return /[dmyhs]/i.test(unbracketed) && !/[0#?]/.test(unbracketed.replace(/[.,:\s]0+/g, ''));
}

const MS_PER_DAY = 86_400_000;
/** 1970-01-01 as a serial of the 1900 system (with Excel's fictitious 1900-02-29 counted). */
const EPOCH_1900 = 25_569;
/** 1970-01-01 as a serial of the 1904 system (old Mac workbooks). */
const EPOCH_1904 = 24_107;

/** Milliseconds since 1970 (UTC: a workbook has no time zone) for a serial, rounded to the millisecond Excel keeps. */
export function serialToEpochMs(serial: number, date1904: boolean): number {
  if (date1904) return Math.round((serial - EPOCH_1904) * MS_PER_DAY);
  // Excel counts a 29 February 1900 that never was: serials before it are one day later than the arithmetic says.
  const days = serial < 60 ? serial + 1 : serial;
  return Math.round((days - EPOCH_1900) * MS_PER_DAY);
}
