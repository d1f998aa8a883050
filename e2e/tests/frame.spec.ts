// The frame index.html paints before the wasm has run (issue 13, item 3): the header and grey
// blocks where the history will be show while the wasm is still on its way, and nothing of
// the header moves when the console mounts and takes the frame away.
import { expect, signIn, test } from './helpers';

test('the page paints the console\'s frame before the wasm has run, then the console takes over in place', async ({ page }) => {
  await signIn(page, '/');
  // Hold the main wasm back: what shows meanwhile is the page's own frame.
  let release: () => void = () => {};
  const held = new Promise<void>((r) => { release = r; });
  await page.route(/asset-processing-console-[0-9a-f]+_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  const frame = page.locator('#asset-processing-console > .apc-frame');
  await expect(frame).toBeVisible();
  await expect(frame).toHaveAttribute('aria-hidden', 'true');
  await expect(frame.getByText('Asset processing', { exact: true })).toBeVisible();
  const before = await frame.locator('.apc-header__title').boundingBox();
  const blocks = await frame.locator('.apc-frame__table > span').count();
  expect(blocks).toBeGreaterThan(4);

  release();
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

test('while the wasm is on its way, screen readers find nothing of the frame (aria-hidden)', async ({ page }) => {
  await signIn(page, '/');
  await page.route(/asset-processing-console-[0-9a-f]+_bg\.wasm$/, () => new Promise(() => {}));
  await page.goto('/');
  await expect(page.locator('.apc-frame')).toBeVisible();
  // aria-hidden: no heading, link or text of the frame in the accessibility tree.
  await expect(page.getByRole('heading')).toHaveCount(0);
  await expect(page.getByRole('link')).toHaveCount(0);
});
