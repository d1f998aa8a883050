// The frame index.html paints before the wasm has run (issue 13, item 3): the header and grey
// blocks where the history will be show while the wasm is still on its way, and nothing of
// the header moves when the console mounts and takes the frame away.
import { expect, hold, signIn, test } from './helpers';

/** The console's main wasm (the page's own frame shows while it is held back). */
const MAIN_WASM = /asset-processing-console-[0-9a-f]+_bg\.wasm$/;

test('the page paints the console\'s frame before the wasm has run, then the console takes over in place', async ({ page }) => {
  await signIn(page, '/');
  // Hold the main wasm back: what shows meanwhile is the page's own frame.
  const wasm = await hold(page, MAIN_WASM);
  await page.goto('/');
  const frame = page.locator('#asset-processing-console > .apc-frame');
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute('aria-hidden', 'true');
  await expect(frame.getByText('Asset processing', { exact: true })).toBeVisible();
  const before = await frame.locator('.apc-header__title').boundingBox();
  const blocks = await frame.locator('.apc-frame__table > span').count();
  expect(blocks).toBeGreaterThan(4);

  await wasm.release();
  const title = page.locator('header.apc-header .apc-header__title');
  await expect(title).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  await expect(frame).toHaveCount(0);
  const after = await title.boundingBox();
  expect(after).not.toBeNull();
  expect(before).not.toBeNull();
  expect(Math.abs(after!.x - before!.x)).toBeLessThan(1);
  expect(Math.abs(after!.y - before!.y)).toBeLessThan(1);
  expect(Math.abs(after!.height - before!.height)).toBeLessThan(1);
});

test('inside the AEM page the mount component paints the same frame, and the console takes over in place', async ({ page }) => {
  const shell = '/apps/asset-processing-console/content/asset-processing.html';
  await signIn(page, shell);
  const wasm = await hold(page, MAIN_WASM);
  await page.goto(shell);
  await expect(page.locator('#shell-title')).toBeVisible();
  const frame = page.locator('#asset-processing-console > .apc-frame');
  await expect(frame).toBeVisible();
  await expect(frame.getByText('Asset processing', { exact: true })).toBeVisible();
  const before = await frame.locator('.apc-header__title').boundingBox();
  await wasm.release();
  const title = page.locator('header.apc-header .apc-header__title');
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  await expect(frame).toHaveCount(0);
  const after = await title.boundingBox();
  expect(Math.abs(after!.y - before!.y)).toBeLessThan(1);
  expect(Math.abs(after!.x - before!.x)).toBeLessThan(1);
});

test('while the wasm is on its way, screen readers find nothing of the frame (aria-hidden)', async ({ page }) => {
  await signIn(page, '/');
  await page.route(/asset-processing-console-[0-9a-f]+_bg\.wasm$/, () => new Promise(() => {}));
  await page.goto('/');
  await expect(page.locator('.apc-frame')).toBeVisible();
  // aria-hidden: no heading, link or text of the frame in the accessibility tree.
  await expect(page.getByRole('heading')).toHaveCount(0);
  await expect(page.getByRole('link')).toHaveCount(0);
});

// The browser times a paint when it has shown it, a frame or two later. The console folds the
// frame away as it mounts and removes it only a second later: had it removed it at once, the
// painted header would often be gone before its paint was timed, and the largest contentful
// paint would become the console's own header, drawn only once the wasm had arrived.
test('the painted header counts as a largest contentful paint, timed with the first paint', async ({ page }) => {
  await signIn(page, '/');
  for (let visit = 0; visit < 3; visit++) {
    await page.addInitScript(() => {
      const w = window as unknown as { __lcp: number[] };
      w.__lcp = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__lcp.push(e.startTime);
      }).observe({ type: 'largest-contentful-paint', buffered: true });
    });
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
    await expect(page.locator('#asset-processing-console > .apc-frame')).toHaveCount(0);
    const { lcp, fcp } = await page.evaluate(() => ({
      lcp: (window as unknown as { __lcp: number[] }).__lcp,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
    }));
    expect(fcp, 'the page has a first contentful paint').toBeDefined();
    expect(lcp.length, 'the page has a largest contentful paint').toBeGreaterThan(0);
    // The first candidate is what the first paint showed (larger content may come later).
    expect(lcp[0], `LCP entries ${lcp.join(', ')} against FCP ${fcp}`).toBeLessThanOrEqual(fcp! + 1);
  }
});
