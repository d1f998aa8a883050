// Accessibility: axe-core finds no violation on the start form, the history and the job
// view, in light and in dark.
import { apiClient, expect, expectNoViolations, runJob, signIn, test } from './helpers';

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no axe violations in ${colorScheme}`, async ({ page, baseURL }) => {
    await page.emulateMedia({ colorScheme });
    const api = await apiClient(baseURL!);
    const id = await runJob(api, '/content/dam/guides/Bifröst Gateway/en');

    await signIn(page, '/new');
    await expect(page.getByRole('heading', { name: 'Start a processing job' })).toBeVisible();
    await page.getByRole('button', { name: 'Browse…' }).click();
    await expect(page.getByRole('button', { name: /guides/ })).toBeVisible();
    await expectNoViolations(page);

    await page.goto('/');
    await expect(page.locator('tbody tr.apc-table__row').first()).toBeVisible();
    await expectNoViolations(page);

    await page.goto(`/jobs/${id}`);
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');
    await expect(page.locator('.apc-logv__rows')).toBeVisible();
    await expectNoViolations(page);
  });
}

// The comparison of two runs (issue 12, item 6): the demo's malformed topic failed in the
// older run, whose folder the newer run does not take in, so a list, a note and every figure
// are on the page.
for (const colorScheme of ['light', 'dark'] as const) {
  test(`no axe violations on the comparison of two runs in ${colorScheme}`, async ({ page, baseURL }) => {
    await page.emulateMedia({ colorScheme });
    const api = await apiClient(baseURL!);
    const older = await runJob(api, '/content/dam/guides/Café Scheduler/de');
    const newer = await runJob(api, '/content/dam/guides/Café Scheduler/de/images');
    await signIn(page, `/compare/${older}/${newer}`);
    await expect(page.locator('.apc-compare__list--not-retried .apc-compare__item')).toHaveCount(1);
    await expect(page.locator('.apc-compare__figures tr[data-measure="failed"] td').first()).toHaveText('1');
    await expectNoViolations(page);
    // The history with its Compare boxes, two of them ticked.
    await page.goto('/');
    await page.locator('.apc-compare__pick').nth(0).check();
    await page.locator('.apc-compare__pick').nth(1).check();
    await expect(page.getByRole('link', { name: 'Compare selected' })).toBeVisible();
    await expectNoViolations(page);
  });
}

// The log viewer's filter, problems, timestamps and a marked range (issue 12, items 3 and 4):
// the demo set with a malformed topic, filtered to warnings and errors, times since the start,
// a range marked through its link.
for (const colorScheme of ['light', 'dark'] as const) {
  test(`no axe violations on the filtered log with a marked range in ${colorScheme}`, async ({ page, baseURL }) => {
    await page.emulateMedia({ colorScheme });
    const id = await runJob(await apiClient(baseURL!), '/content/dam/guides/Café Scheduler/de');
    await signIn(page, `/jobs/${id}`);
    await page.goto('about:blank');
    await page.goto(`/jobs/${id}#L2-L6`);
    await expect(page.locator('.apc-logv__row[aria-current="true"]')).toHaveCount(5);
    await expect(page.locator('.apc-logv__selected')).toContainText('Lines 2–6 selected');
    await page.getByLabel('Times').selectOption({ label: 'Since start' });
    await expectNoViolations(page);
    await page.getByLabel('Show').selectOption({ label: 'Warnings and errors' });
    await expect(page.locator('#apc-logv-filter-count')).toContainText('in the whole log');
    await page.getByRole('button', { name: 'Next problem' }).click();
    await expect(page.locator('.apc-logv__row[aria-current="true"]')).toHaveCount(1);
    await expectNoViolations(page);
  });
}

// The job view on a phone (issue 12, item 5): the sticky bar, the facts folded into one line
// and opened, the Problems panel above the log; scrolled so the log fills the screen.
for (const colorScheme of ['light', 'dark'] as const) {
  test(`no axe violations on the job view at 360 px in ${colorScheme}`, async ({ page, baseURL }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 360, height: 640 });
    const api = await apiClient(baseURL!);
    const id = await runJob(api, '/content/dam/guides/Café Scheduler/de');
    await signIn(page, `/jobs/${id}`);
    await expect(page.getByRole('region', { name: 'Problems' }).locator('.apc-problems__item')).toHaveCount(1);
    await page.locator('.apc-logv__row').first().waitFor();
    await expect(page.locator('details.apc-job__facts')).not.toHaveAttribute('open', '');
    await expectNoViolations(page);
    await page.locator('details.apc-job__facts summary').click();
    await expect(page.getByText('Execution ID')).toBeVisible();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await expectNoViolations(page);
  });
}
