// `cargo xtask screenshots`: each view in light, dark and at 360 px, into target/screenshots/.
import { test, expect, type Page } from '@playwright/test';
import { apiClient, runJob, signIn, watchRequests } from '../tests/helpers';

const out = process.env.APC_SCREENSHOTS ?? '../target/screenshots';

const variants = [
  { name: 'light', colorScheme: 'light' as const, width: 1280 },
  { name: 'dark', colorScheme: 'dark' as const, width: 1280 },
  { name: 'narrow', colorScheme: 'light' as const, width: 360 },
];

/** A full-page screenshot once the view has everything it asked for, drawn, and its
 * transitions (a progress bar filling) have ended. */
async function shoot(page: Page, requests: ReturnType<typeof watchRequests>, view: string, variant: string) {
  await requests.settled();
  await page.evaluate(() => Promise.all(document.getAnimations()
    .filter((a) => a.effect?.getTiming().iterations !== Infinity)
    .map((a) => a.finished.catch(() => undefined))));
  await page.screenshot({ path: `${out}/${view}-${variant}.png`, fullPage: true });
}

test('screenshots of every view', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const api = await apiClient(baseURL!);
  await runJob(api, '/content/dam/archive');
  const id = await runJob(api, '/content/dam/guides/Bifröst Gateway/en');
  const requests = watchRequests(page);
  await signIn(page);
  for (const v of variants) {
    await page.setViewportSize({ width: v.width, height: 800 });
    await page.emulateMedia({ colorScheme: v.colorScheme });
    await page.goto('/');
    await expect(page.locator('tbody tr.apc-table__row').first()).toBeVisible();
    await shoot(page, requests, 'history', v.name);
    await page.goto('/new');
    await page.getByLabel('Folder or asset').fill('/content/dam/guides');
    await page.getByRole('button', { name: 'Browse…' }).click();
    await expect(page.getByRole('button', { name: /Aurora Router/ })).toBeVisible();
    await shoot(page, requests, 'start', v.name);
    await page.goto(`/jobs/${id}`);
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');
    await shoot(page, requests, 'job', v.name);
  }
  // Inside the AEM-like page, as the content package installs it.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`/apps/asset-processing-console/content/asset-processing.html/jobs/${id}`);
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');
  await shoot(page, requests, 'embedded-job', 'light');
});
