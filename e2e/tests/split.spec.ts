// The split build (xtask/src/split.rs, src/lazy_pages.rs): the history is the first screen;
// the other pages' chunks are fetched once it has rendered, or on demand by a deep link, with
// a loading line meanwhile; every chunk loads when .wasm comes as application/octet-stream
// (the AEM-like page's resources, as AEM sends them without the package's MIME configuration).
// A build in one module (APC_SPLIT=0) has no chunks: these tests are skipped for it.
import { type Page } from '@playwright/test';
import { apiClient, expect, hold, runJob, signIn, test } from './helpers';

const PAGE = '/apps/asset-processing-console/content/asset-processing.html';
const CHUNK = /\/apc-[a-z0-9-]+-[0-9a-f]{16}\.wasm$/;

/** Whether the page at `path` was built split (its start-up preloads the link module). */
async function isSplit(page: Page): Promise<boolean> {
  const index = await (await page.request.get('/')).text();
  return /apc-split-[0-9a-f]{16}\.js/.test(index);
}

/** Errors, failed loads and wasm responses of the page. */
function watch(page: Page) {
  const problems: string[] = [];
  const wasm: { url: string; type: string; at: number }[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    // `at`: when the browser started the request (ms since the epoch).
    if (r.url().endsWith('.wasm')) wasm.push({ url: r.url(), type: r.headers()['content-type'] ?? '', at: r.request().timing().startTime });
  });
  return { problems, wasm };
}

test('the history shows from the main module, then the other pages\' chunks are prefetched', async ({ page }) => {
  test.skip(!(await isSplit(page)), 'a build in one module has no chunks');
  const seen = watch(page);
  // When the table first has a row, taken in the page (ms since the epoch).
  await page.addInitScript(() => {
    const w = window as unknown as { __apcTableAt?: number };
    const observer = new MutationObserver(() => {
      if (w.__apcTableAt === undefined && document.querySelector('table tbody tr')) {
        w.__apcTableAt = performance.timeOrigin + performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  await signIn(page, '/');
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  const shown = await page.evaluate(() => (window as unknown as { __apcTableAt: number }).__apcTableAt);
  await expect.poll(() => seen.wasm.filter((w) => CHUNK.test(w.url)).length).toBeGreaterThanOrEqual(4);
  await page.waitForLoadState('networkidle');
  const main = seen.wasm.filter((w) => !CHUNK.test(w.url));
  expect(main).toHaveLength(1);
  expect(main[0].url).toMatch(/asset-processing-console-[0-9a-f]{16}_bg\.wasm$/);
  // Every chunk came after the history showed (none is needed for it).
  for (const chunk of seen.wasm.filter((w) => CHUNK.test(w.url))) expect(chunk.at).toBeGreaterThanOrEqual(shown);
  // Prefetched: a job opens without fetching any more wasm.
  const before = seen.wasm.length;
  await page.locator('tbody tr a[href*="/jobs/"]').first().click();
  await expect(page.getByRole('heading', { name: 'Processing job' })).toBeVisible();
  expect(seen.wasm.length).toBe(before);
  expect(seen.problems).toEqual([]);
});

test('a row\'s action waits for its code when the chunk is not in yet, then works', async ({ page, baseURL }) => {
  test.skip(!(await isSplit(page)), 'a build in one module has no chunks');
  const path = '/content/dam/shared';
  const id = await runJob(await apiClient(baseURL!), path);
  // The actions' chunk (the requests behind cancel, resume, restart) is held back, prefetch
  // and all, until the person has asked for a restart.
  const actionsChunk = await hold(page, /\/apc-actions-chunk-[0-9a-f]{16}\.wasm$/);
  const seen = watch(page);
  await signIn(page, '/');
  const row = page.locator(`tbody tr[data-processing-id="${id}"]`);
  await row.getByRole('button', { name: `Restart: ${path}` }).click();
  await page.getByRole('dialog', { name: 'Restart this job?' }).getByRole('button', { name: 'Restart', exact: true }).click();
  expect(actionsChunk.asked).toBe(true);
  await actionsChunk.release();
  await expect(page.getByRole('heading', { name: 'Processing job' })).toBeVisible();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f-]{36}$/);
  expect(page.url()).not.toContain(id);
  expect(seen.problems).toEqual([]);
});

test('a deep link to a job says it is loading until its chunk is in, then shows the job', async ({ page, baseURL }) => {
  test.skip(!(await isSplit(page)), 'a build in one module has no chunks');
  const id = await runJob(await apiClient(baseURL!), '/content/dam/shared');
  // The job's chunk is held back: the page must say what it is doing meanwhile.
  const jobChunk = await hold(page, /\/apc-job-chunk-[0-9a-f]{16}\.wasm$/);
  const seen = watch(page);
  await signIn(page, `/jobs/${id}`);
  await expect(page.getByRole('status').filter({ hasText: 'Loading the job…' })).toBeVisible();
  await expect(page.getByRole('banner')).toBeVisible();
  await jobChunk.release();
  await expect(page.getByRole('heading', { name: 'Processing job' })).toBeVisible();
  await expect(page.locator('.apc-facts')).toContainText(id);
  expect(seen.wasm.some((w) => /apc-job-chunk-/.test(w.url))).toBe(true);
  expect(seen.problems).toEqual([]);
});

test('inside AEM every chunk loads although .wasm comes as application/octet-stream', async ({ page, baseURL }) => {
  test.skip(!(await isSplit(page)), 'a build in one module has no chunks');
  const id = await runJob(await apiClient(baseURL!), '/content/dam/shared');
  const seen = watch(page);
  // A deep link to a job (its chunk on demand), then the start form and the report.
  await signIn(page, `${PAGE}/jobs/${id}`);
  await expect(page.locator('.apc-facts')).toContainText(id);
  await page.goto(`${PAGE}/new`);
  await expect(page.getByRole('heading', { name: 'Start a processing job' })).toBeVisible();
  await page.goto(`${PAGE}/jobs/${id}/report`);
  await expect(page.getByRole('heading', { name: 'Per-asset report' })).toBeVisible();
  const chunks = seen.wasm.filter((w) => CHUNK.test(w.url));
  expect(chunks.length).toBeGreaterThanOrEqual(3);
  for (const chunk of chunks) {
    expect(chunk.url).toContain('/etc.clientlibs/asset-processing-console/clientlibs/console/resources/');
    expect(chunk.type).toBe('application/octet-stream');
  }
  expect(seen.problems).toEqual([]);
});
