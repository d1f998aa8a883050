// The log viewer's level filter, next/previous problem and timestamps (issue 12, item 3), on a
// large synthetic log (every 50th line from line 8 a WARN, every 1,000th from line 24 an
// ERROR; line i written at the job's start + i ms) and on the demo repository's run.
import { type Page } from '@playwright/test';
import { API, apiClient, expect, hold, runJob, signIn, synthesize, test } from './helpers';

const DEMO_SET = '/content/dam/guides/Café Scheduler/de';

let big: Promise<string> | undefined;
const bigLog = () => (big ??= synthesize(200_000));

const rows = (page: Page) => page.locator('.apc-logv__row');
const row = (page: Page, n: number) => page.locator(`.apc-logv__row[data-line="${n}"]`);

/** Opens the big log's job view (signing in) and waits until it shows its last line. */
async function openBigLog(page: Page): Promise<string> {
  const id = await bigLog();
  await signIn(page, `/jobs/${id}`);
  await expect(row(page, 200_000)).toBeVisible();
  return id;
}
const count = (page: Page) => page.locator('#apc-logv-filter-count');
const show = (page: Page) => page.getByLabel('Show');

/** Line numbers of the rows in the page, in order. */
async function numbers(page: Page): Promise<number[]> {
  return rows(page).evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
}

/** Holds every log page request until released: a scan started meanwhile is under way (it
 * has asked for a page, not had it) while the test watches and stops it. */
const holdLogPages = (page: Page) => hold(page, '**/bin/guides/v1/assets/process/logs?**');

test('Errors only reads the whole log page by page, counts exactly, and keeps few rows in the page', async ({ page }) => {
  test.setTimeout(180_000);
  await openBigLog(page);
  await show(page).selectOption({ label: 'Errors only' });
  // At once: what is loaded, and the count never claims more than was read.
  await expect(count(page)).toHaveText(/^\d+ lines? in [\d,]+ of 200,000 lines read$/);
  await expect(count(page)).toHaveText('200 lines in the whole log (200,000 lines)', { timeout: 150_000 });
  await expect(page.getByRole('button', { name: 'Stop reading' })).toHaveCount(0);
  expect(await rows(page).count()).toBeLessThanOrEqual(200);
  // Only ERROR lines, with their own numbers, in order.
  await page.getByRole('button', { name: 'First page' }).click();
  await expect(row(page, 24)).toBeVisible();
  const shown = await numbers(page);
  expect(shown.slice(0, 5)).toEqual([24, 1_024, 2_024, 3_024, 4_024]);
  for (const n of shown.slice(0, 5)) await expect(row(page, n)).toHaveClass(/apc-logv__row--error/);
  await expect(row(page, 1_024)).toHaveAttribute('aria-setsize', '200');
  await expect(row(page, 1_024)).toHaveAttribute('aria-posinset', '2');
  // The last error is the last row.
  await page.getByRole('button', { name: 'Last page' }).click();
  await expect(row(page, 199_024)).toBeVisible();

  // Go to an error line: shown, still filtered. Go to a hidden line: the filter goes off, said so.
  await page.getByLabel('Go to line').fill('150024');
  await page.getByLabel('Go to line').press('Enter');
  await expect(row(page, 150_024)).toHaveAttribute('aria-current', 'true');
  await expect(show(page)).toHaveValue('errors');
  await page.getByLabel('Go to line').fill('150030');
  await page.getByLabel('Go to line').press('Enter');
  await expect(page.locator('.apc-logv__notice')).toHaveText('Line 150,030 is not a line the filter shows: showing all lines.');
  await expect(show(page)).toHaveValue('all');
  await expect(row(page, 150_030)).toHaveAttribute('aria-current', 'true');
  await expect(row(page, 150_029)).toBeVisible();
});

test('reading for a filter shows progress and stops; what was read is said; the rest can be read later', async ({ page }) => {
  test.setTimeout(120_000);
  await openBigLog(page);
  const logPages = await holdLogPages(page);
  await show(page).selectOption({ label: 'Warnings and errors' });
  await logPages.waitForOne();
  await expect(page.getByRole('progressbar', { name: 'Reading the log' })).toBeVisible();
  await expect(page.locator('.apc-logv__view')).toContainText(/Reading… page \d+ of \d+/);
  await page.getByRole('button', { name: 'Stop reading' }).click();
  await expect(page.getByRole('button', { name: 'Stop reading' })).toHaveCount(0);
  const said = (await count(page).textContent())!;
  const [, n, read] = said.match(/^([\d,]+) lines in ([\d,]+) of 200,000 lines read$/)!;
  const readLines = Number(read.replace(/,/g, ''));
  expect(readLines).toBeLessThan(200_000);
  // 21 problems in every full page read (20 WARN, 1 ERROR): never more than read.
  expect(Number(n.replace(/,/g, ''))).toBeLessThanOrEqual(Math.ceil(readLines / 1_000) * 21);
  // Every row is a WARN or an ERROR line.
  const classes = await rows(page).evaluateAll((els) => els.map((e) => e.className));
  expect(classes.length).toBeGreaterThan(0);
  for (const c of classes) expect(c).toMatch(/apc-logv__row--(warn|error)/);
  await logPages.release();
  await page.getByRole('button', { name: 'Read the rest of the log' }).click();
  await expect(count(page)).toHaveText('4,200 lines in the whole log (200,000 lines)', { timeout: 100_000 });
});

test('Next and Previous problem step through warnings and errors, by button and by key, reading further when needed', async ({ page }) => {
  test.setTimeout(120_000);
  await openBigLog(page);
  const next = page.getByRole('button', { name: 'Next problem' });
  await expect(next).toHaveAttribute('aria-keyshortcuts', 'N');
  await expect(next).toHaveAttribute('title', /N/);
  await expect(page.getByRole('button', { name: 'Previous problem' })).toHaveAttribute('aria-keyshortcuts', 'Shift+N');
  await page.getByLabel('Go to line').fill('100');
  await page.getByLabel('Go to line').press('Enter');
  await next.click();
  await expect(row(page, 108)).toHaveAttribute('aria-current', 'true');
  // Keys work while focus is in the log, not while typing in a field.
  await page.locator('.apc-logv__scroller').focus();
  await page.keyboard.press('n');
  await expect(row(page, 158)).toHaveAttribute('aria-current', 'true');
  await page.keyboard.press('Shift+N');
  await expect(row(page, 108)).toHaveAttribute('aria-current', 'true');
  await page.getByLabel('Go to line').focus();
  await page.keyboard.press('n');
  await expect(row(page, 108)).toHaveAttribute('aria-current', 'true');

  // Under "Errors only", read only near the end, the previous error far up needs pages read.
  const logPages = await holdLogPages(page);
  await page.getByLabel('Go to line').fill('199990');
  await page.getByLabel('Go to line').press('Enter');
  await show(page).selectOption({ label: 'Errors only' });
  await logPages.waitForOne();
  await page.getByRole('button', { name: 'Stop reading' }).click();
  await logPages.release();
  await page.getByLabel('Go to line').fill('199024');
  await page.getByLabel('Go to line').press('Enter');
  for (const n of [198_024, 197_024, 196_024, 195_024, 194_024, 193_024]) {
    await page.getByRole('button', { name: 'Previous problem' }).click();
    await expect(row(page, n)).toHaveAttribute('aria-current', 'true');
  }
  await expect(show(page)).toHaveValue('errors');
  await page.getByLabel('Go to line').fill('199024');
  await page.getByLabel('Go to line').press('Enter');
  await next.click();
  await expect(page.locator('.apc-logv__notice')).toHaveText('No more errors after line 199,024.');
});

test('timestamps as written, local, since the start or hidden; the choice is remembered', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ timezoneId: 'Asia/Kolkata', baseURL });
  const page = await context.newPage();
  const id = await synthesize(3_000);
  const api = await apiClient(baseURL!);
  const line1 = (await (await api.get(`${API}/logs?processingId=${id}&offset=0&limit=1`)).json()).lines[0] as string;
  const [stamp, ...rest] = line1.split(' ');
  await signIn(page, `/jobs/${id}`);
  await page.getByRole('button', { name: 'First page' }).click();
  const text = (n: number) => row(page, n).locator('.apc-logv__text');
  await expect(text(1)).toHaveText(line1);
  const times = page.getByLabel('Times');
  await times.selectOption({ label: 'Since start' });
  await expect(text(1)).toHaveText(`+0:00:00.000 ${rest.join(' ')}`);
  await expect(text(11)).toHaveText(/^\+0:00:00\.010 INFO /);
  await times.selectOption({ label: 'Local time' });
  // India is 5 h 30 min east of UTC all year.
  const local = new Date(Date.parse(stamp) + 5.5 * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
  await expect(text(1)).toHaveText(`${local} ${rest.join(' ')}`);
  await times.selectOption({ label: 'Hidden' });
  await expect(text(1)).toHaveText(rest.join(' '));
  // Search still finds and marks in what is shown.
  await page.getByRole('searchbox', { name: 'Find in log' }).fill('topic-0000007');
  await expect(row(page, 8).locator('mark.apc-logv__hit')).toHaveText('topic-0000007');
  await page.reload();
  await expect(page.getByLabel('Times')).toHaveValue('hidden');
  await page.getByRole('button', { name: 'First page' }).click();
  await expect(text(1)).toHaveText(rest.join(' '));
  await context.close();
});

test('on the demo run, Warnings and errors shows its real problems', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await runJob(api, DEMO_SET);
  const all: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const p = await (await api.get(`${API}/logs?processingId=${id}&offset=${offset}&limit=1000`)).json();
    all.push(...p.lines);
    if (!p.hasMore) break;
  }
  const problems = all.map((l, k) => ({ n: k + 1, level: l.split(' ')[1] })).filter((l) => l.level === 'WARN' || l.level === 'ERROR');
  expect(problems.some((p) => p.level === 'ERROR')).toBe(true);
  await signIn(page, `/jobs/${id}`);
  await show(page).selectOption({ label: 'Warnings and errors' });
  const said = problems.length === 1 ? '1 line' : `${problems.length.toLocaleString('en-US')} lines`;
  await expect(count(page)).toHaveText(`${said} in the whole log (${all.length.toLocaleString('en-US')} lines)`);
  await page.getByRole('button', { name: 'First page' }).click();
  const shown = await numbers(page);
  expect(shown).toEqual(problems.map((p) => p.n).slice(0, shown.length));
  await show(page).selectOption({ label: 'Errors only' });
  const errors = problems.filter((p) => p.level === 'ERROR').map((p) => p.n);
  await expect.poll(() => numbers(page)).toEqual(errors.slice(0, 60));
});
