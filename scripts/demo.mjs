// `npm run demo`: the main job on the bundled examples with the embedded engine: no server, nothing to install.
// `npm run demo -- --screenshot FILE` also photographs the top of the HTML report with Debian's Chromium (playwright-core,
// a dev dependency; CS_HELPER_CHROMIUM or /usr/bin/chromium): that is how docs/report-demo.png is made.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'bundle', 'cs-helper.js');
const outputDir = join('output', 'demo');
// Where the CLI writes them (src/cli/session-options.ts, src/state/state-home.ts): the same environment, the same folders.
const logDir = process.env.CS_HELPER_LOG_DIR?.trim() ? process.env.CS_HELPER_LOG_DIR : 'session-logs/';
const stateHome = process.env.CS_HELPER_HOME?.trim() ? process.env.CS_HELPER_HOME : '~/.cs-helper';

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
const report = join(outputDir, 'threat_report.html');
const screenshotAt = process.argv.indexOf('--screenshot');
if (screenshotAt !== -1) {
  const file = process.argv[screenshotAt + 1];
  if (file === undefined) {
    console.error('error: --screenshot needs a file name\nhint: npm run demo -- --screenshot docs/report-demo.png');
    process.exit(1);
  }
  await screenshot(join(root, report), resolve(file));
}
console.log(`\nDone. Open ${report} in a browser (one self-contained file: charts inline, works offline) and ${join(outputDir, 'enriched_data.csv')}; session logs are in ${logDir}, the plans and caches it remembers in ${stateHome}.`);

/** The report's first screen (title, threat picture, counts, charts) as a PNG small enough to commit. */
async function screenshot(page, file) {
  const executablePath = process.env.CS_HELPER_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    console.error(`error: no Chromium at ${executablePath}\nhint: install Debian's chromium package or set CS_HELPER_CHROMIUM`);
    process.exit(1);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const tab = await browser.newPage({ viewport: { width: 1200, height: 1200 } });
    await tab.goto(pathToFileURL(page).href);
    // Down to the end of the entities section: summary, charts, the top findings' first rows, the top talkers.
    const row = await tab.locator('#top-findings tbody tr').nth(5).boundingBox();
    const end = Math.round((row === null ? 1600 : row.y + row.height) + 8);
    await tab.screenshot({ path: file, clip: { x: 0, y: 0, width: 1200, height: end }, fullPage: true });
    console.log(`\nScreenshot of the report: ${file}`);
  } finally {
    await browser.close();
  }
}
