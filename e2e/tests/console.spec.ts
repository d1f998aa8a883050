// The console's main flows, in Chromium against the real reference server (issue 4).
import { test, expect, type Page } from '@playwright/test';
import { API, apiClient, runJob, signIn } from './helpers';

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
  await page.getByLabel('Only these file types').fill('dita, ditamap');
  let posts = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(API)) posts++; });
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('progressbar')).toBeVisible();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('SUCCESS', { timeout: 30_000 });
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(page.locator('.apc-facts')).toContainText('dita, ditamap');
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
  const folders = await page.locator('tbody tr.apc-table__row td:nth-child(3)').allInnerTexts();
  expect(folders).toEqual([...folders].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
  await expect(page.getByRole('columnheader', { name: /Folder/ })).toHaveAttribute('aria-sort', 'ascending');
  await page.getByLabel('Status').selectOption('CANCELLED');
  await expect(page.getByText('No run matches these filters.')).toBeVisible();
});

test('cancel asks first, then the job stops; resume finishes it', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const token = (await (await api.get('/libs/granite/csrf/token.json')).json()).token;
  // The big folder of the slow server run below: the job is still running when we cancel.
  const started = await api.post(API, { headers: { 'CSRF-Token': token }, data: { path: '/content/dam/guides', type: 'ASSET_PROCESSING' } });
  const id = (await started.json()).processingId;
  await signIn(page, `/jobs/${id}`);
  await page.getByRole('button', { name: 'Cancel job' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancel this job?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel job' }).click();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('CANCELLED');
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('SUCCESS', { timeout: 60_000 });
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
  await page.getByLabel('Only these file types').fill('png');
  await context.clearCookies();
  await page.getByRole('button', { name: 'Start processing' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Your session has ended' });
  await expect(alert).toBeVisible();
  await alert.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Folder or asset')).toHaveValue('/content/dam/guides');
  await expect(page.getByLabel('Only these file types')).toHaveValue('png');
});

test('a lost connection shows "retrying in N s" and clears itself when the server answers', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const token = (await (await api.get('/libs/granite/csrf/token.json')).json()).token;
  const started = await api.post(API, { headers: { 'CSRF-Token': token }, data: { path: '/content/dam/guides', type: 'ASSET_PROCESSING' } });
  const id = (await started.json()).processingId;
  await signIn(page, `/jobs/${id}`);
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('RUNNING');
  await page.route('**/bin/guides/v1/assets/process/status**', (route) => route.abort('connectionrefused'));
  const banner = page.getByText(/Connection lost\. Retrying in \d+ s/);
  await expect(banner).toBeVisible();
  await page.unroute('**/bin/guides/v1/assets/process/status**');
  await expect(banner).toBeHidden({ timeout: 10_000 });
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('SUCCESS', { timeout: 60_000 });
});
