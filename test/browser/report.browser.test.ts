// The HTML report opened in a real browser: Debian's Chromium driven by playwright-core (no browser download). The
// report is made by the built CLI from the bundled example with a few hostile rows appended, then loaded from a
// file:// URL: no console or page error, no request but the file itself, every expected chart drawn with SVG marks,
// no injected script run (no dialog), a print layout, and a full-page screenshot under test-output/.
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_PATH, REPO_ROOT, runCli } from '../helpers/run-cli.js';

const CHROMIUM = process.env['CS_HELPER_CHROMIUM'] ?? '/usr/bin/chromium';
const skipReason = !existsSync(CHROMIUM)
  ? `no Chromium at ${CHROMIUM} (install Debian's chromium or set CS_HELPER_CHROMIUM)`
  : !existsSync(CLI_PATH)
    ? 'dist/ is not built (npm run build)'
    : null;
if (skipReason !== null) console.warn(`skipping the browser test of the HTML report: ${skipReason}`);

/**
 * Rows in the example's columns whose user, address and host fields try to break out of the page. They connect to an
 * address of the bundled Feodo Tracker list, so they are scored critical and listed among the top findings.
 */
const HOSTILE_ROWS = [
  '2026-03-04T23:59:40Z,10.20.11.87,50001,198.38.94.213,443,TCP,allow,100,200,30,<script>alert(1)</script>,WS-0087,,https://example.com/,,web_request',
  '2026-03-04T23:59:50Z,"""><img src=x onerror=alert(2)>",50002,198.38.94.213,443,TCP,allow,100,200,30,"o\'brien ""quoted""",</svg><script>alert(3)</script>,,"https://example.com/?q=</svg><svg onload=alert(4)>",,web_request',
].join('\n');

/** The charts the example's data calls for (no ATT&CK mapping in this plan, so no tactics chart). */
const EXPECTED_CHARTS = ['threat-levels', 'timeline', 'entities', 'quality'];

describe.skipIf(skipReason !== null)('the HTML report in headless Chromium', () => {
  let work = '';
  let reportPath = '';
  // Undefined until launched: a failed run or launch must still let afterAll clean up.
  let browser: Browser | undefined;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const requests: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cs-helper-browser-'));
    const input = join(work, 'threat_data.csv');
    await copyFile(join(REPO_ROOT, 'examples', 'threat_data.csv'), input);
    await appendFile(input, `${HOSTILE_ROWS}\n`);
    const outputDir = join(work, 'out');
    const run = await runCli(
      ['dynamic-workflow', 'Analyze this CSV for security threats and export enriched data', '--input-files', input, '--outputs', 'enriched_data', 'threat_report', '--output-dir', outputDir, '--log-dir', join(work, 'logs'), '--execute'],
      { cwd: work },
    );
    expect(run.stderr.slice(-2000), run.stdout.slice(-2000)).toContain('export-threat_report');
    expect(run.code).toBe(0);
    reportPath = join(outputDir, 'threat_report.html');

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => requests.push(request.url()));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it('loads with no console or page error and requests nothing but the file itself', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(requests).toEqual([pathToFileURL(reportPath).href]);
  });

  it('draws every expected chart with SVG marks', async () => {
    const figures = page.locator('figure.chart');
    const drawn: (string | null)[] = [];
    for (let i = 0; i < (await figures.count()); i++) drawn.push(await figures.nth(i).getAttribute('data-chart'));
    expect(drawn).toEqual(EXPECTED_CHARTS);
    for (const chart of EXPECTED_CHARTS) {
      const marks = await page.locator(`figure[data-chart="${chart}"] svg .mark-rect path`).count();
      expect(marks, chart).toBeGreaterThan(0);
      const box = await page.locator(`figure[data-chart="${chart}"] svg`).first().boundingBox();
      expect(box?.width ?? 0, chart).toBeGreaterThan(200);
    }
    // One bar per hour over the example's three days, for events and again for flagged rows.
    expect(await page.locator('figure[data-chart="timeline"] svg .mark-rect path').count()).toBe(2 * 72);
  });

  it('shows the hostile values as text and runs none of them', async () => {
    expect(dialogs).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('main svg[onload]').count()).toBe(0);
    // The browser shows each payload as the text it is, in the top findings table.
    const findings = await page.locator('#top-findings').innerText();
    expect(findings).toContain('<script>alert(1)</script>');
    expect(findings).toContain('"><img src=x onerror=alert(2)>');
    expect(findings).toContain('o\'brien "quoted"');
    expect(findings).toContain('</svg><script>alert(3)</script>');
    expect(await page.locator('#top-findings tbody tr').count()).toBe(25);
  });

  it('links the data export of the same run by a relative link that resolves to the file', async () => {
    const href = await page.locator('a[href="enriched_data.csv"]').first().getAttribute('href');
    expect(href).toBe('enriched_data.csv');
    expect((await stat(join(reportPath, '..', 'enriched_data.csv'))).size).toBeGreaterThan(1_000_000);
  });

  it('prints without the navigation, and writes a full-page screenshot', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.toc').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    expect(await page.locator('nav.toc').isVisible()).toBe(true);
    const screenshots = join(REPO_ROOT, 'test-output');
    await mkdir(screenshots, { recursive: true });
    const file = join(screenshots, 'threat-report.png');
    await page.screenshot({ path: file, fullPage: true });
    expect((await stat(file)).size).toBeGreaterThan(50_000);
  });
});
