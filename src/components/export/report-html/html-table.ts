// A readable HTML table: a header row, cells escaped through `html`, numbers right-aligned and grouped by thousands.
import { displayText, html, Markup } from './html.js';

export interface TableOptions {
  /** Shown under the table, e.g. "top 10 of 1,204". */
  readonly caption?: string;
  /** Longest cell text before it is cut (the full value stays in the CSV/JSON export). */
  readonly maxCell?: number;
  /** Columns of numbers that are names (row numbers, ports): aligned right, never grouped by thousands. */
  readonly idColumns?: readonly number[];
}

function cell(value: unknown, maxCell: number, id: boolean): Markup {
  if (id && typeof value === 'number') return html`<td class="num">${String(value)}</td>`;
  if (typeof value === 'number') return html`<td class="num">${Number.isInteger(value) ? value.toLocaleString('en-US') : value.toLocaleString('en-US', { maximumFractionDigits: 2 })}</td>`;
  if (value instanceof Markup) return html`<td>${value}</td>`;
  const text = displayText(value);
  const short = text.length > maxCell ? `${text.slice(0, maxCell - 1)}…` : text;
  return short.length < text.length ? html`<td title="${text.slice(0, 1000)}">${short}</td>` : html`<td>${short}</td>`;
}

export function htmlTable(headers: readonly string[], rows: readonly (readonly unknown[])[], options: TableOptions = {}): Markup {
  if (rows.length === 0) return html`<p class="muted">none</p>`;
  const maxCell = options.maxCell ?? 80;
  return html`<div class="table-wrap"><table><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((v, i) => cell(v, maxCell, options.idColumns?.includes(i) === true))}</tr>`)}</tbody></table>${options.caption === undefined ? '' : html`<p class="caption">${options.caption}</p>`}</div>`;
}
