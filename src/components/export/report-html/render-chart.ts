// Renders a Vega-Lite spec to an SVG string at export time, in Node, without a browser or a canvas: vega-lite compiles
// the spec to Vega, and Vega's headless View (renderer 'none') writes SVG. The loader refuses every load, so a spec can
// never fetch a file or a URL: all data is inline. Vega escapes the text it writes into the SVG. Vega's expressions are
// parsed to syntax trees and run by vega-interpreter, never compiled with `Function` (Vega's default code generation).
import { parse, View, type Loader } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';

export type ChartSpec = TopLevelSpec;

function refuse(what: string): Promise<never> {
  return Promise.reject(new Error(`report charts load nothing (${what})`));
}

const NO_LOADS: Loader = {
  load: (uri) => refuse(uri),
  sanitize: (uri) => refuse(uri),
  http: (uri) => refuse(uri),
  file: (name) => refuse(name),
};

/** Keeps Vega's and Vega-Lite's warnings (instead of printing them) so the step can log them. */
class CollectingLogger {
  #level = 2;
  constructor(private readonly warnings: string[]) {}
  level(level?: number): number | this {
    if (level === undefined) return this.#level;
    this.#level = level;
    return this;
  }
  error(...args: unknown[]): this {
    this.warnings.push(args.map(String).join(' '));
    return this;
  }
  warn(...args: unknown[]): this {
    this.warnings.push(args.map(String).join(' '));
    return this;
  }
  info(): this {
    return this;
  }
  debug(): this {
    return this;
  }
}

const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif',
  background: 'transparent',
  view: { stroke: null },
  axis: { labelColor: '#3b4252', titleColor: '#3b4252', gridColor: '#e5e9f0', domainColor: '#9aa3b2', tickColor: '#9aa3b2' },
  legend: { labelColor: '#3b4252', titleColor: '#3b4252' },
  title: { anchor: 'start', color: '#1f2933', fontSize: 13 },
} as const;

/** The chart as an `<svg>` element; Vega's warnings are added to `warnings`. */
export async function renderChartSvg(spec: ChartSpec, warnings: string[] = []): Promise<string> {
  const logger = new CollectingLogger(warnings);
  const vegaSpec = compile({ ...spec, config: { ...CONFIG, ...spec.config } }, { logger }).spec;
  const view = new View(parse(vegaSpec, undefined, { ast: true }), { renderer: 'none', loader: NO_LOADS, logger, expr: expressionInterpreter });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
