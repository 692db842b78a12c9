// `npm run demo`: the main job on the bundled examples with the embedded engine: no server, nothing to install.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'cli', 'main.js');
const outputDir = join('output', 'demo');

if (!existsSync(cli)) {
  console.error('error: dist/ is missing: run `npm ci` (it builds the project) or `npm run build` first');
  process.exit(1);
}

function step(title, args) {
  console.log(`\n=== ${title}\n$ cs-helper ${args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`\ndemo step failed (exit ${result.status}): ${title}`);
    process.exit(result.status ?? 1);
  }
}

rmSync(join(root, outputDir), { recursive: true, force: true });
step('Example 1: threat analysis of a firewall/proxy export, with enriched data and a report', [
  'dynamic-workflow',
  'Analyze this CSV for security threats and export enriched data',
  '--input-files', 'examples/threat_data.csv',
  '--outputs', 'enriched_data', 'threat_report',
  '--output-dir', outputDir,
  '--execute',
]);
const planPath = join(outputDir, 'compliance-plan.json');
step('Compliance: plan only, saved for later', [
  'dynamic-workflow', 'Process logs for compliance',
  '--input-files', 'examples/access_logs.csv',
  '--outputs', 'compliance_report',
  '--output-dir', outputDir,
  '--export', planPath,
]);
step('Compliance: run the saved plan unchanged', ['run', planPath]);
console.log(`\nDone. Open ${join(outputDir, 'threat_report.md')} and ${join(outputDir, 'enriched_data.csv')}; session logs are in session-logs/.`);
