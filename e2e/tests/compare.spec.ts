// Comparing two runs (issue 12, item 6). The main flow runs on a server of its own over a
// repository it writes (a topic fixed between the runs, another broken, a folder the second
// run excludes), so every list has a known asset: the two runs are ticked in the history by
// their labels and the keyboard, the comparison's address, the figures side by side with
// their differences, the newly failing / fixed / still failing / not retried lists, a link
// into a log at the line, the address opened directly in the other order, and the same
// without the per-asset status API. Then the error cases on the shared demo server: an
// unknown id, the same id twice, runs of different folders, a run still running; and a list
// of 250 (the older run's log answered by the test) shown 100 at a time.
import { type APIRequestContext, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API, apiClient, expect, OwnServer, runJob, signIn, signInAt, test } from './helpers';

const work = path.resolve(process.env.APC_WORK ?? '../target/e2e');

/** The 1-based number of the first log line holding `text`. */
async function lineOf(api: APIRequestContext, id: string, text: string): Promise<number> {
  const page = await (await api.get(`${API}/logs?processingId=${id}&offset=0&limit=1000`)).json();
  const i = (page.lines as string[]).findIndex((l) => l.includes(text));
  expect(i, `the log of ${id} has "${text}"`).toBeGreaterThanOrEqual(0);
  return i + 1;
}

const GOOD = '<?xml version="1.0"?>\n<topic id="t"><title>Fine</title><body><p>ok</p></body></topic>\n';
const BROKEN = '<?xml version="1.0"?>\n<topic id="t"><title>Broken</title><body><p>never closed</body></topic>\n';
const short = (id: string) => `${id.slice(0, 8)}…`;
const list = (page: Page, name: RegExp) => page.getByRole('region', { name });
const figure = (page: Page, measure: string) => page.locator(`.apc-compare__figures tr[data-measure="${measure}"] td`);

test('two runs ticked in the history compare side by side: figures, newly failing, fixed, still failing, a link into a log', async ({ page }) => {
  test.setTimeout(120_000);
  const root = fs.mkdtempSync(path.join(work, 'compare-'));
  const folder = path.join(root, 'repository', 'cmp');
  fs.mkdirSync(path.join(folder, 'old'), { recursive: true });
  const write = (name: string, body: string) => fs.writeFileSync(path.join(folder, name), body);
  write('a.dita', BROKEN); // fixed before the second run
  write('b.dita', GOOD); // broken before the second run
  write('c.dita', GOOD);
  write('e.dita', BROKEN); // broken in both
  write('old/x.dita', BROKEN); // the second run excludes old/
  const server = new OwnServer(path.join(root, 'data'), path.join(root, 'repository'));
  await server.start();
  try {
    const api = await apiClient(server.base);
    const older = await runJob(api, '/content/dam/cmp');
    write('a.dita', GOOD);
    write('b.dita', BROKEN);
    const newer = await runJob(api, '/content/dam/cmp', ['/content/dam/cmp/old']);

    // Ticked in the history: the newer by its label (a click), the older by the keyboard.
    await signInAt(page, server.base, '/');
    const compare = page.getByRole('button', { name: 'Compare selected' });
    await expect(compare).toBeDisabled();
    await page.getByRole('checkbox', { name: `Compare run ${short(newer)} on /content/dam/cmp` }).check();
    await expect(page.getByText('1 run ticked: tick one more')).toBeVisible();
    const olderBox = page.getByRole('checkbox', { name: `Compare run ${short(older)} on /content/dam/cmp` });
    await olderBox.focus();
    await page.keyboard.press('Space');
    await expect(olderBox).toBeChecked();
    await expect(page.getByText('2 runs ticked')).toBeVisible();
    const link = page.getByRole('link', { name: 'Compare selected' });
    await link.focus();
    await page.keyboard.press('Enter');
    // The address names them in the order ticked; the older is on the left all the same.
    await expect(page).toHaveURL(`${server.base}/compare/${newer}/${older}`);
    await expect(page.getByRole('heading', { name: 'Compare two runs' })).toBeVisible();
    const heads = page.locator('.apc-compare__figures thead th');
    await expect(heads.nth(1)).toContainText(`Older run${short(older)}`);
    await expect(heads.nth(2)).toContainText(`Newer run${short(newer)}`);
    await expect(heads.nth(1).getByRole('link', { name: `Job page of run ${short(older)}` })).toHaveAttribute('href', `/jobs/${older}`);
    await expect(heads.nth(2).getByRole('link', { name: `Per-asset report of run ${short(newer)}` })).toHaveAttribute('href', `/jobs/${newer}/report`);

    await expectCmpLists(page, older, newer, api);

    // The newer run's line about b.dita opens its log there.
    const bLine = await lineOf(api, newer, 'Malformed XML in /content/dam/cmp/b.dita');
    await list(page, /^Newly failing/).getByRole('link', { name: new RegExp(`^Line ${bLine} of the log of run ${short(newer)}`) }).click();
    await expect(page).toHaveURL(`${server.base}/jobs/${newer}#L${bLine}`);
    const row = page.locator(`.apc-logv__row[data-line="${bLine}"]`);
    await expect(row).toHaveClass(/apc-logv__row--selected/);
    await expect(row).toContainText('Malformed XML in /content/dam/cmp/b.dita');

    // The newer run's page opens the comparison with the run before it on the folder (the
    // history is asked only when the button is pressed).
    await page.getByRole('button', { name: 'Compare with the previous run of this folder' }).click();
    await expect(page).toHaveURL(`${server.base}/compare/${older}/${newer}`);
    await expect(heads.nth(1)).toContainText(short(older));
    // The older run has none before it: the button says so.
    await page.goto(`${server.base}/jobs/${older}`);
    await page.getByRole('button', { name: 'Compare with the previous run of this folder' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'No earlier run of this folder among the last 100 runs' })).toBeVisible();
    await expect(page).toHaveURL(`${server.base}/jobs/${older}`);

    // Opened directly, the other way round: the same comparison.
    await page.goto(`${server.base}/compare/${older}/${newer}`);
    await expect(heads.nth(1)).toContainText(short(older));
    await expectCmpLists(page, older, newer, api);

    // Without the per-asset status API (an AEM answering 404) the two logs tell the same.
    await page.route('**/bin/guides/v1/assets/status**', (route) =>
      route.fulfill({ status: 404, contentType: 'application/json', body: '{"status":404,"message":"No resource"}' }));
    await page.reload();
    await expect(page.getByText('This server has no per-asset status: the changes come from the two logs alone.')).toBeVisible();
    await expectCmpLists(page, older, newer, api);
  } finally {
    server.kill9();
  }
});

/** The figures and the four lists of the own server's two runs. */
async function expectCmpLists(page: Page, older: string, newer: string, api: APIRequestContext) {
  // Five assets counted and handled, then four (old/ excluded); three failed, then two.
  await expect(figure(page, 'counted')).toHaveText(['5', '4', /^−1\s*1 fewer$/]);
  await expect(figure(page, 'handled')).toHaveText(['5', '4', /^−1\s*1 fewer$/]);
  await expect(figure(page, 'failed')).toHaveText(['3', '2', /^−1\s*1 fewer$/]);
  await expect(figure(page, 'processed')).toHaveText(['2', '2', 'the same']);
  await expect(figure(page, 'duration').nth(0)).toHaveText(/\d+ s$/);
  await expect(figure(page, 'throughput').nth(1)).toHaveText(/^[\d,.]+ assets\/s$/);
  await expect(figure(page, 'throughput').nth(2)).toHaveText(/(^[+−][\d,.]+ assets\/s[\d,.]+ assets\/s (faster|slower)$)|^the same/);
  const newly = list(page, /^Newly failing/);
  await expect(newly.getByRole('heading')).toHaveText('Newly failing (1)');
  await expect(newly.locator('.apc-compare__item')).toHaveCount(1);
  await expect(newly.locator('.apc-compare__path')).toHaveText('/content/dam/cmp/b.dita');
  await expect(newly.locator('.apc-compare__said').nth(0)).toContainText('its log does not name it');
  await expect(newly.locator('.apc-compare__said').nth(1)).toContainText('Malformed XML in /content/dam/cmp/b.dita');
  const fixed = list(page, /^Fixed/);
  await expect(fixed.getByRole('heading')).toHaveText('Fixed (1)');
  await expect(fixed.locator('.apc-compare__path')).toHaveText('/content/dam/cmp/a.dita');
  const aLine = await lineOf(api, older, 'Malformed XML in /content/dam/cmp/a.dita');
  await expect(fixed.getByRole('link')).toHaveAttribute('href', `/jobs/${older}#L${aLine}`);
  const still = list(page, /^Still failing/);
  await expect(still.locator('.apc-compare__path')).toHaveText('/content/dam/cmp/e.dita');
  await expect(still.getByRole('link')).toHaveCount(2);
  const notRetried = list(page, /^Failed before, not retried/);
  await expect(notRetried.locator('.apc-compare__path')).toHaveText('/content/dam/cmp/old/x.dita');
  await expect(notRetried.locator('.apc-compare__why')).toHaveText(/^not taken in by the newer run/);
}

test('the comparison says so for an unknown id, the same id twice, different folders and a run still running', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const images = await runJob(api, '/content/dam/guides/Aurora Router/ja/images');
  const other = await runJob(api, '/content/dam/guides/Aurora Router/en/images');

  await signIn(page, `/compare/${images}/no-such-run`);
  await expect(page.getByRole('alert')).toHaveText('There is no run with the ID no-such-run: it may have been removed, or the address is mistyped.');

  await page.goto(`/compare/${images}/${images}`);
  await expect(page.getByRole('alert')).toContainText('Both parts of the address name the same run');
  await expect(page.getByRole('link', { name: `Job page of run ${short(images)}` })).toHaveAttribute('href', `/jobs/${images}`);

  await page.goto(`/compare/${images}/${other}`);
  await expect(page.getByText(/^These runs are of different folders \(\/content\/dam\/guides\/Aurora Router\/ja\/images and \/content\/dam\/guides\/Aurora Router\/en\/images\)/)).toBeVisible();
  await expect(list(page, /^Newly failing/).getByText('None.')).toBeVisible();

  // The newer run answered RUNNING: what is known is compared, and the page says it is not final.
  const statusOfOther = (url: URL) => url.pathname.endsWith('/process/status') && url.searchParams.get('processingId') === other;
  await page.route(statusOfOther, async (route) => {
    const response = await route.fetch();
    const job = await response.json();
    await route.fulfill({ response, json: { ...job, status: 'RUNNING', completedAt: 0, cancellable: true } });
  });
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: `Run ${short(other)} has not ended` })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Refresh' })).toBeVisible();
  await expect(figure(page, 'handled').nth(1)).toHaveText(/^\d+$/);
  await expect(list(page, /^Fixed/)).toBeVisible();
});

test('a long list shows 100 assets at a time, with its count, and more on request', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const folder = '/content/dam/guides/Aurora Router/ja/images';
  const older = await runJob(api, folder);
  const newer = await runJob(api, folder);
  // The older run's log answered with 250 failed assets; the look-up missing (the log alone tells).
  const lines = Array.from({ length: 250 }, (_, i) =>
    `2026-11-29T12:00:00.000Z ERROR Malformed XML in ${folder}/gone-${String(i).padStart(3, '0')}.dita: eof`);
  await page.route((url) => url.pathname.endsWith('/process/logs') && url.searchParams.get('processingId') === older, (route) => {
    const q = new URL(route.request().url()).searchParams;
    const page = q.has('tail')
      ? { lines: lines.slice(-1), offset: lines.length - 1, limit: 1, hasMore: false }
      : { lines: lines.slice(Number(q.get('offset'))), offset: Number(q.get('offset')), limit: 1000, hasMore: false };
    return route.fulfill({ json: page });
  });
  await page.route('**/bin/guides/v1/assets/status**', (route) =>
    route.fulfill({ status: 404, contentType: 'application/json', body: '{"status":404,"message":"No resource"}' }));
  await signIn(page, `/compare/${older}/${newer}`);
  const fixed = list(page, /^Fixed/);
  await expect(fixed.getByRole('heading')).toHaveText('Fixed (250)');
  await expect(fixed.locator('.apc-compare__item')).toHaveCount(100);
  await expect(fixed.getByRole('status')).toHaveText('Showing 100 of 250');
  await expect(fixed.locator('.apc-compare__path').first()).toHaveText(`${folder}/gone-000.dita`);
  await fixed.getByRole('button', { name: 'Show 100 more' }).click();
  await expect(fixed.locator('.apc-compare__item')).toHaveCount(200);
  await fixed.getByRole('button', { name: 'Show 50 more' }).click();
  await expect(fixed.locator('.apc-compare__item')).toHaveCount(250);
  await expect(fixed.getByRole('button')).toHaveCount(0);
  await expect(figure(page, 'failed')).toHaveText(['250', '0', /^−250\s*250 fewer$/]);
});
