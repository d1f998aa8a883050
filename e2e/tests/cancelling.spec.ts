// A cancel that the server answers while the job still runs (it records the cancel; the
// worker stops at its next commit): the job view says "Cancelling…" with its cancel button
// disabled, shows RUNNING as the server does, and only the server's CANCELLED ends it; a
// reload or the history still says "Cancelling…" meanwhile.
import { API, apiClient, expect, signIn, test } from './helpers';

test('a cancel answered RUNNING shows "Cancelling…" until the server says CANCELLED', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const token = (await (await api.get('/libs/granite/csrf/token.json')).json()).token;
  const started = await api.post(API, { headers: { 'CSRF-Token': token }, data: { path: '/content/dam/guides', type: 'ASSET_PROCESSING' } });
  const id = (await started.json()).processingId;
  // Until the test lets go: the cancel is answered with the job still RUNNING, and every
  // status answer says RUNNING too (the worker has not reached its next commit).
  await page.route('**/process/cancel**', async (route) => {
    const job = await (await api.get(`${API}/status?processingId=${id}`)).json();
    await route.fulfill({ json: { ...job, status: 'RUNNING', cancellable: true, completedAt: 0 } });
  });
  await page.route('**/process/status**', async (route) => {
    const response = await route.fetch();
    const job = await response.json();
    await route.fulfill({ response, json: { ...job, status: 'RUNNING', cancellable: true, completedAt: 0 } });
  });
  await signIn(page, `/jobs/${id}`);
  const cancel = page.locator('.apc-job__head button[data-action=cancel]');
  await cancel.click();
  await page.getByRole('dialog', { name: 'Cancel this job?' }).getByRole('button', { name: 'Cancel job' }).click();
  const actions = page.locator('.apc-job__head .apc-actions');
  await expect(actions.getByRole('status')).toHaveText('Cancelling…');
  await expect(cancel).toBeDisabled();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('RUNNING');
  // A reload still knows the cancel is under way (the tab keeps it), and so does the history.
  await page.reload();
  await expect(actions.getByRole('status')).toHaveText('Cancelling…');
  await expect(cancel).toBeDisabled();
  await page.getByRole('link', { name: 'Back to runs' }).click();
  const row = page.locator(`tbody tr[data-processing-id="${id}"]`);
  await expect(row.getByRole('status')).toHaveText('Cancelling…');
  await expect(row.locator('button[data-action=cancel]')).toBeDisabled();
  await row.getByRole('link', { name: /^View/ }).click();
  await expect(actions.getByRole('status')).toHaveText('Cancelling…');
  // The server's own word: the job is cancelled for real, and the page says so.
  await page.unroute('**/process/status**');
  const fresh = (await (await api.get('/libs/granite/csrf/token.json')).json()).token;
  await api.post(`${API}/cancel?processingId=${id}`, { headers: { 'CSRF-Token': fresh } });
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('CANCELLED');
  await expect(actions).not.toContainText('Cancelling…');
});
