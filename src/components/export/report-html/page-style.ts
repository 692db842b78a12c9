// The report's only stylesheet, inlined in the page: system fonts (nothing to fetch), readable tables, and a print
// layout that keeps charts and table rows whole and drops the navigation.
export const PAGE_STYLE = `
:root { --ink: #1f2933; --muted: #5c6773; --line: #d9dee5; --band: #f5f7fa; --accent: #234e7a; --critical: #b42318; --high: #e8590c; --medium: #d29b00; --low: #5b8fd6; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 48px; }
header.page { border-bottom: 3px solid var(--accent); padding-bottom: 12px; margin-bottom: 8px; }
h1 { margin: 0 0 4px; font-size: 26px; color: var(--accent); }
h2 { margin: 32px 0 10px; font-size: 19px; color: var(--accent); border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { margin: 18px 0 8px; font-size: 15px; }
nav.toc { font-size: 13px; margin: 8px 0 0; }
nav.toc a { color: var(--accent); margin-right: 12px; text-decoration: none; white-space: nowrap; }
a { color: var(--accent); }
.muted, .caption { color: var(--muted); }
.caption { font-size: 12px; margin: 4px 0 0; }
.picture { font-size: 16px; background: var(--band); border-left: 4px solid var(--accent); padding: 10px 14px; margin: 12px 0; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.tile { flex: 1 1 140px; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.tile b { display: block; font-size: 22px; }
.tile.critical b { color: var(--critical); } .tile.high b { color: var(--high); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; margin: 12px 0; }
figure.chart { margin: 0; max-width: 100%; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; margin: 8px 0 12px; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 10px 4px 0; text-align: left; vertical-align: top; overflow-wrap: break-word; max-width: 240px; }
.nowrap { white-space: nowrap; }
.evidence { word-break: break-all; display: inline-block; min-width: 12em; max-width: 22em; }
th { font-weight: 600; border-bottom: 2px solid var(--line); white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--band); }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.level { font-weight: 600; white-space: nowrap; } .level-critical { color: var(--critical); } .level-high { color: var(--high); } .level-medium { color: var(--medium); } .level-low { color: var(--low); }
table.matrix td { min-width: 120px; } table.matrix ul { margin: 0; padding-left: 16px; }
footer.page { margin-top: 40px; border-top: 1px solid var(--line); padding-top: 8px; color: var(--muted); font-size: 12px; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  h2 { break-after: avoid; }
  figure.chart, tr, .tile, .picture { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  tbody tr:nth-child(even) { background: none; }
  .table-wrap, figure.chart { overflow: visible; }
  td { word-break: break-word; }
}
`;
