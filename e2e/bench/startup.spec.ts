// Start-up: time from navigation to the history table showing the runs the window holds, for
// the console and for a minimal Leptos page (bench/minimal-leptos: router, gloo-net,
// serde_json, the same history request, a plain table) in the same browser, runs alternating;
// the ratio of the medians is the figure (the machine's noise hits both sides alike).
//
// Each run is a first visit: a fresh browser context (empty cache) with the demo user's
// login-token cookie. The history holds 100 runs. The moments are taken inside the page, by a
// MutationObserver installed before any script of the page runs, as performance.now()
// (milliseconds since navigation start) each time the count of `table tbody tr` changes. "The
// runs shown" is the first moment the table held as many rows as the window shows once the
// page has settled (the rows whose top is inside the window, counted after the visit, so the
// count forces no layout while the page starts): the minimal page draws its 100 rows at once,
// the console the window's first and the rest after them, a part a frame (src/first_screen.rs).
// The moment the table first holds all 100 is reported alongside. Each side's start-up is also
// split at the history's answer (the browser's resource timing): before it (the page, the
// wasm, its start and the request) and after it (rendering the rows), medians, so a change
// shows where it hit.
import { test } from '@playwright/test';
import { env, median, signedIn, writeFigures, type Figure } from './figures';

const RUNS = Number(process.env.APC_BENCH_STARTUP_RUNS ?? 20);
const ROWS = 100;
const GOAL = 1.3;

test('start-up to the history table with 100 runs: console vs minimal Leptos', async ({ browser }) => {
  const sides = [
    { key: 'console', url: env('APC_BENCH_CONSOLE_URL') },
    { key: 'minimal', url: env('APC_BENCH_MINIMAL_URL') },
  ];
  const states = await Promise.all(sides.map((s) => signedIn(s.url)));
  const times: Record<string, number[]> = { console: [], minimal: [] };
  const all: Record<string, number[]> = { console: [], minimal: [] };
  const windowRows: Record<string, number[]> = { console: [], minimal: [] };
  const answered: Record<string, number[]> = { console: [], minimal: [] };
  // The console's: when its app had mounted, and its tasks of 50 ms or more, per visit.
  const usable: number[] = [];
  const long: number[][] = [];
  const longAt: string[] = [];

  const once = async (
    i: number,
  ): Promise<{ shown: number; all: number; window: number; answered: number; usable: number; long: number[]; longAt: string[] }> => {
    const context = await browser.newContext({ storageState: states[i] });
    try {
      const page = await context.newPage();
      await page.addInitScript((rows: number) => {
        const w = window as unknown as {
          __apcRendered?: number;
          __apcUsable?: number;
          __apcLong: number[];
          __apcLongAt: number[];
          __apcCounts: [number, number][];
        };
        // Main-thread tasks of 50 ms or more (the browser reports no shorter ones).
        w.__apcLong = [];
        w.__apcLongAt = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) {
            w.__apcLong.push(e.duration);
            w.__apcLongAt.push(e.startTime);
          }
        }).observe({ type: 'longtask', buffered: true });
        // The table's rows as they came: [count, moment] at each change, until all were in.
        w.__apcCounts = [];
        const observer = new MutationObserver(() => {
          const count = document.querySelectorAll('table tbody tr').length;
          if (w.__apcRendered === undefined) {
            const last = w.__apcCounts[w.__apcCounts.length - 1];
            if (count > 0 && (!last || last[0] !== count)) w.__apcCounts.push([count, performance.now()]);
            if (count >= rows) w.__apcRendered = performance.now();
          }
          // The console's app has mounted: its own heading (the runs drawn before it have none).
          if (w.__apcUsable === undefined && document.getElementById('apc-history-title')) {
            w.__apcUsable = performance.now();
          }
          if (w.__apcRendered !== undefined && w.__apcUsable !== undefined) observer.disconnect();
        });
        observer.observe(document, { childList: true, subtree: true });
      }, ROWS);
      await page.goto(sides[i].url + '/', { waitUntil: 'commit' });
      await page
        .waitForFunction(() => (window as unknown as { __apcRendered?: number }).__apcRendered !== undefined, null, {
          timeout: 30_000,
        })
        .catch(async () => {
          const rows = await page.locator('table tbody tr').count();
          throw new Error(`${sides[i].key}: the history table did not show ${ROWS} runs within 30 s (it shows ${rows})`);
        });
      // The console: until its app has mounted and every chunk is prefetched (the network idle).
      if (sides[i].key === 'console') {
        await page.waitForFunction(() => (window as unknown as { __apcUsable?: number }).__apcUsable !== undefined, null, { timeout: 30_000 });
        await page.waitForLoadState('networkidle');
      }
      const run = await page.evaluate(() => {
        const history = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.name.includes('/history?'))
          .map((e) => e.responseEnd);
        const w = window as unknown as {
          __apcRendered: number;
          __apcUsable?: number;
          __apcLong: number[];
          __apcLongAt: number[];
          __apcCounts: [number, number][];
        };
        // The rows the window shows, now that the page has settled.
        const window_ = Array.from(document.querySelectorAll('table tbody tr')).filter(
          (r) => r.getBoundingClientRect().top < window.innerHeight,
        ).length;
        const first = w.__apcCounts.find(([count]) => count >= Math.max(1, window_));
        return {
          shown: first ? first[1] : NaN,
          all: w.__apcRendered,
          window: window_,
          answered: Math.min(...history),
          usable: w.__apcUsable ?? NaN,
          long: w.__apcLong,
          // When each began, against the moments above.
          longAt: w.__apcLong.map(
            (d, n) => `${d.toFixed(0)} ms from ${w.__apcLongAt[n].toFixed(0)} (rows ${w.__apcCounts.map(([c, t]) => `${c}@${t.toFixed(0)}`).join(' ')}; usable ${(w.__apcUsable ?? NaN).toFixed(0)})`,
          ),
        };
      });
      if (!Number.isFinite(run.answered)) throw new Error(`${sides[i].key}: the page made no history request the browser timed`);
      if (!Number.isFinite(run.shown)) throw new Error(`${sides[i].key}: the table never held the ${run.window} rows the window shows`);
      return run;
    } finally {
      await context.close();
    }
  };

  // One warm-up run each (server caches, the browser's own start-up), then alternating.
  await once(0);
  await once(1);
  for (let r = 0; r < RUNS; r++) {
    const order = r % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const run = await once(i);
      times[sides[i].key].push(run.shown);
      all[sides[i].key].push(run.all);
      windowRows[sides[i].key].push(run.window);
      answered[sides[i].key].push(run.answered);
      if (i === 0) {
        usable.push(run.usable);
        long.push(run.long);
        longAt.push(...run.longAt);
      }
    }
  }

  const c = median(times.console);
  const m = median(times.minimal);
  const ratio = c / m;
  const allRatio = median(all.console) / median(all.minimal);
  const runs = (k: string) => times[k].map((t) => t.toFixed(0)).join(', ');
  const split = (k: string) => {
    const before = median(answered[k]);
    const after = median(times[k].map((t, n) => t - answered[k][n]));
    return `; until the history's answer ${before.toFixed(0)} ms, rows rendered ${after.toFixed(0)} ms after it; the window shows ${median(windowRows[k]).toFixed(0)} rows; all ${ROWS} in the table at ${median(all[k]).toFixed(0)} ms (medians)`;
  };
  const side = (k: string, words: string): Figure => ({
    name: `start-up to the runs the window shows (of ${ROWS}), ${words}, median`,
    value: median(times[k]),
    unit: 'ms',
    goal: null,
    meetsGoal: null,
    detail: `${RUNS} first visits (fresh context, 1280×720), ms: ${runs(k)}${split(k)}`,
  });
  const figures: Figure[] = [
    side('console', 'console'),
    side('minimal', 'minimal Leptos'),
    {
      name: 'start-up ratio, console / minimal Leptos',
      value: ratio,
      unit: '×',
      goal: `≤ ${GOAL}`,
      meetsGoal: ratio <= GOAL,
      detail: 'medians of the runs above, alternating, same browser and machine',
    },
    {
      name: `start-up to all ${ROWS} runs in the table, ratio console / minimal Leptos`,
      value: allRatio,
      unit: '×',
      goal: null,
      meetsGoal: null,
      detail: `medians ${median(all.console).toFixed(0)} against ${median(all.minimal).toFixed(0)} ms, the same visits (the console draws the runs below the window after the others, a part of at most 25 a frame)`,
    },
  ];
  const most = Math.max(...long.map((l) => l.length));
  const longest = Math.max(0, ...long.flat());
  figures.push(
    {
      name: 'start-up to the console usable (its app mounted over the runs), median',
      value: median(usable),
      unit: 'ms',
      goal: null,
      meetsGoal: null,
      detail: `the same ${RUNS} visits, ms: ${usable.map((t) => t.toFixed(0)).join(', ')}`,
    },
    {
      name: 'start-up: main-thread tasks of 50 ms or more until every chunk is in, most in one visit',
      value: most,
      unit: 'tasks',
      goal: '0',
      meetsGoal: most === 0,
      detail: `the same ${RUNS} visits, unthrottled; the longest ${longest.toFixed(0)} ms (0: none reported); per visit: ${long.map((l) => l.length).join(', ')}${longAt.length ? `; each: ${longAt.join('; ')}` : ''}`,
    },
  );
  writeFigures('startup', figures);
});
