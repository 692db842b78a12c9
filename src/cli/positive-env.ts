// Limits read from the environment (CS_HELPER_LOG_MAX_FILES, CS_HELPER_LOG_COMPRESS_AFTER_HOURS): a value that is
// not a number above zero, or not a whole number where a count is wanted, is not used. The default is, and one line on
// stderr names the variable, the value given and the value used: a fraction passed on to rotation used to throw there,
// be swallowed into a note, and leave rotation off without a word.

export interface PositiveEnvOptions {
  /** The value used when the variable is unset, empty or unusable. */
  readonly fallback: number;
  /** A count (sessions, entries): only whole numbers. A duration may be a fraction (0.5 hours). */
  readonly whole: boolean;
  readonly env?: NodeJS.ProcessEnv;
  /** Where the warning line (without a newline) goes; stderr by default. */
  readonly warn?: (line: string) => void;
}

export function positiveEnv(name: string, options: PositiveEnvOptions): number {
  const raw = (options.env ?? process.env)[name];
  if (raw === undefined || raw.trim() === '') return options.fallback;
  const value = Number(raw);
  if (Number.isFinite(value) && value > 0 && (!options.whole || Number.isInteger(value))) return value;
  const line = `warning: ${name}=${JSON.stringify(raw)} is not ${options.whole ? 'a whole number' : 'a number'} above 0; using ${options.fallback}`;
  if (options.warn === undefined) process.stderr.write(`${line}\n`);
  else options.warn(line);
  return options.fallback;
}
