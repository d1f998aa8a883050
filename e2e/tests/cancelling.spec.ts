// A cancel that the server answers while the job still runs (it records the cancel; the
// worker stops at its next commit): the job view says "Cancelling…" with its cancel button
// disabled, shows RUNNING as the server does, and only the server's CANCELLED ends it; a
// reload or the history still says "Cancelling…" meanwhile. Against the strict
// published-docs variant the server's own answer is used: an empty 200 to a cancel whose id
// is only read from the JSON body (the status then says where the job is).
import * as path from 'node:path';
import type { Page } from '@playwright/test';
import { API, apiClient, cancelJob, expect, OwnServer, signIn, signInAt, startJob, test } from './helpers';

const work = path.resolve(process.env.APC_WORK ?? '../target/e2e');

test('a cancel answered RUNNING shows "Cancelling…" until the server says CANCELLED', async ({ page, baseURL }) => {
  // Until the test lets go: the cancel is answered with the job still RUNNING, and every
  // status answer says RUNNING too (the worker has not reached its next commit). The strict
  // variant answers the cancel itself: an empty 200, and only if the id is in the body.
  const strict = test.info().project.name === 'published-docs';
  // The job must still run when the test's last step cancels it for real, however slow the
  // machine: on a server of this test's own, 60 ms an asset (about a minute for the folder).
  const own = strict ? undefined : new OwnServer(path.join(work, `cancelling-${Date.now()}`), undefined, ['--pace-ms', '60']);
  await own?.start();
  try {
    await cancelUntilTheServerSays(page, own?.base ?? baseURL!, strict, own !== undefined);
  } finally {
    await own?.kill9AndWait();
  }
});

async function cancelUntilTheServerSays(page: Page, base: string, strict: boolean, own: boolean) {
  const api = await apiClient(base);
  const id = await startJob(api, '/content/dam/guides');
  const cancels: { body: string | null; status?: number; answer?: string }[] = [];
  page.on('request', (r) => { if (r.url().includes('/process/cancel')) cancels.push({ body: r.postData() }); });
  page.on('response', async (r) => {
    if (r.url().includes('/process/cancel')) Object.assign(cancels[cancels.length - 1], { status: r.status(), answer: await r.text() });
  });
  if (!strict) {
    await page.route('**/process/cancel**', async (route) => {
      const job = await (await api.get(`${API}/status?processingId=${id}`)).json();
      await route.fulfill({ json: { ...job, status: 'RUNNING', cancellable: true, completedAt: 0 } });
    });
  } else {
    // The strict server cancels for real at once: its history says RUNNING too until the
    // test lets go, as a server whose worker has not reached its next commit would.
    await page.route('**/process/history**', async (route) => {
      const response = await route.fetch();
      const history = await response.json();
      for (const job of history.executionHistory) {
        if (job.processingId === id) Object.assign(job, { status: 'RUNNING', cancellable: true, completedAt: 0 });
      }
      await route.fulfill({ response, json: history });
    });
  }
  await page.route('**/process/status**', async (route) => {
    const response = await route.fetch();
    const job = await response.json();
    await route.fulfill({ response, json: { ...job, status: 'RUNNING', cancellable: true, completedAt: 0 } });
  });
  if (own) await signInAt(page, base, `/jobs/${id}`);
  else await signIn(page, `/jobs/${id}`);
  const cancel = page.locator('.apc-job__head button[data-action=cancel]');
  await cancel.click();
  await page.getByRole('dialog', { name: 'Cancel this job?' }).getByRole('button', { name: 'Cancel job' }).click();
  const actions = page.locator('.apc-job__head .apc-actions');
  await expect(actions.getByRole('status')).toHaveText('Cancelling…');
  await expect(cancel).toBeDisabled();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('In progress');
  // The id went in the JSON body, as the workflow page sends it; no error is shown.
  expect(JSON.parse(cancels[0].body ?? '{}')).toEqual({ processingId: id });
  if (strict) await expect.poll(() => cancels[0].answer).toBe('');
  await expect(page.getByRole('alert')).toHaveCount(0);
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
  await page.unroute('**/process/history**');
  if (!strict) expect(await cancelJob(api, id)).toBe(200);
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Cancelled');
  await expect(actions).not.toContainText('Cancelling…');
}
