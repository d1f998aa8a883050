// Polling cost, counted from the browser's own network events (every fetch/XHR the page
// starts): a job view (/jobs/<id>) and the history (/) open side by side in two tabs while a
// paced job runs, then while both tabs are hidden, then after the job has ended.
//
// Windows of APC_BENCH_POLL_WINDOW_MS (default 12 s) are scaled to requests per minute.
// "After the end" counts every request a page starts once it has itself received the final
// state (the job's final status; a history with no active run), over one window: the goal
// allows that one last refresh and nothing more.
//
// Hiding a tab: headless Chromium keeps every page visible (a second tab brought to the front,
// a minimised window and the focus emulation all leave `document.visibilityState` at
// "visible"), so the spec does what the browser does when a tab goes to the background, as
// the page sees it: `document.visibilityState` reads "hidden" (and `document.hidden` true),
// and a `visibilitychange` event is dispatched on the document. The console's own listener
// and polling code then run unchanged.
import { test, type Page, type Request } from '@playwright/test';
import { postJob } from '../tests/helpers';
import { API, apiClient, env, signedIn, writeFigures, type Figure } from './figures';

const WINDOW_MS = Number(process.env.APC_BENCH_POLL_WINDOW_MS ?? 12_000);
const PER_MINUTE = 60_000 / WINDOW_MS;
const ACTIVE = ['RUNNING', 'WAITING'];

/** Counts a page's requests (fetch and XHR), the most in flight at once, and when the page
 * received a final state. */
class Meter {
  starts: number[] = [];
  paths: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  finalAt: number | null = null;
  /** Resolves when the page has received the final state. */
  final: Promise<void>;
  private reachedFinal: () => void = () => {};

  constructor(page: Page, isFinal: (url: string, body: unknown) => boolean) {
    this.final = new Promise((r) => { this.reachedFinal = r; });
    const counted = (r: Request) => r.resourceType() === 'fetch' || r.resourceType() === 'xhr';
    page.on('request', (r) => {
      if (!counted(r)) return;
      this.starts.push(Date.now());
      const url = new URL(r.url());
      this.paths.push(url.pathname.split('/').pop() + url.search.replace(/processingId=[^&]*/, 'processingId=…'));
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    });
    const done = (r: Request) => {
      if (counted(r)) this.inFlight--;
    };
    page.on('requestfinished', done);
    page.on('requestfailed', done);
    page.on('response', async (response) => {
      if (this.finalAt !== null || !counted(response.request()) || response.status() !== 200) return;
      const at = Date.now();
      const body = await response.json().catch(() => null);
      if (body !== null && isFinal(response.url(), body) && this.finalAt === null) {
        this.finalAt = at;
        this.reachedFinal();
      }
    });
  }

  /** Requests started in [from, to). */
  between(from: number, to: number): number {
    return this.starts.filter((t) => t >= from && t < to).length;
  }

  /** What the requests started in [from, to) asked for. */
  pathsBetween(from: number, to: number): string[] {
    return this.paths.filter((_, i) => this.starts[i] >= from && this.starts[i] < to);
  }

  /** Starts a window: the most in flight is counted from here. */
  resetMax(): void {
    this.maxInFlight = this.inFlight;
  }
}

async function setHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/** A window the figures are counted over (requests per minute need a length of time): the
 * one place this spec lets the clock run, and never to wait for something to happen. */
const countingWindow = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('polling: job view and history while a job runs, hidden, after it ended', async ({ browser }) => {
  const base = env('APC_BENCH_LIVE_URL');
  const folder = env('APC_BENCH_LIVE_FOLDER');
  const api = await apiClient(base);
  const started = await postJob(api, folder);
  if (started.status() !== 200) throw new Error(`could not start a job on ${folder}: ${started.status()} ${await started.text()}`);
  const id = (await started.json()).processingId as string;
  const status = async () => (await (await api.get(`${API}/status?processingId=${id}`)).json()).status as string;

  const context = await browser.newContext({ storageState: await signedIn(base), baseURL: base });
  const jobPage = await context.newPage();
  const historyPage = await context.newPage();
  const views = [
    {
      name: 'job view',
      page: jobPage,
      meter: new Meter(jobPage, (url, b) => url.includes('/status?') && !ACTIVE.includes((b as { status: string }).status)),
    },
    {
      name: 'history',
      page: historyPage,
      meter: new Meter(
        historyPage,
        (url, b) =>
          url.includes('/history') &&
          !((b as { executionHistory?: { status: string }[] }).executionHistory ?? []).some((j) => ACTIVE.includes(j.status)),
      ),
    },
  ];
  await jobPage.goto(`/jobs/${id}`);
  await historyPage.goto('/');
  // Both views show the running job, and each has answered one more of its polls (what they
  // ask once when they open is behind them), before counting starts.
  await historyPage.locator(`[data-processing-id="${id}"]`).waitFor({ timeout: 30_000 });
  // The job view has its job (its status drawn; the facts with the id may be folded).
  await jobPage.locator('.apc-job__heading .apc-status').waitFor({ timeout: 30_000 });
  await Promise.all([
    jobPage.waitForResponse((r) => r.url().includes(`${API}/status?`), { timeout: 30_000 }),
    historyPage.waitForResponse((r) => r.url().includes(`${API}/history`), { timeout: 30_000 }),
  ]);

  // 1. Running, visible.
  views.forEach((v) => v.meter.resetMax());
  const running0 = Date.now();
  await countingWindow(WINDOW_MS);
  const running1 = Date.now();

  // 2. Hidden.
  for (const v of views) await setHidden(v.page, true);
  const hidden0 = Date.now();
  await countingWindow(WINDOW_MS);
  const hidden1 = Date.now();
  const stillRunning = ACTIVE.includes(await status());
  if (!stillRunning) throw new Error('the job ended before the hidden window was over: give it more assets or a longer pace');
  for (const v of views) await setHidden(v.page, false);

  // 3. After the end: each page counts from the moment it received the final state itself.
  let giveUp: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, fail) => {
    giveUp = setTimeout(async () => {
      const missing = views.filter((v) => v.meter.finalAt === null).map((v) => v.name);
      fail(new Error(ACTIVE.includes(await status())
        ? 'the job did not end within 3 minutes'
        : `the ${missing.join(' and ')} never received the job's final state`));
    }, 180_000);
  });
  await Promise.race([Promise.all(views.map((v) => v.meter.final)), deadline]);
  clearTimeout(giveUp);
  const last = Math.max(...views.map((v) => v.meter.finalAt as number));
  await countingWindow(Math.max(0, last + WINDOW_MS - Date.now()));

  const figures: Figure[] = [];
  views.forEach((v) => {
    const running = v.meter.between(running0, running1);
    const hidden = v.meter.between(hidden0, hidden1);
    const finalAt = v.meter.finalAt as number;
    const after = v.meter.between(finalAt, finalAt + WINDOW_MS);
    const windowNote = `${(WINDOW_MS / 1000).toFixed(0)} s window`;
    figures.push(
      {
        name: `${v.name}: requests per minute while the job runs`,
        value: running * PER_MINUTE,
        unit: 'req/min',
        goal: null,
        meetsGoal: null,
        detail: `${running} requests in a ${windowNote}, tab visible`,
      },
      {
        name: `${v.name}: most requests in flight at once`,
        value: v.meter.maxInFlight,
        unit: '',
        goal: '≤ 1',
        meetsGoal: v.meter.maxInFlight <= 1,
        detail: 'from the first window to the end of the spec',
      },
      {
        name: `${v.name}: requests per minute while the tab is hidden`,
        value: hidden * PER_MINUTE,
        unit: 'req/min',
        goal: '0',
        meetsGoal: hidden === 0,
        detail:
          `${hidden} requests in a ${windowNote}, job running` +
          (hidden ? `: ${v.meter.pathsBetween(hidden0, hidden1).join(', ')}` : ''),
      },
      {
        name: `${v.name}: requests after the final state reached the page`,
        value: after,
        unit: 'req',
        goal: '≤ 1',
        meetsGoal: after <= 1,
        detail:
          `started within ${windowNote} from the answer that showed the job ended` +
          (after ? `: ${v.meter.pathsBetween(finalAt, finalAt + WINDOW_MS).join(', ')}` : ''),
      },
    );
  });
  await context.close();
  await api.dispose();
  writeFigures('polling', figures);
});
