// The walking skeleton end to end: the console loads in Chromium, asks the real server for
// the history, and shows what it answered.
import { test, expect } from '@playwright/test';

test('the console loads and shows the server history', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  const historyResponse = page.waitForResponse((r) => r.url().includes('/bin/guides/v1/assets/process/history'));
  await page.goto('/');
  const response = await historyResponse;
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body).toHaveProperty('executionHistory');

  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  // A fresh server has no runs: the console says so instead of showing an empty table.
  expect(body.executionHistory).toHaveLength(0);
  await expect(page.getByRole('heading', { name: 'No processing runs yet' })).toBeVisible();
  await expect(page).toHaveTitle('Asset processing');
  expect(errors).toEqual([]);
});

test('a lost connection is explained and "Try again" recovers', async ({ page }) => {
  let fail = true;
  await page.route('**/bin/guides/v1/assets/process/history**', (route) =>
    fail ? route.abort('connectionrefused') : route.continue(),
  );
  await page.goto('/');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The server could not be reached');

  fail = false;
  await alert.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('heading', { name: 'No processing runs yet' })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a client-side route that does not exist says so', async ({ page }) => {
  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the recent runs' }).click();
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
});
