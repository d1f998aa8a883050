// A job view's controls keep working while the page updates itself: a person who presses a
// button or a link just as a poll or a background read lands sees it act (issue 21, item 9).
// Each test holds the answer that updates the page, presses the control (mouse down), lets the
// answer through, waits until the page has drawn it, then lets go (mouse up): a control drawn
// again meanwhile would be another element, and the browser would send it no click.
import { type Locator, type Page } from '@playwright/test';
import { apiClient, cancelJob, drawn, expect, hold, runJob, signIn, startJob, test } from './helpers';

/** The demo's one malformed topic is in this set (see the server's demo.rs). */
const MALFORMED_SET = '/content/dam/guides/Café Scheduler/de';

/** Presses `control`, lets `update` land while it is held down, then lets go. */
async function pressThrough(page: Page, control: Locator, update: () => Promise<void>) {
  await control.scrollIntoViewIfNeeded();
  await control.hover();
  await page.mouse.down();
  await update();
  await drawn(page);
  await page.mouse.up();
}

test('Cancel pressed while a poll moves the counts opens its confirmation', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await startJob(api, '/content/dam/guides');
  try {
    await signIn(page, `/jobs/${id}`);
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('In progress');
    const percent = page.locator('.apc-job__percent');
    await expect(percent).not.toHaveText('');
    const polls = await hold(page, '**/process/status**');
    await polls.waitForOne();
    const before = await percent.textContent();
    const cancel = page.locator('.apc-job__head button[data-action=cancel]');
    await pressThrough(page, cancel, async () => {
      const answered = page.waitForResponse((r) => r.url().includes('/process/status'));
      await polls.release();
      await answered;
      // The poll moved the job on (the server keeps processing while the poll is held).
      await expect(percent).not.toHaveText(before ?? '');
    });
    await expect(page.getByRole('dialog', { name: 'Cancel this job?' })).toBeVisible();
    await page.getByRole('dialog', { name: 'Cancel this job?' }).getByRole('button', { name: 'Keep it running' }).click();
  } finally {
    await cancelJob(api, id);
  }
});

test('the report links pressed while the Problems panel reads on open the report', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await runJob(api, MALFORMED_SET);
  for (const link of ['a.apc-job__report', 'a.apc-problems__report']) {
    // The per-asset status look-up is held: the panel shows the log's count first, and the
    // look-up's answer updates it while the link is pressed.
    const lookups = await hold(page, '**/bin/guides/v1/assets/status**');
    await signIn(page, `/jobs/${id}`);
    const control = page.locator(link);
    await expect(control).toBeVisible();
    await lookups.waitForOne();
    await pressThrough(page, control, async () => {
      const answered = page.waitForResponse((r) => r.url().includes('/bin/guides/v1/assets/status') && r.request().method() === 'GET'
        && r.status() === 200);
      await lookups.release();
      await answered;
    });
    await expect(page).toHaveURL(new RegExp(`/jobs/${id}/report$`));
    await page.context().clearCookies();
  }
});
