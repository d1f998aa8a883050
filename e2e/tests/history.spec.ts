// The walking skeleton end to end: the console loads in Chromium, asks the real server for
// the history, and shows what it answered; sign-in and failures are explained.
import { API, apiClient, expect, runJob, signIn, test } from './helpers';

test('not signed in: the console says so and its link signs in and comes back', async ({ page }) => {
  await page.goto('/');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Your session has ended');
  await alert.getByRole('link', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/login\.html\?resource=%2F/);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('the console loads and shows the server history', async ({ page, baseURL }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() === 404) errors.push('404 ' + r.url()); });

  const api = await apiClient(baseURL!);
  const id = await runJob(api, '/content/dam/guides/Café Scheduler/en');

  // The console's own call to the history endpoint, answered by the real server (its body
  // is read inside the predicate: nothing navigates away before).
  const historyResponse = page.waitForResponse(
    async (r) => r.url().includes(`${API}/history`) && r.status() === 200 &&
      (await r.json()).executionHistory[0]?.processingId === id,
  );
  await signIn(page);
  await historyResponse;

  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  const row = page.locator(`tr[data-processing-id="${id}"]`);
  await expect(row).toContainText('Completed');
  await expect(row).toContainText('/content/dam/guides/Café Scheduler/en');
  await expect(row).toContainText('admin');
  await expect(row.locator('.apc-status')).toHaveAttribute('title', 'SUCCESS');
  await expect(page).toHaveTitle('Asset processing');
  // A row's View link opens the job inside the console, without loading the page again.
  await page.evaluate(() => { (window as unknown as { __samePage: boolean }).__samePage = true; });
  await row.getByRole('link', { name: 'View: /content/dam/guides/Café Scheduler/en' }).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
  await expect(page.getByRole('heading', { name: 'Processing job' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __samePage?: boolean }).__samePage)).toBe(true);
  // The 401 of the first, signed-out load is expected; nothing else may fail.
  expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
});

test('a lost connection is explained and "Try again" recovers', async ({ page }) => {
  await signIn(page);
  let fail = true;
  await page.route('**/bin/guides/v1/assets/process/history**', (route) =>
    fail ? route.abort('connectionrefused') : route.continue(),
  );
  await page.reload();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The server could not be reached');

  fail = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('table')).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a client-side route that does not exist says so', async ({ page }) => {
  await signIn(page);
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the recent runs' }).click();
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
});
