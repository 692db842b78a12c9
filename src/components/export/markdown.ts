// Markdown building blocks with escaping: every value from the data is text, never markup.

/** Escapes a value for a Markdown table cell: pipes, newlines, HTML-significant characters, backticks and emphasis. */
export function mdCell(value: unknown, maxLength = 120): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.map((v) => scalarText(v)).join('; ') : scalarText(value);
  const short = text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
  return short
    .replace(/[\r\n]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_|[\]])/g, '\\$1');
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

export function mdTable(headers: readonly string[], rows: readonly (readonly unknown[])[]): string {
  if (rows.length === 0) return '_none_\n';
  const head = `| ${headers.map((h) => mdCell(h)).join(' | ')} |`;
  const rule = `| ${headers.map(() => '---').join(' | ')} |`;
  const body = rows.map((r) => `| ${r.map((v) => mdCell(v)).join(' | ')} |`);
  return [head, rule, ...body].join('\n') + '\n';
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}
