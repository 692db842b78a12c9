// `npm run bench`: every benchmark, with ratios against a baseline measured in the same run. Figures go to docs/performance.md.
import { cpus } from 'node:os';
import { analysis } from './analysis.mjs';
import { bigFile } from './big-file.mjs';
import { endToEnd } from './end-to-end.mjs';
import { enrich } from './enrich.mjs';
import { imports } from './imports.mjs';
import { planning } from './planning.mjs';
import { sessionLogging } from './session-logging.mjs';
import { validation } from './validation.mjs';
import { sigma } from './sigma.mjs';
import { sigmaChain } from './sigma-chain.mjs';
import { iocMatchBench } from './ioc-match.mjs';
import { iocTextBench } from './ioc-text.mjs';
import { mcpLoad } from './mcp-load.mjs';
import { queueBench } from './queue.mjs';
import { report } from './report.mjs';

const args = process.argv.slice(2);
const rows = Number(args[args.indexOf('--rows') + 1] ?? 0) || 1_000_000;
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 0) || 5;

console.log(`# CS Helper benchmarks (${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores)`);
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : null;
const benches = { 'end-to-end': () => endToEnd({ rows, rounds }), 'session-logging': () => sessionLogging({ rounds }), planning: () => planning({ rounds, rows }), imports: () => imports({ rows, rounds }), validation: () => validation({ rows, rounds }), analysis: () => analysis({ rows, rounds }), enrich: () => enrich({ rows, rounds }), sigma: () => sigma({ rows: Math.min(rows, 500_000), rounds: Math.min(rounds, 3) }), 'sigma-chain': () => sigmaChain({ rows, rounds: Math.min(rounds, 3) }), 'ioc-match': () => iocMatchBench({ rows, rounds }), 'ioc-text': () => iocTextBench({ rows, rounds: Math.min(rounds, 3) }), 'mcp-load': () => mcpLoad(), queue: () => queueBench(), report: () => report({ rows, rounds }), 'big-file': () => bigFile({ rounds: Number(args[args.indexOf('--big-rounds') + 1] ?? 0) || 1 }) };
// The 10M-row run takes many minutes (the file alone ~2 to generate): only with --only big-file.
const OPT_IN = new Set(['big-file']);
const results = [];
for (const [name, run] of Object.entries(benches)) {
  if (only === null ? OPT_IN.has(name) : !only.includes(name)) continue;
  results.push(await run());
}
for (const result of results) console.log(`\n${result.print()}`);
if (args.includes('--json')) console.log(JSON.stringify(results.map(({ print: _print, ...rest }) => rest), null, 2));
