// The log viewer on real logs of the real server (issue 5): a 200,000-line log, a log that
// grows while it is followed, search across pages that are not loaded, and the ZIP.
// Logs are written by `asset-processing-server synthesize-log` into the server's database.
import { type Locator, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { apiLines, expect, signIn, test } from './helpers';

const work = path.resolve(process.env.APC_WORK ?? '../target/e2e');
const serverBin = path.resolve(process.env.APC_SERVER_BIN ?? '../target/debug/asset-processing-server');

/** Writes a synthetic log of `lines` lines (at `rate` lines/s when given); resolves with the
 *  job's id as soon as the job exists. */
function synthesize(lines: number, rate?: number): Promise<{ id: string; child: ChildProcess }> {
  const args = ['synthesize-log', '--data', path.join(work, 'data'), '--lines', String(lines)];
  if (rate) args.push('--rate', String(rate));
  const child = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const id = out.split('\n')[0].trim();
      if (out.includes('\n') && id) resolve({ id, child });
    });
    child.on('exit', (code) => { if (code !== 0) reject(new Error(`synthesize-log exited with ${code}`)); });
  });
}

async function finished(child: ChildProcess) {
  if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
}

let big: Promise<string> | undefined;
/** One 200,000-line log shared by the tests that only read it. */
function bigLog(): Promise<string> {
  big ??= synthesize(200_000).then(async ({ id, child }) => { await finished(child); return id; });
  return big;
}

const rows = (page: Page) => page.locator('.apc-logv__row');
const row = (page: Page, n: number) => page.locator(`.apc-logv__row[data-line="${n}"]`);

/** Opens the big log's job view (signing in) and waits until it shows its last line. */
async function openBigLog(page: Page): Promise<string> {
  const id = await bigLog();
  await signIn(page, `/jobs/${id}`);
  await expect(row(page, 200_000)).toBeVisible();
  return id;
}
const scroller = (page: Page) => page.locator('.apc-logv__scroller');

/** Line numbers and texts of the rows in the page, in order. */
async function rendered(page: Page): Promise<{ n: number; text: string }[]> {
  return rows(page).evaluateAll((els) => els.map((e) => ({
    n: Number(e.getAttribute('data-line')),
    text: e.querySelector('.apc-logv__text')!.textContent ?? '',
  })));
}

/** The rendered rows once every one is loaded and two reads in a row agree (the window
 *  follows a scroll a frame later). */
async function settled(page: Page): Promise<{ n: number; text: string }[]> {
  let last = '';
  let got: { n: number; text: string }[] = [];
  await expect.poll(async () => {
    got = await rendered(page);
    const now = JSON.stringify(got);
    const stable = now === last && got.every((r) => !r.text.includes('loading…'));
    last = now;
    return stable;
  }).toBe(true);
  return got;
}

/** Whether line `n` is in the page and inside the scroll area's visible box. */
async function shownInScroller(page: Page, n: number): Promise<boolean> {
  const r = await row(page, n).boundingBox();
  const s = await scroller(page).boundingBox();
  return !!r && !!s && r.y >= s.y - 1 && r.y + r.height <= s.y + s.height + 1;
}

async function atBottom(s: Locator): Promise<boolean> {
  return s.evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 4);
}

test('a 200,000-line log opens at its end with few rows in the page; pages, go to line, links to lines', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const id = await openBigLog(page);
  await expect(page.locator('.apc-logv')).toContainText('of 200,000');
  expect(await rows(page).count()).toBeLessThanOrEqual(200);
  // The viewer stands for every line: the screen reader hears the position and size.
  await expect(row(page, 200_000)).toHaveAttribute('aria-setsize', '200000');

  await page.getByRole('button', { name: 'First page' }).click();
  await expect(row(page, 1)).toBeVisible();
  await expect(page.locator('.apc-logv')).toContainText('Page 1 of 200');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(row(page, 1_001)).toBeVisible();
  await expect(page.locator('.apc-logv')).toContainText('Page 2 of 200');
  expect((await settled(page)).find((r) => r.n === 1_001)!.text).toBe((await apiLines(baseURL!, id, 1_000, 1))[0]);

  await page.getByLabel('Go to line').fill('123456');
  await page.getByLabel('Go to line').press('Enter');
  await expect(row(page, 123_456)).toBeVisible();
  await expect(row(page, 123_456)).toHaveAttribute('aria-current', 'true');
  await expect(page).toHaveURL(/#L123456$/);
  const want = (await apiLines(baseURL!, id, 123_455, 1))[0];
  await expect(row(page, 123_456).locator('.apc-logv__text')).toHaveText(want);
  // WARN lines are marked with colour and a marker, not colour alone.
  const warn = row(page, 123_458);
  await expect(warn).toHaveClass(/apc-logv__row--warn/);
  await expect(warn.locator('.apc-logv__mark')).toHaveAttribute('title', 'Warning');
  await expect(warn).toContainText('WARN Unresolved href');
  await page.getByLabel('Go to line').fill('999999');
  await page.getByLabel('Go to line').press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'Enter a line number from 1 to 200,000.' })).toBeVisible();

  // A link to a line opens the view there, the line marked.
  await page.reload();
  await expect(row(page, 123_456)).toBeVisible();
  await expect(row(page, 123_456)).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('.apc-logv')).toContainText('Line 123,456 selected');
  // Clicking a line number links to that line.
  await row(page, 123_460).locator('.apc-logv__num').click();
  await expect(page).toHaveURL(/#L123460$/);
  await expect(row(page, 123_460)).toHaveAttribute('aria-current', 'true');
  expect(await rows(page).count()).toBeLessThanOrEqual(200);

  // Wrapped lines are taller than a row: going to a line still shows it.
  await page.setViewportSize({ width: 700, height: 900 });
  await page.getByLabel('Wrap lines').check();
  await page.getByLabel('Go to line').fill('150000');
  await page.getByLabel('Go to line').press('Enter');
  await expect.poll(() => shownInScroller(page, 150_000)).toBe(true);
  await page.getByRole('button', { name: 'Last page' }).click();
  await expect.poll(() => shownInScroller(page, 200_000)).toBe(true);
  await page.getByLabel('Wrap lines').uncheck();
  await page.setViewportSize({ width: 1280, height: 720 });

  // Scrolling through a large part of it keeps the page small and the lines right.
  for (const frac of [0.1, 0.37, 0.5, 0.81]) {
    await scroller(page).evaluate((el, f) => { el.scrollTop = (el.scrollHeight - el.clientHeight) * f; }, frac);
    const got = await settled(page);
    expect(got.length).toBeLessThanOrEqual(200);
    const first = got[0].n;
    got.forEach((r, k) => expect(r.n).toBe(first + k));
    const lines = await apiLines(baseURL!, id, first - 1, got.length);
    expect(got.map((r) => r.text)).toEqual(lines);
  }
});

test('a growing log is followed; scrolling up pauses with "N new lines"; no line is missed or shown twice', async ({ page, baseURL }) => {
  test.setTimeout(120_000);
  const total = 4_000;
  const { id, child } = await synthesize(total, 400);
  await signIn(page, `/jobs/${id}`);
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('In progress');
  // It follows: the newest line is in view and the view stays at the bottom.
  await expect.poll(async () => Number(await rows(page).last().getAttribute('data-line')), { timeout: 20_000 }).toBeGreaterThan(800);
  await expect.poll(() => atBottom(scroller(page))).toBe(true);
  const before = Number(await rows(page).last().getAttribute('data-line'));
  await expect.poll(async () => Number(await rows(page).last().getAttribute('data-line'))).toBeGreaterThan(before);
  await expect.poll(() => atBottom(scroller(page))).toBe(true);

  // Scrolling up pauses following and says how much is new.
  await scroller(page).hover();
  await page.mouse.wheel(0, -3_000);
  await expect(page.getByRole('button', { name: /new lines?, jump to latest/ })).toBeVisible();
  const top = await scroller(page).evaluate((el) => el.scrollTop);
  // Lines keep coming while paused (the count on the button grows): the view stays put.
  const jump = page.getByRole('button', { name: /new lines?, jump to latest/ });
  const newLines = async () => Number(((await jump.textContent()) ?? '').replace(/[^0-9]/g, ''));
  const waiting = await newLines();
  await expect.poll(newLines).toBeGreaterThan(waiting + 50);
  expect(await scroller(page).evaluate((el) => el.scrollTop)).toBe(top);
  await expect(page.getByLabel('Follow')).not.toBeChecked();
  await page.getByRole('button', { name: /new lines?, jump to latest/ }).click();
  await expect.poll(() => atBottom(scroller(page))).toBe(true);
  await expect(page.getByLabel('Follow')).toBeChecked();

  await finished(child);
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 20_000 });
  await expect(row(page, total)).toBeVisible();
  await expect(row(page, total)).toHaveAttribute('aria-setsize', String(total));
  // Every line the viewer shows is the line of that number, each once.
  const all = await apiLines(baseURL!, id, 0, 4_000);
  expect(all.length).toBe(total);
  for (const line of [1, 990, 1_999, 2_500, 3_001]) {
    await page.getByLabel('Go to line').fill(String(line));
    await page.getByLabel('Go to line').press('Enter');
    await expect(row(page, line)).toBeVisible();
    const got = await settled(page);
    const seen = new Set(got.map((r) => r.n));
    expect(seen.size).toBe(got.length);
    for (const r of got) expect(r.text).toBe(all[r.n - 1]);
  }
});

test('search finds lines in pages that are not loaded, with progress; Enter and Shift+Enter step through', async ({ page }) => {
  test.setTimeout(180_000);
  await openBigLog(page);
  const find = page.getByRole('searchbox', { name: 'Find in log' });
  await find.fill('malformed xml');
  // At first only what is loaded has been searched, and the viewer says so.
  await expect(page.locator('#apc-logv-count')).toContainText(/of 200,000 lines searched/);
  await page.getByRole('button', { name: 'Search to the start' }).click();
  await expect(page.getByRole('button', { name: 'Stop searching' })).toBeVisible();
  // The first match found is shown and highlighted at once, while the scan goes on.
  const selected = page.locator('.apc-logv__row[aria-current="true"]');
  await expect(selected.locator('mark.apc-logv__hit')).toHaveText('Malformed XML');
  await expect(page.locator('#apc-logv-count')).toHaveText(/200 matches in the whole log/, { timeout: 150_000 });
  await expect(page.getByRole('button', { name: 'Stop searching' })).toHaveCount(0);

  // Enter goes to the next match, Shift+Enter back; matches are every 1,000 lines.
  await page.getByLabel('Go to line').fill('5000');
  await page.getByLabel('Go to line').press('Enter');
  await find.press('Enter');
  await expect(row(page, 5_024)).toHaveAttribute('aria-current', 'true');
  await expect(page.locator('#apc-logv-count')).toHaveText(/6 of 200 matches/);
  await find.press('Enter');
  await expect(row(page, 6_024)).toHaveAttribute('aria-current', 'true');
  await find.press('Shift+Enter');
  await find.press('Shift+Enter');
  await expect(row(page, 4_024)).toHaveAttribute('aria-current', 'true');
  await expect(row(page, 4_024)).toHaveClass(/apc-logv__row--error/);

  // A scan can be stopped.
  await find.fill('unexpected');
  await page.getByRole('button', { name: 'Search to the end' }).click();
  await page.getByRole('button', { name: 'Stop searching' }).click();
  await expect(page.getByRole('button', { name: 'Stop searching' })).toHaveCount(0);
  await expect(page.locator('#apc-logv-count')).not.toContainText('whole log');
});

/** The files of a ZIP archive (stored or deflated), read from its central directory. */
function unzip(buf: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('not a ZIP archive');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  for (let k = 0; k < count; k++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLen);
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(data, data + size);
    files.set(name, method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return files;
}

test('the ZIP download holds the lines the viewer shows', async ({ page }) => {
  const total = 3_000;
  const { id, child } = await synthesize(total);
  await finished(child);
  await signIn(page, `/jobs/${id}`);
  await expect(row(page, total)).toBeVisible();
  const link = page.getByRole('link', { name: 'Download logs (ZIP)' });
  await expect(link).toHaveAttribute('download', '');
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(`${id}-logs.zip`);
  const files = unzip(fs.readFileSync(await download.path()));
  const lines = [...files.values()].map((b) => b.toString('utf8')).join('').split('\n').filter((l) => l !== '');
  expect(lines.length).toBe(total);
  await expect(row(page, total)).toHaveAttribute('aria-setsize', String(lines.length));
  for (const r of await settled(page)) expect(r.text).toBe(lines[r.n - 1]);
  await page.getByRole('button', { name: 'First page' }).click();
  await expect(row(page, 1)).toBeVisible();
  for (const r of await settled(page)) expect(r.text).toBe(lines[r.n - 1]);
});
