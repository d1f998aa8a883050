// Line ranges and deep links in the log viewer (issue 12, item 4): Shift+click on a second line
// number marks a range and the address names it (#L10-L20); "go to line" takes a range and
// Shift+Enter extends the mark; "Copy lines" copies the text without numbers (loading pages
// it needs), "Copy link" the range's link; and a link to a line or range shows the marked line
// in the browser window (not only inside the log's box), on a phone, a desktop, and inside the
// AEM-like shell page. On the demo repository's run and on a large synthetic log.
import { type Page } from '@playwright/test';
import { API, apiClient, apiLines, expect, runJob, signIn, synthesize, test, watchRequests } from './helpers';

const SHELL = '/apps/asset-processing-console/content/asset-processing.html';
/** The demo's set with a malformed topic (ERROR) and unresolved references (WARN). */
const DEMO_SET = '/content/dam/guides/Café Scheduler/de';

let big: Promise<string> | undefined;
const bigLog = () => (big ??= synthesize(200_000));
let demo: Promise<string> | undefined;
const demoRun = (baseURL: string) => (demo ??= apiClient(baseURL).then((api) => runJob(api, DEMO_SET)));

const row = (page: Page, n: number) => page.locator(`.apc-logv__row[data-line="${n}"]`);
const marked = (page: Page) => page.locator('.apc-logv__row[aria-current="true"]');

/** Whether line `n`'s row lies wholly inside the browser window (what the person sees). */
async function inWindow(page: Page, n: number): Promise<boolean> {
  const box = await row(page, n).boundingBox();
  const size = page.viewportSize()!;
  return !!box && box.y >= 0 && box.y + box.height <= size.height && box.x < size.width;
}

/** Opens `url` afresh (signed in already; not a hash change) and waits until the viewer has
 *  drawn. */
async function open(page: Page, url: string) {
  await page.goto('about:blank');
  await page.goto(url);
  await expect(page.locator('.apc-logv__row').first()).toBeVisible();
}

test('Shift+click marks a range, the address names it, and Copy lines copies its text', async ({ page, context, baseURL }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const id = await demoRun(baseURL!);
  await signIn(page, `/jobs/${id}`);
  await page.getByRole('button', { name: 'First page' }).click();
  await row(page, 3).locator('.apc-logv__num').click();
  await expect(page).toHaveURL(/#L3$/);
  await row(page, 7).locator('.apc-logv__num').click({ modifiers: ['Shift'] });
  await expect(page).toHaveURL(/#L3-L7$/);
  await expect(marked(page)).toHaveCount(5);
  for (const n of [3, 5, 7]) await expect(row(page, n)).toHaveClass(/apc-logv__row--selected/);
  await expect(row(page, 8)).not.toHaveAttribute('aria-current', 'true');
  await expect(page.locator('.apc-logv__selected')).toContainText('Lines 3–7 selected (5 lines)');
  // Shift+click above the anchor: the range runs the other way.
  await row(page, 1).locator('.apc-logv__num').click({ modifiers: ['Shift'] });
  await expect(page).toHaveURL(/#L1-L3$/);

  await page.getByRole('button', { name: 'Copy lines' }).click();
  await expect(page.locator('.apc-logv__selected')).toContainText('3 lines copied');
  const want = await apiLines(baseURL!, id, 0, 3);
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(want.join('\n'));
  await page.getByRole('button', { name: 'Copy link to lines' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseURL}/jobs/${id}#L1-L3`);

  // The keyboard way: a range typed into "go to line", and Shift+Enter to extend the mark.
  const goTo = page.getByLabel('Go to line');
  await expect(goTo).toHaveAttribute('title', /Shift\+Enter/);
  await goTo.fill('10-20');
  await goTo.press('Enter');
  await expect(page).toHaveURL(/#L10-L20$/);
  await expect(marked(page)).toHaveCount(11);
  await goTo.fill('14');
  await goTo.press('Enter');
  await goTo.fill('12');
  await goTo.press('Shift+Enter');
  await expect(page).toHaveURL(/#L12-L14$/);
  await expect(marked(page)).toHaveCount(3);
  // A plain click marks one line again.
  await row(page, 16).locator('.apc-logv__num').click();
  await expect(marked(page)).toHaveCount(1);
});

test('links to ranges: reversed, cut at the end, junk; opening one marks it', async ({ page, baseURL }) => {
  const id = await demoRun(baseURL!);
  const total = (await (await (await apiClient(baseURL!)).get(`${API}/logs?processingId=${id}&tail=1`)).json()).offset + 1;
  await signIn(page, `/jobs/${id}`);
  await open(page, `/jobs/${id}#L20-L10`);
  await expect(marked(page)).toHaveCount(11);
  await expect(row(page, 10)).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('.apc-logv__selected')).toContainText('Lines 10–20 selected');
  await open(page, `/jobs/${id}#L${total - 2}-L${total + 500}`);
  await expect(page.locator('.apc-logv__selected')).toContainText(`Lines ${(total - 2).toLocaleString('en-US')}–${total.toLocaleString('en-US')} selected (3 lines)`);
  await open(page, `/jobs/${id}#Lx-L3`);
  await expect(marked(page)).toHaveCount(0);
  await expect(row(page, total)).toBeVisible();
});

for (const size of [{ width: 360, height: 640 }, { width: 1280, height: 720 }]) {
  test(`a link to a range shows its first line in the window (${size.width}x${size.height}), also in the AEM shell`, async ({ page, baseURL }) => {
    test.setTimeout(120_000);
    await page.setViewportSize(size);
    const id = await bigLog();
    await signIn(page, `/jobs/${id}`);
    await open(page, `/jobs/${id}#L150000-L150010`);
    await expect(row(page, 150_000)).toHaveAttribute('aria-current', 'true');
    await expect.poll(() => inWindow(page, 150_000)).toBe(true);
    await expect(marked(page)).toHaveCount(11);
    expect(await page.locator('.apc-logv__row').count()).toBeLessThanOrEqual(200);
    // The demo run, whose Problems panel arrives above the log after it opened.
    const demoId = await demoRun(baseURL!);
    const requests = watchRequests(page);
    await open(page, `/jobs/${demoId}#L12`);
    await expect(row(page, 12)).toHaveAttribute('aria-current', 'true');
    await expect.poll(() => inWindow(page, 12)).toBe(true);
    // The layout has settled (the Problems panel read, its look-up answered, all drawn): the
    // line is still in view.
    await requests.settled();
    expect(await inWindow(page, 12)).toBe(true);
    // Inside the AEM-like page, whose header and rails sit around the console.
    await open(page, `${SHELL}/jobs/${id}#L120000-L120002`);
    await expect(row(page, 120_000)).toHaveAttribute('aria-current', 'true');
    await expect.poll(() => inWindow(page, 120_000)).toBe(true);
    // Clicking a line link inside the page (the Problems panel's, or an address typed) too.
    await page.evaluate(() => { location.hash = '#L100000'; });
    await expect(row(page, 100_000)).toHaveAttribute('aria-current', 'true');
    await expect.poll(() => inWindow(page, 100_000)).toBe(true);
  });
}

test('Copy lines loads the pages a long range needs and copies exactly its lines', async ({ page, context, baseURL }) => {
  test.setTimeout(120_000);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const id = await bigLog();
  await signIn(page, `/jobs/${id}`);
  await open(page, `/jobs/${id}#L50500-L53200`);
  await expect(page.locator('.apc-logv__selected')).toContainText('Lines 50,500–53,200 selected (2,701 lines)');
  await page.getByRole('button', { name: 'Copy lines' }).click();
  await expect(page.locator('.apc-logv__selected')).toContainText('2,701 lines copied', { timeout: 30_000 });
  const want = await apiLines(baseURL!, id, 50_499, 2_701);
  const got = await page.evaluate(() => navigator.clipboard.readText());
  expect(got.split('\n').length).toBe(2_701);
  expect(got).toBe(want.join('\n'));
  // More than the viewer copies at once: it says so and points to the ZIP.
  await open(page, `/jobs/${id}#L1-L50000`);
  await page.getByRole('button', { name: 'Copy lines' }).click();
  await expect(page.locator('.apc-logv__selected')).toContainText("the log's ZIP has all of it");
});
