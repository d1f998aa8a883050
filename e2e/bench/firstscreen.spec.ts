// The first screen's download, from the browser's own network events (issue 13): every file
// (HTML, JS, CSS, wasm; not the API's JSON) whose request started before the history table
// showed 100 runs, and the chunks fetched after it (the split build prefetches the other pages
// once the history has rendered). Each file's bytes are counted raw, gzip -9 and brotli 11
// (what a server compressing ahead sends), whatever the test server sent.
//
// Then opening a job from the history once its chunk is in: from the click to the job view's
// heading, measured inside the page (goal: within 100 ms).
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { test, type Page, type Response } from '@playwright/test';
import { watchRequests } from '../tests/helpers';
import { env, median, signedIn, writeFigures, type Figure } from './figures';

/** Runs the history must show (xtask seeds 100; a smaller history can try the spec out). */
const ROWS = Number(process.env.APC_BENCH_ROWS ?? 100);
const FIRST_SCREEN_GOAL_KB = 200;
const OPEN_JOB_GOAL_MS = 100;
const OPENS = 7;

interface Fetched { name: string; started: number; raw: number; gzip: number; brotli: number }

const kb = (bytes: number) => bytes / 1000;

function sizes(body: Buffer) {
  return {
    raw: body.length,
    gzip: gzipSync(body, { level: 9 }).length,
    brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Files of the console (not the API, not the sign-in page), as they finish, until `stop`
 * (what the page fetches later, while jobs are opened, is not the first screen's; a body the
 * closing page can no longer give after that is left out). */
function record(page: Page, base: string): { files: Promise<Fetched | null>[]; stop: () => void } {
  const files: Promise<Fetched | null>[] = [];
  let stopped = false;
  const onResponse = (r: Response) => {
    const url = new URL(r.url());
    if (!r.url().startsWith(base) || url.pathname.startsWith('/bin/') || url.pathname.startsWith('/libs/')) return;
    if (r.status() !== 200) return;
    files.push(r.body().then((body) => ({
      name: url.pathname === '/' ? 'index.html' : url.pathname.slice(1),
      started: r.request().timing().startTime,
      ...sizes(body),
    }), (e) => {
      if (stopped) return null;
      throw e;
    }));
  };
  page.on('response', onResponse);
  return { files, stop: () => { stopped = true; page.off('response', onResponse); } };
}

function sum(files: Fetched[]) {
  return files.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
}

function list(files: Fetched[]): string {
  return files.map((f) => `${f.name.replace(/-[0-9a-f]{16}/, '')} ${kb(f.gzip).toFixed(1)}`).join(', ');
}

test('first screen download and opening a prefetched job', async ({ browser }) => {
  const base = env('APC_BENCH_CONSOLE_URL');
  const context = await browser.newContext({ storageState: await signedIn(base) });
  const page = await context.newPage();
  const fetched = record(page, base);
  const requests = watchRequests(page);
  await page.addInitScript((rows: number) => {
    const w = window as unknown as { __apcRendered?: number };
    const observer = new MutationObserver(() => {
      if (w.__apcRendered === undefined && document.querySelectorAll('table tbody tr').length >= rows) {
        w.__apcRendered = performance.timeOrigin + performance.now();
        observer.disconnect();
      }
    });
    observer.observe(document, { childList: true, subtree: true });
  }, ROWS);
  await page.goto(base + '/');
  await page.waitForFunction(() => (window as unknown as { __apcRendered?: number }).__apcRendered !== undefined, null, { timeout: 30_000 });
  const shown = await page.evaluate(() => (window as unknown as { __apcRendered: number }).__apcRendered);
  // The prefetch starts once the history has rendered (every chunk's fetch at once): it is
  // over when every request of the page has finished and nothing new starts.
  await requests.settled();
  // A preloaded file may be reported twice (the preload and its use): counted once.
  fetched.stop();
  const bodies = (await Promise.all(fetched.files)).filter((f): f is Fetched => f !== null);
  const files = [...new Map(bodies.map((f) => [f.name, f])).values()];
  const before = files.filter((f) => f.started <= shown);
  const after = files.filter((f) => f.started > shown);
  const first = sum(before);
  const rest = sum(after);

  // Opening a job: the click and the job view's heading, both timed in the page.
  const opens: number[] = [];
  for (let i = 0; i < OPENS; i++) {
    await page.locator('tbody tr a[href*="/jobs/"]').first().waitFor();
    const ms = await page.evaluate(() => new Promise<number>((done, fail) => {
      const link = document.querySelector<HTMLAnchorElement>('tbody tr a[href*="/jobs/"]');
      if (!link) return fail(new Error('no job link in the history'));
      const seen = () => [...document.querySelectorAll('h1')].some((h) => h.textContent?.includes('Processing job'));
      const start = performance.now();
      const observer = new MutationObserver(() => {
        if (seen()) { observer.disconnect(); done(performance.now() - start); }
      });
      observer.observe(document, { childList: true, subtree: true, characterData: true });
      link.click();
      setTimeout(() => { observer.disconnect(); fail(new Error('the job view did not show within 10 s')); }, 10_000);
    }));
    opens.push(ms);
    await page.goBack();
  }
  await context.close();
  const open = median(opens);

  const detail = (f: Fetched[]) => `raw / gzip -9 / brotli 11 over ${f.length} files; gzip KB: ${list(f)}`;
  const figures: Figure[] = [
    ...(['raw', 'gzip', 'brotli'] as const).map((k): Figure => ({
      name: `first screen: fetched before the history table shows, ${k === 'gzip' ? 'gzip -9' : k === 'brotli' ? 'brotli 11' : k}`,
      value: kb(first[k]),
      unit: 'KB',
      goal: k === 'gzip' ? `≤ ${FIRST_SCREEN_GOAL_KB}` : null,
      meetsGoal: k === 'gzip' ? kb(first[k]) <= FIRST_SCREEN_GOAL_KB : null,
      detail: detail(before),
    })),
    {
      name: 'chunks fetched after the history table shows (prefetch), gzip -9',
      value: kb(rest.gzip),
      unit: 'KB',
      goal: null,
      meetsGoal: null,
      detail: `raw ${kb(rest.raw).toFixed(1)} KB, brotli ${kb(rest.brotli).toFixed(1)} KB over ${after.length} files; gzip KB: ${list(after)}`,
    },
    {
      name: 'opening a job from the history once prefetched: click to job view, median',
      value: open,
      unit: 'ms',
      goal: `≤ ${OPEN_JOB_GOAL_MS}`,
      meetsGoal: open <= OPEN_JOB_GOAL_MS,
      detail: `${OPENS} opens in one page, ms: ${opens.map((t) => t.toFixed(0)).join(', ')}`,
    },
  ];
  writeFigures('firstscreen', figures);
});
