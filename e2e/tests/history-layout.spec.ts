// The history fits every screen (issue 23): at 1024, 1280, 1920 and 360 px wide, light and
// dark, nothing on the page scrolls sideways, each run's link and actions lie inside the
// window, a run is one compact row at 1280 px (a card below 700 px), statuses read as AEM's
// own screen says them, and the keyboard reaches a run's link, then its actions.
import type { Page } from '@playwright/test';
import { API, apiClient, cancelJob, expect, expectNoViolations, runJob, signIn, startJob, test } from './helpers';

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
  { width: 360, height: 740 },
];

/** Every element of the page whose content is wider than its box and that scrolls (or would
 * spill) sideways, and whether the page itself does. */
async function sidewaysScrolls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const doc = document.scrollingElement!;
    if (doc.scrollWidth > window.innerWidth) found.push(`the page (${doc.scrollWidth} > ${window.innerWidth})`);
    for (const el of Array.from(document.querySelectorAll('.apc-root *'))) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || el.closest('.apc-sr-only')) continue;
      const scrolls = ['auto', 'scroll'].includes(style.overflowX);
      if (scrolls && el.scrollWidth > el.clientWidth + 1) found.push(`${el.tagName}.${el.className} scrolls`);
      const box = el.getBoundingClientRect();
      if (box.width > 0 && (box.right > window.innerWidth + 0.5 || box.left < -0.5)) {
        found.push(`${el.tagName}.${el.className} lies outside the window (${Math.round(box.left)}–${Math.round(box.right)})`);
      }
    }
    return found;
  });
}

test.describe('the history at every width', () => {
  let running = '';
  let cancelled = '';
  let done = '';
  test.beforeAll(async ({ baseURL }) => {
    const api = await apiClient(baseURL!);
    done = await runJob(api, '/content/dam/guides/Bifröst Gateway/en', ['/content/dam/guides/Bifröst Gateway/en/images']);
    // A run cancelled while it runs offers both resume and restart: the widest actions a row
    // has (cancelled before it started, it offers only restart).
    cancelled = await startJob(api, '/content/dam/guides');
    await expect.poll(async () => (await (await api.get(`${API}/status?processingId=${cancelled}`)).json()).status,
      { intervals: [20] }).not.toBe('WAITING');
    await cancelJob(api, cancelled);
    running = await startJob(api, '/content/dam');
  });
  test.afterAll(async ({ baseURL }) => {
    const api = await apiClient(baseURL!);
    await cancelJob(api, running);
  });

  for (const size of SIZES) {
    for (const colorScheme of ['light', 'dark'] as const) {
      test(`${size.width}×${size.height} in ${colorScheme}: no sideways scroll, every run's link and actions in the window`, async ({ page }) => {
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme });
        await signIn(page, '/');
        const rows = page.locator('tbody tr.apc-table__row');
        await expect(rows.first()).toBeVisible();
        await expect(page.locator(`tr[data-processing-id="${cancelled}"] .apc-status`)).toHaveText('Cancelled');
        expect(await sidewaysScrolls(page)).toEqual([]);
        for (const row of await rows.all()) {
          const link = row.getByRole('link', { name: /^View: / });
          await expect(link).toBeVisible();
          for (const control of [link, ...await row.locator('.apc-runs__actions button, .apc-runs__actions a').all()]) {
            const box = (await control.boundingBox())!;
            expect(box.x).toBeGreaterThanOrEqual(0);
            expect(box.x + box.width).toBeLessThanOrEqual(size.width);
          }
        }
        if (size.width === 1280) {
          // One line per run for a typical path, two at most: no row is higher than 56 px.
          for (const row of await rows.all()) {
            expect((await row.boundingBox())!.height).toBeLessThanOrEqual(56);
          }
        }
        if (size.width < 700) {
          // A card per run: the status, the folder and the actions stacked in the row's box.
          const card = page.locator(`tr[data-processing-id="${cancelled}"]`);
          const status = (await card.locator('.apc-runs__status').boundingBox())!;
          const folder = (await card.locator('.apc-runs__folder').boundingBox())!;
          const actions = (await card.locator('.apc-runs__actions').boundingBox())!;
          expect(folder.y).toBeGreaterThanOrEqual(status.y + status.height - 1);
          expect(actions.y).toBeGreaterThanOrEqual(folder.y + folder.height - 1);
        }
        await expectNoViolations(page);
      });
    }
  }

  test('statuses read as AEM says them, the API word in the title; the path breaks only after a slash', async ({ page }) => {
    await page.setViewportSize({ width: 1024, height: 768 });
    await signIn(page, '/');
    const doneRow = page.locator(`tr[data-processing-id="${done}"]`);
    await expect(doneRow.locator('.apc-status')).toHaveText('Completed');
    await expect(doneRow.locator('.apc-status')).toHaveAttribute('title', 'SUCCESS');
    await expect(page.locator(`tr[data-processing-id="${cancelled}"] .apc-status`)).toHaveText('Cancelled');
    // The excluded folder is counted on the quiet second line.
    await expect(doneRow.locator('.apc-runs__more')).toHaveText('1 excluded folder');
    // End time is in the title of the duration; the start time's exact value in its <time>.
    await expect(doneRow.locator('.apc-runs__duration')).toHaveAttribute('title', /^Ended /);
    await expect(doneRow.locator('.apc-runs__started time')).toHaveAttribute('title', /\d/);
    // Feature type once above the table, as every run has the same.
    await expect(page.getByText('Feature type: ASSET_PROCESSING')).toBeVisible();
    // "Bifröst Gateway" is never cut between its two words.
    const name = doneRow.locator('.apc-runs__link .apc-nowrap', { hasText: 'Bifröst Gateway/' });
    const lines = await name.evaluate((el) => el.getClientRects().length);
    expect(lines).toBe(1);
    // The status filter offers the same words.
    await expect(page.getByLabel('Status').locator('option[value="SUCCESS"]')).toHaveText('Completed');
  });

  test('the keyboard reaches a run\'s link, then its actions', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page, '/');
    const row = page.locator(`tr[data-processing-id="${cancelled}"]`);
    const link = row.getByRole('link', { name: /^View: / });
    await link.focus();
    await page.keyboard.press('Tab');
    const actions = row.locator('.apc-runs__actions').getByRole('button');
    await expect(actions.first()).toBeFocused();
    await expect(actions.last()).toHaveAccessibleName('Restart: /content/dam/guides');
    for (let i = 1; i < await actions.count(); i++) {
      await page.keyboard.press('Tab');
      await expect(actions.nth(i)).toBeFocused();
    }
  });
});

test('the comparison keeps its paths whole at 360 px and scrolls nothing sideways', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const older = await runJob(api, '/content/dam/guides/Café Scheduler/de');
  const newer = await runJob(api, '/content/dam/guides/Café Scheduler/de');
  await page.setViewportSize({ width: 360, height: 740 });
  await signIn(page, `/compare/${older}/${newer}`);
  const folder = page.locator('.apc-compare__figures .apc-folder-path').first();
  await expect(folder).toContainText('Café Scheduler/');
  // "Café Scheduler/" is drawn on one line, never cut inside.
  const name = folder.locator('.apc-nowrap', { hasText: 'Café Scheduler/' });
  expect(await name.evaluate((el) => el.getClientRects().length)).toBe(1);
  await expect(page.locator('.apc-compare__figures tr[data-measure="failed"] td').first()).toHaveText('1');
  expect(await sidewaysScrolls(page)).toEqual([]);
});

test('a row\'s button keeps the focus while the history refreshes itself', async ({ page }) => {
  // A history whose running run handles 10 more assets at each ask: every refresh redraws
  // the rows, and the person's place (a button of another run) must survive it.
  let asked = 0;
  await page.route('**/bin/guides/v1/assets/process/history?*', async (route) => {
    asked += 1;
    const run = (id: string, more: Record<string, unknown>) => ({
      processingId: id, path: `/content/dam/${id}`, excludedPaths: [], type: 'ASSET_PROCESSING',
      startedAt: Date.now() - 60_000, completedAt: 0, createdBy: 'admin', hasLogs: false,
      comments: '', eta: { value: 0, unit: 'SECONDS' }, ...more,
    });
    await route.fulfill({
      json: {
        executionHistory: [
          run('running-run', { status: 'RUNNING', cancellable: true, triggeredCount: 10 * asked,
            migrationSet: { totalFiles: 1000, calculationStatus: 'SUCCESS' } }),
          run('finished-run', { status: 'SUCCESS', restartable: true, completedAt: Date.now() - 1_000,
            triggeredCount: 5, migrationSet: { totalFiles: 5, calculationStatus: 'SUCCESS' } }),
        ],
      },
    });
  });
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, '/');
  const running = page.locator('tr[data-processing-id="running-run"]');
  // The percent is the number of asks so far.
  await expect(running).toContainText(' %');
  const restart = page.getByRole('button', { name: 'Restart: /content/dam/finished-run' });
  await restart.focus();
  const at = asked;
  // Two refreshes later the rows were redrawn twice; the focus is where it was.
  await expect(running).toContainText(`${at + 2} %`, { timeout: 15_000 });
  await expect(restart).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByRole('link', { name: 'View: /content/dam/finished-run' })).toBeFocused();
});
