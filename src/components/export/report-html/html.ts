// The one place where text becomes HTML. `html` is a tagged template: every interpolated value is escaped unless it is
// already Markup (built by `html` itself, or by `trustedMarkup` for the few strings this code generates: CSS and the
// SVG Vega renders, which escapes its own text). Values from the data can only reach the page as escaped text.

/** A fragment of HTML that is safe to insert as is. */
export class Markup {
  readonly #text: string;

  constructor(text: string) {
    this.#text = text;
  }

  toString(): string {
    return this.#text;
  }
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an element's content and for a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Text a value stands for: strings as they are, lists joined with "; ", objects as JSON, null as empty. */
export function displayText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(displayText).join('; ');
  return JSON.stringify(value);
}

function fragment(value: unknown): string {
  if (value instanceof Markup) return value.toString();
  if (Array.isArray(value) && value.every((v) => v instanceof Markup)) return value.join('');
  if (value === false) return '';
  return escapeHtml(displayText(value));
}

export function html(strings: TemplateStringsArray, ...values: readonly unknown[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += fragment(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

/** Marks a string this program generated (never data) as HTML. */
export function trustedMarkup(text: string): Markup {
  return new Markup(text);
}

/** Cuts long values for a table cell; the full value stays in the CSV/JSON export. */
export function clip(value: unknown, maxLength = 120): string {
  const text = displayText(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
