// Accessibility: axe-core finds no violation on the start form, the history and the job
// view, in light and in dark.
import { type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { apiClient, expect, runJob, signIn, test } from './helpers';

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

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
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('SUCCESS');
    await expect(page.locator('.apc-logv__rows')).toBeVisible();
    await expectNoViolations(page);
  });
}
