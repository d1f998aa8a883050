// Triage of a run (issue 12): the Problems panel above the log names the demo repository's
// malformed topic with the log's reason and links to the line; without the per-asset status
// API (a 404, as on an AEM without it) the log alone tells; the per-asset report lists every
// asset, filters, sorts and exports the rows shown as CSV; axe finds no violation.
import { type Page } from '@playwright/test';
import * as fs from 'node:fs';
import { API, apiClient, csrfToken, expect, expectNoViolations, runJob, signIn, test, watchRequests } from './helpers';

/** The demo's one malformed topic is in this set (see the server's demo.rs). */
const MALFORMED_SET = '/content/dam/guides/Café Scheduler/de';

/** The run's ERROR lines as the API has them: 1-based line number and text. */
async function errorLines(baseURL: string, id: string): Promise<{ n: number; text: string }[]> {
  const api = await apiClient(baseURL);
  const found: { n: number; text: string }[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await (await api.get(`${API}/logs?processingId=${id}&offset=${offset}&limit=1000`)).json();
    (page.lines as string[]).forEach((text, k) => {
      if (text.split(' ')[1] === 'ERROR') found.push({ n: offset + k + 1, text });
    });
    if (!page.hasMore) return found;
  }
}

const problems = (page: Page) => page.getByRole('region', { name: 'Problems' });

let malformedRun: Promise<string> | undefined;
function runWithMalformedTopic(baseURL: string): Promise<string> {
  malformedRun ??= apiClient(baseURL).then((api) => runJob(api, MALFORMED_SET));
  return malformedRun;
}

test('the Problems panel names the malformed topic and opens the log at its line', async ({ page, baseURL }) => {
  const id = await runWithMalformedTopic(baseURL!);
  const errors = await errorLines(baseURL!, id);
  const malformed = errors.find((l) => l.text.includes('Malformed XML in /content/dam/'));
  expect(malformed, 'the demo run logs its malformed topic').toBeTruthy();
  const path = malformed!.text.match(/Malformed XML in (\/content\/dam\/.*?): /)![1];

  await signIn(page, `/jobs/${id}`);
  const panel = problems(page);
  await expect(panel).toBeVisible();
  // It sits above the log.
  const panelBox = await panel.boundingBox();
  const logBox = await page.locator('.apc-log').boundingBox();
  expect(panelBox!.y).toBeLessThan(logBox!.y);
  await expect(panel.locator('.apc-problems__counts')).toHaveText(/^1 failed asset · \d+ warnings?$/);
  const item = panel.locator('.apc-problems__item').filter({ hasText: path });
  await expect(item).toHaveCount(1);
  await expect(item.locator('.apc-problems__reason')).toContainText(`Malformed XML in ${path}: `);
  // Reading is over: no progress note is left.
  await expect(panel.getByText(/^Read [\d,]+ of/)).toHaveCount(0);

  await item.getByRole('link', { name: new RegExp(`^Line ${malformed!.n.toLocaleString('en-US')} of the log`) }).click();
  await expect(page).toHaveURL(new RegExp(`#L${malformed!.n}$`));
  const row = page.locator(`.apc-logv__row[data-line="${malformed!.n}"]`);
  await expect(row).toHaveClass(/apc-logv__row--selected/);
  await expect(row).toContainText('Malformed XML');
  // Seen in the browser's window, not only inside the log's own scroller.
  await expect(row).toBeInViewport();
});

test('without the per-asset status API the log alone tells the problems', async ({ page, baseURL }) => {
  const id = await runWithMalformedTopic(baseURL!);
  await page.route('**/bin/guides/v1/assets/status**', (route) =>
    route.fulfill({ status: 404, contentType: 'application/json', body: '{"status":404,"message":"No resource"}' }));
  await signIn(page, `/jobs/${id}`);
  const panel = problems(page);
  await expect(panel.locator('.apc-problems__counts')).toHaveText(/^1 failed asset · /);
  await expect(panel.locator('.apc-problems__item')).toContainText('Malformed XML in /content/dam/guides/Café Scheduler/de/');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a run without failures or warnings has no Problems panel', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await runJob(api, '/content/dam/guides/Aurora Router/ja/images');
  const requests = watchRequests(page);
  await signIn(page, `/jobs/${id}`);
  await expect(page.locator('.apc-logv__rows')).toBeVisible();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');
  // Once the background reading is over (every request answered and drawn), the panel must
  // still be absent.
  await requests.settled();
  await expect(problems(page)).toHaveCount(0);
});


/** Every asset of the look-up for `path`, as the per-asset status API answers it. */
async function assetsUnder(baseURL: string, path: string): Promise<{ path: string; status: string }[]> {
  const api = await apiClient(baseURL);
  const token = await csrfToken(api);
  const started = await (await api.post('/bin/guides/v1/assets/status', {
    headers: { 'CSRF-Token': token }, data: { paths: [path], excludedPaths: [] },
  })).json();
  let report: { status: string; assets: { path: string; status: string }[] } = { status: '', assets: [] };
  await expect.poll(async () => {
    report = await (await api.get(`/bin/guides/v1/assets/status?jobId=${started.jobId}`)).json();
    return report.status;
  }).toBe('SUCCESS');
  return report.assets;
}

/** RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; }
    else field += c;
  }
  if (field || record.length) { record.push(field); records.push(record); }
  return records;
}

const reportRows = (page: Page) => page.locator('.apc-report__rows .apc-report__row');

test('the per-asset report lists every asset, filters, sorts and exports the rows shown', async ({ page, baseURL }) => {
  const id = await runWithMalformedTopic(baseURL!);
  const assets = await assetsUnder(baseURL!, MALFORMED_SET);
  expect(assets.length).toBeGreaterThan(50);
  const failed = assets.filter((a) => a.status === 'FAILURE');
  expect(failed).toHaveLength(1);

  // From the job view's link.
  await signIn(page, `/jobs/${id}`);
  await page.locator('.apc-job__tools').getByRole('link', { name: 'Per-asset report' }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}/report$`));
  await expect(page.getByRole('heading', { name: 'Per-asset report' })).toBeVisible();
  const count = page.locator('.apc-report__count');
  await expect(count).toHaveText(`${assets.length} of ${assets.length} assets`);
  // Virtualised: only the rows on screen are in the page.
  expect(await reportRows(page).count()).toBeLessThan(60);

  // Every asset is in the export, with its outcome; the failed one with its reason and line.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${id}-report.csv`);
  const records = parseCsv(fs.readFileSync(await file.path(), 'utf8'));
  expect(records[0]).toEqual(['path', 'outcome', 'reason', 'log line', 'cause']);
  const body = records.slice(1);
  expect(body.map((r) => r[0]).sort()).toEqual(assets.map((a) => a.path).sort());
  const failedRecord = body.find((r) => r[0] === failed[0].path)!;
  expect(failedRecord[1]).toBe('failed');
  expect(failedRecord[2]).toContain(`Malformed XML in ${failed[0].path}: `);
  const errors = await errorLines(baseURL!, id);
  expect(errors.find((l) => l.n === Number(failedRecord[3]))?.text).toContain('Malformed XML');
  expect(body.filter((r) => r[1] === 'failed')).toHaveLength(1);

  // Filter by outcome: only the failed asset; its line link opens the job's log there.
  await page.getByLabel('Outcome').selectOption('failed');
  await expect(count).toHaveText(`1 of ${assets.length} assets`);
  await expect(reportRows(page)).toHaveCount(1);
  await expect(reportRows(page).first()).toContainText(failed[0].path);
  await expect(reportRows(page).first()).toContainText('Failed');

  // The CSV holds the rows shown.
  const filtered = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const filteredRecords = parseCsv(fs.readFileSync(await (await filtered).path(), 'utf8'));
  expect(filteredRecords).toEqual([records[0], failedRecord]);

  // Text filter on the path, any case.
  await page.getByLabel('Outcome').selectOption('all');
  await page.getByLabel('Filter by path').fill('/IMAGES/FIGURE-0');
  const figures = assets.filter((a) => a.path.toLowerCase().includes('/images/figure-0'));
  await expect(count).toHaveText(`${figures.length} of ${assets.length} assets`);
  await expect(reportRows(page)).toHaveCount(figures.length);
  // Sort: by path descending puts the last path first.
  await page.getByRole('button', { name: /^Path/ }).click();
  await expect(page.getByRole('columnheader', { name: /^Path/ })).toHaveAttribute('aria-sort', 'descending');
  const last = figures.map((a) => a.path).sort().at(-1)!;
  await expect(reportRows(page).first().locator('.apc-report__path')).toHaveText(last);

  await page.getByLabel('Filter by path').fill('');
  await page.getByLabel('Outcome').selectOption('failed');
  await reportRows(page).first().getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}#L${failedRecord[3]}$`));
  const row = page.locator(`.apc-logv__row[data-line="${failedRecord[3]}"]`);
  await expect(row).toHaveClass(/apc-logv__row--selected/);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no axe violations in the triage views in ${colorScheme}`, async ({ page, baseURL }) => {
    await page.emulateMedia({ colorScheme });
    const id = await runWithMalformedTopic(baseURL!);
    await signIn(page, `/jobs/${id}`);
    await expect(problems(page).locator('.apc-problems__item')).toHaveCount(1);
    await expectNoViolations(page);
    await page.goto(`/jobs/${id}/report`);
    await expect(page.locator('.apc-report__count')).toHaveText(/^\d+ of \d+ assets$/);
    await expect(reportRows(page).first()).toBeVisible();
    await expectNoViolations(page);
  });
}
