// The first screen before the app's code is in (src/first_screen.rs, issue 23): in the split
// build the main module holds only the history's request and its rows; the app is a chunk
// fetched after them. Until it mounts, the runs are drawn in the painted frame, which nothing
// can focus or click and screen readers skip; then the app shows the same runs in the same
// place from the same answer, and the page never holds two tables. A build in one module
// (APC_SPLIT=0) mounts the app at once: these tests are skipped for it.
import { type Page } from '@playwright/test';
import { apiClient, expect, hold, runJob, signIn, test } from './helpers';

const APP_CHUNK = /\/apc-app-chunk-[0-9a-f]{16}\.wasm$/;
/** The main module's wasm (the painted frame shows while it is held back). */
const MAIN_WASM = /asset-processing-console-[0-9a-f]+_bg\.wasm$/;
const HISTORY = /\/bin\/guides\/v1\/assets\/process\/history\?/;

/** Signs in, which lands on the history, and waits until that page's app is in: what it asks
 *  for as it starts (the history, the app's chunk) is then behind it, and none of it is taken
 *  for the requests of the page the test opens next. (A landing page slow to start sent its
 *  history request after the test had begun to count them: once in a full run, the history
 *  was "asked for twice".) */
async function signInAndSettle(page: Page): Promise<void> {
  await signIn(page, '/');
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
}

async function isSplit(page: Page): Promise<boolean> {
  const index = await (await page.request.get('/')).text();
  return /apc-split-[0-9a-f]{16}\.js/.test(index);
}

for (const [width, height] of [[1280, 800], [1920, 1080], [360, 740]]) test(`at ${width}×${height} the runs show before the app is in, inert, and the app takes them over in place from the same answer`, async ({ page, baseURL }) => {
  test.skip(!(await isSplit(page)), 'a build in one module mounts the app at once');
  await page.setViewportSize({ width, height });
  const running = await runJob(await apiClient(baseURL!), '/content/dam/shared');
  await signInAndSettle(page);
  const app = await hold(page, APP_CHUNK);
  const historyAsked: string[] = [];
  page.on('request', (r) => { if (HISTORY.test(r.url())) historyAsked.push(r.url()); });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto('/');

  // The app's chunk is asked for only once the runs are drawn (it is held meanwhile).
  await app.waitForOne();
  const early = page.locator('#asset-processing-console > .apc-frame .apc-frame__runs');
  const earlyRows = early.locator('tbody tr');
  await expect(earlyRows.first()).toBeVisible();
  const count = await earlyRows.count();
  expect(count).toBeGreaterThan(0);
  // Under another name than the app's rows' ids: nothing takes them for the app's.
  await expect(early.locator(`tbody tr[data-early-id="${running}"]`)).toBeVisible();
  await expect(page.locator('tr[data-processing-id]')).toHaveCount(0);
  const ids = await earlyRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-early-id')));
  const firstLink = early.locator('tbody tr a[href*="/jobs/"]').first();
  const before = await firstLink.boundingBox();
  // Nothing of it can be focused or reached by a screen reader: the frame is inert.
  await expect(page.locator('#asset-processing-console > .apc-frame')).toHaveAttribute('inert', '');
  await expect(page.getByRole('link', { name: /content\/dam/ })).toHaveCount(0);
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => !!document.activeElement?.closest('.apc-frame'))).toBe(false);

  await app.release();
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  await expect(early).toHaveCount(0);
  // One table: the app's, with the same runs in the same order, the first in the same place.
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(count);
  expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-processing-id')))).toEqual(ids);
  const link = page.getByRole('link', { name: /\/content\/dam/ }).first();
  await expect(link).toBeVisible();
  const after = await link.boundingBox();
  expect(Math.abs(after!.x - before!.x)).toBeLessThan(1);
  expect(Math.abs(after!.y - before!.y)).toBeLessThan(2);
  // The app took the first screen's answer: the history was asked for once.
  expect(historyAsked).toHaveLength(1);
  // And it works: the run's row opens its job.
  await page.locator(`tbody tr[data-processing-id="${running}"] a[href*="/jobs/"]`).first().click();
  await expect(page.getByRole('heading', { name: 'Processing job' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('a long history draws the runs the window shows first, the rest a part a frame after, and the app takes every one over', async ({ page }) => {
  test.skip(!(await isSplit(page)), 'a build in one module mounts the app at once');
  await page.setViewportSize({ width: 1280, height: 800 });
  await signInAndSettle(page);
  // 60 runs, newest first, shown 100 at a time (the mount element's data-history-size, as an
  // AEM page may set it); one is running, in the rows drawn after the first part.
  const RUNS = 60;
  const RUNNING = 40;
  const now = Date.now();
  const runs = Array.from({ length: RUNS }, (_, i) => ({
    processingId: `long-${String(i).padStart(2, '0')}`,
    path: `/content/dam/long/folder-${i}`,
    type: 'DITA_ASSETS',
    createdBy: 'admin',
    startedAt: now - (i + 1) * 60_000,
    ...(i === RUNNING
      ? { status: 'RUNNING', cancellable: true, triggeredCount: 5, migrationSet: { totalFiles: 10, calculationStatus: 'SUCCESS' } }
      : { status: 'SUCCESS', completedAt: now - (i + 1) * 60_000 + 5_000, hasLogs: true, restartable: true }),
  }));
  const historyAsked: string[] = [];
  await page.route(HISTORY, (route) => {
    historyAsked.push(route.request().url());
    return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ executionHistory: runs }) });
  });
  await page.route((url) => url.pathname === '/', async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace(/id="?asset-processing-console"?/, '$& data-history-size="100"');
    await route.fulfill({ response, body: html });
  });
  // The early table's row count at each change, as the page drew them.
  await page.addInitScript(() => {
    const w = window as unknown as { __counts: number[] };
    w.__counts = [];
    new MutationObserver(() => {
      const n = document.querySelectorAll('.apc-frame__runs tbody tr').length;
      if (n > 0 && n !== w.__counts[w.__counts.length - 1]) w.__counts.push(n);
    }).observe(document, { childList: true, subtree: true });
  });
  const app = await hold(page, APP_CHUNK);
  await page.goto('/');

  // The app's chunk is asked for once every run is drawn.
  await app.waitForOne();
  const early = page.locator('.apc-frame__runs tbody tr');
  await expect(early).toHaveCount(RUNS);
  const ids = runs.map((r) => r.processingId);
  expect(await early.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-early-id')))).toEqual(ids);
  const counts = await page.evaluate(() => (window as unknown as { __counts: number[] }).__counts);
  // First the runs the window shows, and more: the first part's last row ends below the window.
  expect(counts[0]).toBeLessThan(RUNS);
  const firstPartEnds = await early.nth(counts[0] - 1).evaluate((r) => r.getBoundingClientRect().bottom);
  expect(firstPartEnds).toBeGreaterThan(800);
  // Then the others in parts of at most 25, each in a task of its own, to the last.
  expect(counts[counts.length - 1]).toBe(RUNS);
  const steps = counts.slice(1).map((n, i) => n - counts[i]);
  expect(steps.length).toBeGreaterThan(0);
  for (const step of steps) expect(step).toBeGreaterThan(0), expect(step).toBeLessThanOrEqual(25);
  // The running run, drawn in a later part, has its progress bar's width.
  const bar = early.nth(RUNNING).locator('[data-width]');
  await expect(bar).toHaveAttribute('data-width', '50');
  expect(await bar.evaluate((b) => (b as HTMLElement).style.width)).toBe('50%');

  await app.release();
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  await expect(page.locator('.apc-frame__runs')).toHaveCount(0);
  const rows = page.locator('table tbody tr');
  await expect(rows).toHaveCount(RUNS);
  expect(await rows.evaluateAll((r) => r.map((x) => x.getAttribute('data-processing-id')))).toEqual(ids);
  // The app took the first screen's answer: asked for once until it polls (a run is active).
  expect(historyAsked.length).toBeGreaterThanOrEqual(1);
  expect(historyAsked[0]).toContain('limit=100');
  await expect(page.getByRole('link', { name: 'View: /content/dam/long/folder-59' })).toBeAttached();
});

test('a history that fails is not drawn early: the app says why, from the one request', async ({ page }) => {
  test.skip(!(await isSplit(page)), 'a build in one module mounts the app at once');
  await signInAndSettle(page);
  const asked: number[] = [];
  await page.route(HISTORY, (route) => {
    asked.push(Date.now());
    return route.fulfill({ status: 500, contentType: 'application/json', body: '{"message":"The repository is not reachable."}' });
  });
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('The server failed (500)');
  await expect(page.locator('.apc-frame__runs')).toHaveCount(0);
  // One request at the start; the next is the app's retry, a second or more later (its back-off).
  expect(asked.length).toBeGreaterThanOrEqual(1);
  if (asked.length > 1) expect(asked[1] - asked[0]).toBeGreaterThanOrEqual(900);
});

test('a slow history does not hold the app back: its loading line shows, then the runs', async ({ page }) => {
  test.skip(!(await isSplit(page)), 'a build in one module mounts the app at once');
  await signInAndSettle(page);
  const history = await hold(page, HISTORY);
  await page.goto('/');
  await expect(page.getByRole('status').filter({ hasText: /Loading/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  await history.release();
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  await expect(page.locator('.apc-frame__runs')).toHaveCount(0);
});

test('when the app\'s code cannot be fetched, the page says so (the connection, not a bug) above the runs', async ({ page }) => {
  test.skip(!(await isSplit(page)), 'a build in one module mounts the app at once');
  await signInAndSettle(page);
  await page.route(APP_CHUNK, (route) => route.abort());
  await page.goto('/');
  await expect(page.getByRole('alert')).toContainText('Part of the console could not be loaded: the connection to the server may have dropped. Reload the page');
  // The runs drawn before stay, inert: nothing of them can be focused.
  await expect(page.locator('.apc-frame__runs tbody tr').first()).toBeVisible();
  await expect(page.locator('#asset-processing-console > .apc-frame')).toHaveAttribute('inert', '');
});

/** Characters beyond ASCII the first screen writes itself (a short ID's "…", a sort mark): a
 *  glyph the font lacks is looked up in others. What the runs' data holds (a folder's "é") is
 *  the server's, and not known before it answers. */
const OWN_GLYPHS = '…▼▲–—';

/** Each font the text under `root` is laid out in (family, size, weight, style), with the
 *  characters of `OWN_GLYPHS` it shows in that font. */
async function fontsUnder(page: Page, root: string): Promise<Record<string, string>> {
  return page.evaluate(([selector, own]) => {
    const fonts: Record<string, string> = {};
    const top = document.querySelector(selector);
    if (!top) return fonts;
    const walker = document.createTreeWalker(top, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      if (!text || !parent || parent.getClientRects().length === 0) continue;
      const s = getComputedStyle(parent);
      const font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
      const wide = [...text].filter((c) => own.includes(c));
      fonts[font] = [...new Set([...(fonts[font] ?? ''), ...wide])].sort().join('');
    }
    return fonts;
  }, [root, OWN_GLYPHS]);
}

for (const [width, height] of [[1280, 800], [360, 740]]) test(`at ${width}×${height} every font the early runs use is laid out with the painted frame, before the wasm is in`, async ({ page, baseURL }) => {
  test.skip(!(await isSplit(page)), 'a build in one module mounts the app at once');
  await page.setViewportSize({ width, height });
  // A finished run at least (and whatever runs the specs before left: each is checked).
  const api = await apiClient(baseURL!);
  await runJob(api, '/content/dam/shared');
  await signInAndSettle(page);
  const wasm = await hold(page, MAIN_WASM);
  const app = await hold(page, APP_CHUNK);
  await page.goto('/');
  await wasm.waitForOne();
  await expect(page.locator('.apc-frame .apc-header__title')).toBeVisible();
  const painted = await fontsUnder(page, '#asset-processing-console > .apc-frame');
  await wasm.release();
  await app.waitForOne();
  await expect(page.locator('.apc-frame__runs tbody tr').first()).toBeVisible();
  const early = await fontsUnder(page, '.apc-frame__runs');
  expect(Object.keys(early).length).toBeGreaterThan(2);
  // What the runs need that the frame did not lay out: a font (or a glyph) looked up in the
  // frame that shows the runs. The frame's `.apc-frame__fonts` (index.html) should hold it.
  const missing = Object.entries(early).flatMap(([font, wide]) =>
    painted[font] === undefined
      ? [font]
      : [...wide].filter((c) => !painted[font].includes(c)).map((c) => `"${c}" in ${font}`),
  );
  expect(missing, 'fonts the early runs use that the painted frame (index.html, .apc-frame__fonts) does not').toEqual([]);
  await app.release();
});
