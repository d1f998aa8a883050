// The job view's layout (issue 12, item 5, "the log takes the screen") and what triage costs
// once a run has ended. At a phone's, a tablet's and a desktop's size, standalone and inside
// the AEM-like page (whose shell header takes space, and in a variant whose content panel
// scrolls instead of the window, as Granite's does): the log fills the height left below the
// job's sticky bar, its tool bar stays in sight once the page is scrolled, "Back to runs" and
// the status stay at hand, and the facts fold into one line on a phone, opened by keyboard.
// Then: a finished run's view asks the server for no log page the log viewer's feed already
// holds (the Problems panel reads them from its cache), counted with page.on('request').
import { type Page, type Request } from '@playwright/test';
import { API, apiClient, expect, runJob, signIn, test, watchRequests } from './helpers';

const SHELL_PAGE = '/apps/asset-processing-console/content/asset-processing.html';
/** The demo's one malformed topic is in this set: its run has a Problems panel. */
const MALFORMED_SET = '/content/dam/guides/Café Scheduler/de';
/** A set without failures or warnings. */
const QUIET_SET = '/content/dam/guides/Aurora Router/ja/images';

const SIZES = [
  { width: 360, height: 640 },
  { width: 768, height: 1024 },
  { width: 1440, height: 900 },
];

let problemRun: Promise<string> | undefined;
function runWithProblems(baseURL: string): Promise<string> {
  problemRun ??= apiClient(baseURL).then((api) => runJob(api, MALFORMED_SET));
  return problemRun;
}

/** Scrolls whatever scrolls the console (the window, or the host's content panel) to its end. */
async function scrollToEnd(page: Page) {
  await page.evaluate(() => {
    window.scrollTo(0, document.documentElement.scrollHeight);
    const panel = document.querySelector('.shell-content');
    if (panel) panel.scrollTop = panel.scrollHeight;
  });
}

/** The log's own tool bar, found by what it offers; on a narrow screen it is folded into
 * "Log tools", and the fold is what stays in sight. */
const logToolsFold = (page: Page) => page.locator('summary', { hasText: 'Log tools' });
async function logTools(page: Page) {
  const fold = logToolsFold(page);
  return (await fold.isVisible()) ? fold : page.getByRole('button', { name: 'Go', exact: true });
}

async function expectLogFillsTheScreen(page: Page, top = 0) {
  const viewport = page.viewportSize()!;
  await page.locator('.apc-logv__row').first().waitFor();
  await scrollToEnd(page);
  // The log's tool bar (on a phone, its fold) is in the window, below the job's bar.
  const toolsMark = await logTools(page);
  await expect(toolsMark).toBeInViewport();
  const bar = (await page.locator('.apc-job__bar').boundingBox())!;
  expect(bar.y).toBeCloseTo(top, 0);
  const tools = (await toolsMark.boundingBox())!;
  expect(tools.y).toBeGreaterThanOrEqual(bar.y + bar.height);
  // The frame ends inside the window and leaves no more than the page's own margins below.
  const frame = (await page.locator('.apc-logv__frame').boundingBox())!;
  expect(frame.y + frame.height).toBeLessThanOrEqual(viewport.height);
  expect(frame.y + frame.height).toBeGreaterThan(viewport.height - 80);
  expect(frame.height).toBeGreaterThan(160);
  // Back to runs and the status are still at hand.
  const status = page.getByRole('group', { name: 'Job status' });
  await expect(status.getByRole('link', { name: 'Back to runs' })).toBeInViewport();
  await expect(status).toContainText('Completed');
  await expect(status).toContainText('100 %');
}

for (const size of SIZES) {
  test(`at ${size.width}×${size.height} the log fills the height left and its tools stay in sight`, async ({ page, baseURL }) => {
    const id = await runWithProblems(baseURL!);
    await page.setViewportSize(size);
    await signIn(page, `/jobs/${id}`);
    // The Problems panel sits above the log.
    const problems = page.getByRole('region', { name: 'Problems' });
    await expect(problems).toBeVisible();
    const panelBox = (await problems.boundingBox())!;
    const logBox = (await page.locator('.apc-log').boundingBox())!;
    expect(panelBox.y + panelBox.height).toBeLessThanOrEqual(logBox.y);
    await expectLogFillsTheScreen(page);
    // On a phone the tool bar is folded into "Log tools" (the log keeps the height); the
    // keyboard opens it, and its tools are there.
    const fold = logToolsFold(page);
    const go = page.getByRole('button', { name: 'Go', exact: true });
    if (size.width < 600) {
      await expect(fold).toBeVisible();
      await expect(go).toBeHidden();
      await fold.focus();
      await page.keyboard.press('Enter');
      await expect(go).toBeVisible();
      await expect(page.getByLabel('Go to line')).toBeVisible();
      await page.keyboard.press('Enter');
      await expect(go).toBeHidden();
    } else {
      await expect(fold).toBeHidden();
      await expect(go).toBeVisible();
    }
    // And the panel stays reachable: scrolling back up shows it.
    await problems.scrollIntoViewIfNeeded();
    await expect(problems.getByRole('link', { name: /^Line \d+ of the log/ })).toBeInViewport();
  });

  test(`at ${size.width}×${size.height} inside the AEM page the log fills the height left`, async ({ page, baseURL }) => {
    const id = await runWithProblems(baseURL!);
    await page.setViewportSize(size);
    await signIn(page, `${SHELL_PAGE}/jobs/${id}`);
    await expect(page.locator('#shell-title')).toBeVisible();
    await expectLogFillsTheScreen(page);
  });
}

test('inside a shell whose content panel scrolls, the log fills that panel below its header', async ({ page, baseURL }) => {
  const id = await runWithProblems(baseURL!);
  await page.setViewportSize({ width: 768, height: 1024 });
  await signIn(page, SHELL_PAGE);
  // As Granite's shell page does: the header stays, the content panel scrolls.
  await page.route((url) => url.pathname.startsWith(SHELL_PAGE), async (route) => {
    const response = await route.fetch();
    const html = (await response.text()).replace('</head>',
      '<style>html, body { height: 100%; } body { display: flex; flex-direction: column; overflow: hidden; }' +
      ' .shell-header { flex: none; } .shell-content { flex: 1; overflow: auto; }</style></head>');
    await route.fulfill({ response, body: html });
  });
  await page.goto(`${SHELL_PAGE}/jobs/${id}`);
  const header = (await page.locator('#shell-header').boundingBox())!;
  await expectLogFillsTheScreen(page, header.y + header.height);
  // The window itself did not scroll: the panel did.
  expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
  await expect(page.locator('#shell-header')).toBeInViewport();
});

test('on a phone the facts fold into one line, opened and closed by keyboard, in a sensible order', async ({ page, baseURL }) => {
  const id = await runWithProblems(baseURL!);
  await page.setViewportSize({ width: 360, height: 640 });
  const requests = watchRequests(page);
  await signIn(page, `/jobs/${id}`);
  const facts = page.locator('details.apc-job__facts');
  const summary = facts.locator('summary');
  await expect(summary).toContainText(/SUCCESS · \d+ of \d+ \(100 %\) · /);
  await expect(facts).not.toHaveAttribute('open', '');
  await expect(page.getByText('Execution ID')).toBeHidden();
  // Tab from "Back to runs": the job's actions and tools, then the facts' summary.
  await page.getByRole('link', { name: 'Back to runs' }).focus();
  const order: string[] = [];
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return el.tagName === 'SUMMARY' ? 'summary' : (el.textContent ?? '').trim() || el.getAttribute('aria-label') || el.tagName;
    });
    order.push(at);
    if (at === 'summary') break;
  }
  expect(order.at(-1)).toBe('summary');
  expect(order[0]).toBe('Restart');
  await page.keyboard.press('Enter');
  await expect(facts).toHaveAttribute('open', '');
  await expect(page.getByText('Execution ID')).toBeVisible();
  await expect(facts.locator('.apc-facts')).toContainText(id);
  // The toggle survives what the view draws once it is open (the job's poll, whose final
  // answer ends it, and triage's look-up), and closes again by keyboard.
  await requests.settled();
  await expect(facts).toHaveAttribute('open', '');
  await expect(summary).toBeFocused();
  await page.keyboard.press('Space');
  await expect(facts).not.toHaveAttribute('open', '');
});

test("a problem's line link shows the log below the sticky bar, never under it", async ({ page, baseURL }) => {
  const id = await runWithProblems(baseURL!);
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, `/jobs/${id}`);
  const link = page.getByRole('region', { name: 'Problems' }).getByRole('link', { name: /^Line \d+ of the log/ });
  const n = Number((await link.getAttribute('href'))!.replace('#L', ''));
  await link.click();
  const row = page.locator(`.apc-logv__row[data-line="${n}"]`);
  await expect(row).toBeInViewport();
  const bar = (await page.locator('.apc-job__bar').boundingBox())!;
  const frame = (await page.locator('.apc-logv__frame').boundingBox())!;
  const rowBox = (await row.boundingBox())!;
  expect(frame.y).toBeGreaterThanOrEqual(bar.y + bar.height);
  expect(rowBox.y).toBeGreaterThanOrEqual(bar.y + bar.height);
  // Tabbing back up from the log, the focused control is not hidden under the bar either.
  await page.getByRole('searchbox', { name: 'Find in log' }).focus();
  await page.keyboard.press('Shift+Tab');
  const focused = (await page.evaluate(() => {
    const b = document.activeElement!.getBoundingClientRect();
    return { y: b.y };
  }));
  expect(focused.y).toBeGreaterThanOrEqual(bar.y + bar.height);
});

test('on a wide screen the facts are open', async ({ page, baseURL }) => {
  const id = await runWithProblems(baseURL!);
  await page.setViewportSize({ width: 1440, height: 900 });
  await signIn(page, `/jobs/${id}`);
  await expect(page.locator('details.apc-job__facts')).toHaveAttribute('open', '');
  await expect(page.getByText('Execution ID')).toBeVisible();
});

test('nothing moves once the log is shown: its frame keeps its place and height', async ({ page, baseURL }) => {
  const id = await runWithProblems(baseURL!);
  const requests = watchRequests(page);
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await signIn(page, `/jobs/${id}`);
    // The job and its log arrive with the same poll; the Problems panel is read from them.
    await page.locator('.apc-logv__row').first().waitFor();
    const first = (await page.locator('.apc-logv__frame').boundingBox())!;
    // Triage's look-up answers, the position line fills in; the final status ended the polls.
    await expect(page.getByRole('region', { name: 'Problems' }).locator('.apc-problems__item')).toHaveCount(1);
    await requests.settled();
    const later = (await page.locator('.apc-logv__frame').boundingBox())!;
    expect({ y: later.y, height: later.height }, `at ${size.width} px`).toEqual({ y: first.y, height: first.height });
  }
});

/** The console's requests (fetch and XHR) once the page has received the job's final status. */
function countAfterFinal(page: Page): { log: string[]; other: string[] } {
  const seen = { log: [] as string[], other: [] as string[] };
  let final = false;
  page.on('response', async (response) => {
    if (final || !response.url().includes(`${API}/status?`) || response.status() !== 200) return;
    const body = await response.json().catch(() => null);
    if (body && !['RUNNING', 'WAITING'].includes(body.status)) final = true;
  });
  page.on('request', (r: Request) => {
    if (r.resourceType() !== 'fetch' && r.resourceType() !== 'xhr') return;
    const url = new URL(r.url());
    if (url.pathname.endsWith('/logs')) {
      const query = new URLSearchParams(url.search);
      query.delete('processingId');
      seen.log.push(query.toString());
    }
    else if (final || url.pathname.includes('/assets/status')) seen.other.push(url.pathname);
  });
  return seen;
}

test('a finished small run asks for its log once; triage reads it from the feed', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const quiet = await runJob(api, QUIET_SET);
  const seen = countAfterFinal(page);
  const requests = watchRequests(page);
  await signIn(page, `/jobs/${quiet}`);
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');
  await page.locator('.apc-logv__row').first().waitFor();
  // Everything the page asked for has answered and been handled: nothing more will be asked.
  await requests.settled();
  // The poll's one tail; no page asked again, no tail=1 for the length.
  expect(seen.log).toEqual([expect.stringMatching(/^tail=\d+$/)]);
  // A log that names no asset: the per-asset status look-up could add nothing to the panel.
  expect(seen.other).toEqual([]);
  await expect(page.getByRole('region', { name: 'Problems' })).toHaveCount(0);

  // With problems: the look-up is made (it says which named assets failed), the log is not
  // asked for again.
  const id = await runWithProblems(baseURL!);
  const again = countAfterFinal(page);
  await page.goto(`/jobs/${id}`);
  await expect(page.getByRole('region', { name: 'Problems' }).locator('.apc-problems__counts')).toHaveText(/^1 failed asset/);
  // (The panel shows the log's count at once; the look-up's POST and GET follow.)
  await expect.poll(() => again.other.filter((p) => p.includes('/assets/status')).length).toBeGreaterThanOrEqual(2);
  await requests.settled();
  expect(again.log).toEqual([expect.stringMatching(/^tail=\d+$/)]);
});

test('a finished run longer than the feed holds: each missing page asked once, and the viewer reuses them', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  // The whole demo: about 2,000 assets, a log of three pages.
  const id = await runJob(api, '/content/dam/guides');
  const seen = countAfterFinal(page);
  await signIn(page, `/jobs/${id}`);
  const problems = page.getByRole('region', { name: 'Problems' });
  await expect(problems.locator('.apc-problems__counts')).toHaveText(/^1 failed asset/);
  await expect(problems.getByText(/^Read [\d,]+ of/)).toHaveCount(0);
  // The viewer goes to the first line: triage already left page 0 in the cache.
  await page.getByLabel('Go to line').fill('1');
  await page.getByRole('button', { name: 'Go', exact: true }).click();
  await expect(page.locator('.apc-logv__row[data-line="1"]')).toBeVisible();
  const pages = seen.log.filter((q) => q.startsWith('offset='));
  expect(seen.log[0]).toMatch(/^tail=\d+$/);
  expect(new Set(pages).size).toBe(pages.length);
  expect(pages.length).toBeGreaterThanOrEqual(1);
  expect(seen.log.filter((q) => q === 'tail=1')).toEqual([]);
});

test('at 1280×800 the first screen shows the status, the progress, the problems and the log\'s first rows', async ({ page, baseURL }) => {
  const id = await runWithProblems(baseURL!);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, `/jobs/${id}`);
  await page.locator('.apc-logv__row').first().waitFor();
  // A short window: the facts fold to their one line, opened on demand.
  await expect(page.locator('details.apc-job__facts')).not.toHaveAttribute('open', '');
  await expect(page.locator('details.apc-job__facts summary')).toBeInViewport();
  await expect(page.locator('.apc-job__heading .apc-status')).toBeInViewport();
  await expect(page.locator('.apc-job__progress').getByRole('progressbar')).toBeInViewport();
  await expect(page.getByRole('region', { name: 'Problems' }).locator('.apc-problems__item').first()).toBeInViewport();
  // Rows of the log lie wholly inside both the window and the log's frame, unscrolled.
  const shown = await page.evaluate(() => {
    const frame = document.querySelector('.apc-logv__frame')!.getBoundingClientRect();
    return Array.from(document.querySelectorAll('.apc-logv__row')).filter((row) => {
      const b = row.getBoundingClientRect();
      return b.height > 0 && b.top >= Math.max(0, frame.top) && b.bottom <= Math.min(window.innerHeight, frame.bottom);
    }).length;
  });
  expect(shown).toBeGreaterThanOrEqual(3);
  expect(await page.evaluate(() => document.scrollingElement!.scrollTop)).toBe(0);
});

test('on a phone the job\'s buttons hold one line, "Compare with the previous run" looks like a button', async ({ page, baseURL }) => {
  const id = await runWithProblems(baseURL!);
  await page.setViewportSize({ width: 360, height: 640 });
  await signIn(page, `/jobs/${id}`);
  const compare = page.getByRole('button', { name: 'Compare with the previous run of this folder' });
  await expect(compare).toBeVisible();
  const tops = new Set<number>();
  for (const button of await page.locator('.apc-job__tools button').all()) {
    const box = (await button.boundingBox())!;
    tops.add(Math.round(box.y + box.height / 2));
    expect(box.x + box.width).toBeLessThanOrEqual(360);
  }
  expect([...tops]).toHaveLength(1);
  // A button's frame: a visible border.
  expect(await compare.evaluate((el) => getComputedStyle(el).borderTopStyle)).not.toBe('none');
  expect(await compare.evaluate((el) => parseFloat(getComputedStyle(el).borderTopWidth))).toBeGreaterThan(0);
});
