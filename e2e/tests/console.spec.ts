// The console's main flows, in Chromium against the real reference server (issue 4).
import { type Page } from '@playwright/test';
import { API, apiClient, cancelJob, expect, runJob, signIn, startJob, submitSignIn, test } from './helpers';

/** True in the project whose server answers the other forms the published pages allow:
 *  it echoes categories in lower case, words the console shows as they come. */
const publishedDocs = () => test.info().project.name === 'published-docs';

async function fillStart(page: Page, path: string) {
  await page.getByLabel('Folder or asset').fill(path);
}

test('start a job: the job view opens, shows progress and ends in SUCCESS', async ({ page }) => {
  await signIn(page, '/new');
  await expect(page.getByRole('heading', { name: 'Start a processing job' })).toBeVisible();
  await fillStart(page, '/content/dam/guides/Aurora Router');
  await page.getByLabel('Folder to exclude').fill('/content/dam/guides/Aurora Router/ja');
  await page.getByRole('button', { name: 'Add' }).click();
  await expect(page.getByRole('list', { name: 'Excluded folders' })).toContainText('/content/dam/guides/Aurora Router/ja');
  await page.getByRole('group', { name: 'File types' }).getByLabel('DITA topics').check();
  await page.getByRole('group', { name: 'File types' }).getByLabel('DITA maps').check();
  let posts = 0;
  let sent: any = null;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(API)) sent = r.postDataJSON(); });
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(API)) posts++; });
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 30_000 });
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.locator('.apc-facts')).toContainText(publishedDocs() ? 'ditatopic, ditamap' : 'DITA topics, DITA maps');
  // The published categories go on the wire, in the contract's order, and no time window.
  expect(sent.filter).toEqual({ fileTypes: ['DITATOPIC', 'DITAMAP'], filterProcessedAssets: false });
  await expect(page.locator('.apc-facts')).toContainText('/content/dam/guides/Aurora Router/ja');
  await expect(page.locator('.apc-logv__rows')).toContainText('Finished:');
  await expect(page).toHaveTitle(/^SUCCESS · Asset processing$/);
  expect(posts).toBe(1);
});

test('a 400 from the server is shown at its field', async ({ page }) => {
  await signIn(page, '/new');
  await fillStart(page, '/content/dam/no-such-folder');
  await page.getByRole('button', { name: 'Start processing' }).click();
  const error = page.locator('#apc-path-error');
  await expect(error).toContainText('does not exist in the repository');
  await expect(page.getByLabel('Folder or asset')).toHaveAttribute('aria-invalid', 'true');
  // Validation in the browser, before anything is sent.
  await fillStart(page, '/etc/passwd');
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(error).toContainText('must be /content/dam or a path below it');
});

test('history filters and sorting', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  await runJob(api, '/content/dam/archive');
  await runJob(api, '/content/dam/shared');
  await signIn(page);
  const rows = page.locator('tbody tr.apc-table__row');
  await expect(rows.first()).toBeVisible();
  await page.getByLabel('Search path, ID or user').fill('archive');
  await expect(rows).not.toHaveCount(0);
  for (const text of await rows.allInnerTexts()) expect(text).toContain('/content/dam/archive');
  await page.getByLabel('Search path, ID or user').fill('');
  await page.getByRole('button', { name: 'Folder' }).click();
  const folders = await page.locator('tbody tr.apc-table__row .apc-runs__link').allInnerTexts();
  expect(folders).toEqual([...folders].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  await expect(page.getByRole('columnheader', { name: /Folder/ })).toHaveAttribute('aria-sort', 'ascending');
  // The status filter keeps only its status (other specs leave runs of every status behind).
  await page.getByLabel('Status').selectOption('SUCCESS');
  await expect(rows).not.toHaveCount(0);
  for (const text of await rows.allInnerTexts()) expect(text).toContain('Completed');
  await page.getByLabel('Search path, ID or user').fill('no run has this text');
  await expect(page.getByText('No run matches these filters.')).toBeVisible();
});

test('cancel asks first, then the job stops; resume finishes it', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  // The big folder of the slow server run below: the job is still running when we cancel.
  const id = await startJob(api, '/content/dam/guides');
  await signIn(page, `/jobs/${id}`);
  await page.getByRole('button', { name: 'Cancel job' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this job?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel job' }).click();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Cancelled');
  // Whatever the server answered (the job, or the strict reading's empty 200): no error.
  await expect(page.getByRole('alert')).toHaveCount(0);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 60_000 });
  await expect(page.getByRole('alert')).toHaveCount(0);
  const job = await (await api.get(`${API}/status?processingId=${id}`)).json();
  expect(job.triggeredCount).toBe(job.migrationSet.totalFiles);
});

test('restart makes a new job with the same request', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await runJob(api, '/content/dam/shared');
  await signIn(page, `/jobs/${id}`);
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.getByRole('dialog', { name: 'Restart this job?' }).getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.locator('.apc-facts')).toContainText('/content/dam/shared');
});

test('an expired session keeps what was typed', async ({ page, context }) => {
  await signIn(page, '/new');
  await fillStart(page, '/content/dam/guides');
  await page.getByLabel('Other files').check();
  await page.getByLabel('Created after').fill('2026-03-01T08:30');
  await context.clearCookies();
  await page.getByRole('button', { name: 'Start processing' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Your session has ended' });
  await expect(alert).toBeVisible();
  await alert.getByRole('link', { name: 'Sign in' }).click();
  await submitSignIn(page);
  await expect(page.getByLabel('Folder or asset')).toHaveValue('/content/dam/guides');
  await expect(page.getByLabel('Other files')).toBeChecked();
  await expect(page.getByLabel('DITA maps')).not.toBeChecked();
  await expect(page.getByLabel('Created after')).toHaveValue('2026-03-01T08:30');
});

test('a lost connection shows "retrying in N s" and clears itself when the server answers', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await startJob(api, '/content/dam/guides');
  await signIn(page, `/jobs/${id}`);
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('In progress');
  await page.route('**/bin/guides/v1/assets/process/status**', (route) => route.abort('connectionrefused'));
  const banner = page.getByText(/Connection lost\. Retrying in \d+ s/);
  await expect(banner).toBeVisible();
  await page.unroute('**/bin/guides/v1/assets/process/status**');
  await expect(banner).toBeHidden({ timeout: 10_000 });
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 60_000 });
});

test('file-type categories and a creation window: checked at the field, sent as epoch ms, shown in words, kept by restart', async ({ page, baseURL }) => {
  await signIn(page, '/new');
  await fillStart(page, '/content/dam/shared');
  const types = page.getByRole('group', { name: 'File types' });
  // Six boxes named by category, none ticked: every type.
  await expect(types.getByRole('checkbox')).toHaveCount(6);
  for (const name of ['DITA topics', 'DITA maps', 'Markdown', 'HTML and CSS', 'DITAVAL', 'Other files']) {
    await expect(types.getByRole('checkbox', { name })).not.toBeChecked();
  }
  // "Created before" earlier than "Created after": a message at the field, nothing sent.
  let posts = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(API)) posts++; });
  await page.getByLabel('Created after').fill('2026-07-01T00:00');
  await page.getByLabel('Created before').fill('2026-03-01T00:00');
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.locator('#apc-created-before-error')).toContainText('earlier than');
  await expect(page.getByLabel('Created before')).toHaveAttribute('aria-invalid', 'true');
  expect(posts).toBe(0);

  // A window around now holds every asset of the folder (made when the test server started).
  const day = 24 * 3600 * 1000;
  const local = (ms: number) => {
    const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
    return d.toISOString().slice(0, 16);
  };
  const after = local(Date.now() - day);
  const before = local(Date.now() + day);
  await page.getByLabel('Created after').fill(after);
  await page.getByLabel('Created before').fill(before);
  await types.getByLabel('DITA maps').check();
  let sent: any = null;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(API)) sent = r.postDataJSON(); });
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  expect(sent.filter.fileTypes).toEqual(['DITAMAP']);
  expect(sent.filter.startTime).toBe(new Date(after).getTime());
  expect(sent.filter.endTime).toBe(new Date(before).getTime());
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 30_000 });
  const facts = page.locator('.apc-facts');
  const words = publishedDocs() ? /ditamap; created .+ – .+/ : /DITA maps; created .+ – .+/;
  await expect(facts).toContainText(words);
  const id = page.url().split('/').pop()!;
  const api = await apiClient(baseURL!);
  const job = await (await api.get(`${API}/status?processingId=${id}`)).json();
  const echoed = publishedDocs() ? ['ditamap'] : ['DITAMAP'];
  expect(job.filter).toEqual({ fileTypes: echoed, startTime: sent.filter.startTime, endTime: sent.filter.endTime, filterProcessedAssets: false });
  expect(job.migrationSet.totalFiles).toBeGreaterThan(0);

  // The history says it in words too.
  await page.goto('/');
  const row = page.locator('tbody tr.apc-table__row').filter({ hasText: id.slice(0, 8) });
  await expect(row.locator('.apc-filter-words')).toContainText(words);

  // Restart sends the same filter again.
  await page.goto(`/jobs/${id}`);
  let restarted: any = null;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(API)) restarted = r.postDataJSON(); });
  await page.getByRole('button', { name: 'Restart' }).click();
  await page.getByRole('dialog', { name: 'Restart this job?' }).getByRole('button', { name: 'Restart', exact: true }).click();
  await expect(page).not.toHaveURL(new RegExp(id));
  // The job's filter as the server echoed it (in the published-docs reading, lower case).
  expect(restarted.filter).toEqual({ ...sent.filter, fileTypes: echoed });
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 30_000 });

  // A window in the future selects nothing: the run succeeds with no asset.
  await page.goto('/new');
  await fillStart(page, '/content/dam/shared');
  await page.getByLabel('Created after').fill(local(Date.now() + 30 * day));
  await page.getByLabel('Created before').fill('');
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 30_000 });
  await expect(page.locator('.apc-logv__rows')).toContainText('Found 0 asset(s)');
});

test('the header shows the back end is healthy', async ({ page }) => {
  await signIn(page);
  await expect(page.getByRole('img', { name: 'Processing back end: healthy' })).toBeVisible();
});

test('pre-flight: a run not finished on the same assets is named with a link, and starting anyway works', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const running = await startJob(api, '/content/dam/guides');
  try {
    await signIn(page, '/new');
    await fillStart(page, '/content/dam/guides/Aurora Router');
    const notice = page.getByRole('status').filter({ hasText: 'A run on these assets has not finished yet' });
    await expect(notice).toBeVisible();
    const link = notice.getByRole('link', { name: /(WAITING|RUNNING) on \/content\/dam\/guides \(contains this folder\)/ });
    await expect(link).toHaveAttribute('href', `/jobs/${running}`);
    // Another folder: no notice.
    await fillStart(page, '/content/dam/shared');
    await expect(notice).toBeHidden();
    // Starting anyway makes the job.
    await fillStart(page, '/content/dam/guides/Aurora Router');
    await expect(notice).toBeVisible();
    await page.getByRole('button', { name: 'Start processing' }).click();
    await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
    expect(page.url()).not.toContain(running);
  } finally {
    await cancelJob(api, running);
  }
});
