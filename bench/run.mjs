// `npm run bench`: every benchmark, with ratios against a baseline measured in the same run. Figures go to docs/performance.md.
import { cpus } from 'node:os';
import { endToEnd } from './end-to-end.mjs';
import { planning } from './planning.mjs';
import { sessionLogging } from './session-logging.mjs';

const args = process.argv.slice(2);
const rows = Number(args[args.indexOf('--rows') + 1] ?? 0) || 1_000_000;
const rounds = Number(args[args.indexOf('--rounds') + 1] ?? 0) || 5;

console.log(`# CS Helper benchmarks (${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores)`);
const only = args.includes('--only') ? (args[args.indexOf('--only') + 1] ?? '').split(',') : null;
const benches = { 'end-to-end': () => endToEnd({ rows, rounds }), 'session-logging': () => sessionLogging({ rounds }), planning: () => planning({ rounds, rows }) };
const results = [];
for (const [name, run] of Object.entries(benches)) {
  if (only !== null && !only.includes(name)) continue;
  results.push(await run());
}
for (const result of results) console.log(`\n${result.print()}`);
if (args.includes('--json')) console.log(JSON.stringify(results.map(({ print: _print, ...rest }) => rest), null, 2));
