// The console against a server that answers the other ways the published pages allow
// (`asset-processing-server serve --variant published-docs`, the second Playwright project):
// the log download names log files instead of sending a ZIP, history ignores `limit`, and
// `eta.unit` and a filter's categories come as words the console does not know.
import * as fs from 'fs';
import { API, apiClient, expect, postJob, runJob, signIn, startJob, test } from './helpers';

test('the log download that names files offers each file as a link that downloads the log', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await runJob(api, '/content/dam/shared');
  await signIn(page, `/jobs/${id}`);
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');
  await page.getByRole('link', { name: 'Download logs (ZIP)' }).click();
  const files = page.getByRole('list', { name: 'Log files' });
  await expect(files).toBeVisible();
  const link = files.getByRole('link', { name: `${id}.log` });
  await expect(link).toHaveAttribute('href', `/var/dxml/asset-processing/logs/${id}.log`);
  const download = page.waitForEvent('download');
  await link.click();
  const saved = await (await download).path();
  const text = fs.readFileSync(saved, 'utf8');
  const lines = text.trimEnd().split('\n');
  const tail = (await (await api.get(`${API}/logs?processingId=${id}&tail=1000`)).json()).lines as string[];
  expect(lines).toEqual(tail);
  // The page stayed where it was.
  await expect(page).toHaveURL(new RegExp(`/jobs/${id}$`));
});

test('a history longer than asked shows the newest runs asked for', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  for (let i = 0; i < 12; i++) {
    await postJob(api, '/content/dam/archive');
  }
  // The server answers 20 runs whatever the limit.
  expect((await (await api.get(`${API}/history?limit=10`)).json()).executionHistory.length).toBe(20);
  await signIn(page);
  await expect(page.getByLabel('Show')).toHaveValue('10');
  await expect(page.locator('tbody tr.apc-table__row')).toHaveCount(10);
  await page.getByLabel('Show').selectOption('25');
  await expect(page.locator('tbody tr.apc-table__row')).toHaveCount(20);
});

test('an unknown ETA unit and unknown categories are shown as they come', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await startJob(api, '/content/dam/guides', { filter: { fileTypes: ['DITATOPIC', 'OTHERS'] } });
  await signIn(page, `/jobs/${id}`);
  const facts = page.locator('.apc-facts');
  await expect(facts).toContainText('ditatopic, others');
  // While it runs the ETA is the server's number and word ("12 seconds").
  await expect(facts.locator('div').filter({ hasText: 'Time remaining' }).locator('dd')).toHaveText(/^\d+ (seconds|minutes)$/, { timeout: 20_000 });
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 60_000 });
  await page.goto('/');
  await expect(page.locator(`tr[data-processing-id="${id}"] .apc-filter-words`)).toHaveText('ditatopic, others');
});
