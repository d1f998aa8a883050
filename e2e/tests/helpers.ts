// Shared steps of the end-to-end tests: signing in as a person does, driving the API the
// way a script does (HTTP Basic and a CSRF token), waiting for what a page does (its requests
// settled, a frame drawn, a request held until the test lets it go), axe's verdict, and the
// `test` every spec uses, which fails a test whose pages broke the server's
// Content-Security-Policy.
import { test as base, expect, request, type APIRequestContext, type APIResponse, type Page, type Request, type Route } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { spawn, type ChildProcess } from 'node:child_process';
import * as nodePath from 'node:path';

export { expect };

/** What Chromium says on its console when the policy blocks something. */
const CSP_CONSOLE = /Content Security Policy|Refused to (load|execute|apply|compile|connect|frame|evaluate)/;

/**
 * Every spec imports `test` from here (`csp.spec.ts` checks that they do). Each page of the
 * test's browser context reports `securitypolicyviolation` events (a listener added before
 * any script of the page runs) and console messages about the policy; after the test, any
 * one of them fails it, with what was blocked and where.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context }, use) => {
      const violations: string[] = [];
      await context.exposeBinding('__apcCspViolation', (_source, text: string) => {
        violations.push(text);
      });
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (e) => {
          const report = (window as unknown as { __apcCspViolation?: (t: string) => void }).__apcCspViolation;
          report?.(
            `${e.effectiveDirective} blocked ${e.blockedURI || 'inline code'} ` +
              `(${e.sourceFile || location.pathname}:${e.lineNumber}) on ${location.pathname}`,
          );
        });
      });
      const onConsole = (message: { text(): string }) => {
        if (CSP_CONSOLE.test(message.text())) violations.push(`console: ${message.text()}`);
      };
      context.on('console', onConsole);
      await use(violations);
      // Reports queued by the pages' last moments arrive before the verdict.
      for (const page of context.pages()) {
        await page.evaluate(() => new Promise((r) => setTimeout(r, 0))).catch(() => {});
      }
      context.off('console', onConsole);
      expect(violations, 'the pages broke the Content-Security-Policy').toEqual([]);
    },
    { auto: true },
  ],
});

export const API = '/bin/guides/v1/assets/process';

/** Fills in and sends the login page the browser is on, as the demo user. */
export async function submitSignIn(page: Page): Promise<void> {
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs in on AEM's login page, which brings the browser back to `resource`. */
export async function signIn(page: Page, resource = '/'): Promise<void> {
  await page.goto(`/libs/granite/core/content/login.html?resource=${encodeURIComponent(resource)}`);
  await submitSignIn(page);
  await page.waitForURL((url) => url.pathname === resource.split('?')[0]);
}

/** Signs in on the login page of a server of a test's own (`base`), which brings the
 * browser back to `resource` there. */
export async function signInAt(page: Page, base: string, resource: string): Promise<void> {
  await page.goto(`${base}/libs/granite/core/content/login.html?resource=${encodeURIComponent(resource)}`);
  await submitSignIn(page);
  await page.waitForURL((u) => u.pathname === resource);
}

/** HTTP Basic credentials, as a header value. */
export function basic(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}

/** An API client signed in with HTTP Basic, as scripts use the API. */
export async function apiClient(baseURL: string, user = 'admin', password = 'admin'): Promise<APIRequestContext> {
  return request.newContext({ baseURL, extraHTTPHeaders: { Authorization: basic(user, password) } });
}

/** A CSRF token for the API's POSTs, as Granite hands it out. */
export async function csrfToken(api: APIRequestContext): Promise<string> {
  return (await (await api.get('/libs/granite/csrf/token.json')).json()).token as string;
}

/** Asks the API to start a job on `path` (`more`: other fields of the request, such as
 * `excludedPaths` or `filter`); the answer as it came. */
export async function postJob(api: APIRequestContext, path: string, more: Record<string, unknown> = {}): Promise<APIResponse> {
  const token = await csrfToken(api);
  return api.post(API, { headers: { 'CSRF-Token': token }, data: { path, type: 'ASSET_PROCESSING', ...more } });
}

/** Starts a job on `path` through the API and returns its id at once (it runs on). */
export async function startJob(api: APIRequestContext, path: string, more: Record<string, unknown> = {}): Promise<string> {
  return (await (await postJob(api, path, more)).json()).processingId as string;
}

/** Cancels a job through the API with the id in a JSON body: both readings of the published
 * pages take it there (the strict one only there). */
export async function cancelJob(api: APIRequestContext, id: string): Promise<number> {
  const token = await csrfToken(api);
  return (await api.post(`${API}/cancel`, { headers: { 'CSRF-Token': token }, data: { processingId: id } })).status();
}

/** The `serve` arguments of the server the test's project runs against (the strict
 * published-docs variant, or the reference server), for a server of the test's own. */
export function projectArgs(projectName: string): string[] {
  return projectName === 'published-docs' ? ['--variant', 'published-docs'] : [];
}

/** Starts a job through the API (optionally excluding folders) and waits for it to finish;
 * returns its id. */
export async function runJob(api: APIRequestContext, path: string, excludedPaths: string[] = []): Promise<string> {
  const started = await postJob(api, path, { excludedPaths });
  expect(started.status()).toBe(200);
  const id = (await started.json()).processingId as string;
  await expect
    .poll(async () => (await (await api.get(`${API}/status?processingId=${id}`)).json()).status, { timeout: 60_000 })
    .toBe('SUCCESS');
  return id;
}

/** Lines `offset..offset + limit` of a job's log as the API has them, read a page (the API's
 * most, 1,000 lines) at a time, so a range of any length. */
export async function apiLines(baseURL: string, id: string, offset: number, limit: number): Promise<string[]> {
  const api = await apiClient(baseURL);
  const lines: string[] = [];
  for (let at = offset; at < offset + limit; at += 1000) {
    const page = await (await api.get(`${API}/logs?processingId=${id}&offset=${at}&limit=${Math.min(1000, offset + limit - at)}`)).json();
    lines.push(...(page.lines as string[]));
  }
  await api.dispose();
  return lines;
}

/** axe-core finds no violation in the page as it is now (each one listed by rule and where). */
export async function expectNoViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

/** Waits until the page has handled what has arrived and drawn a frame: an animation frame,
 * then a task after it (the console's effects run in microtasks, before the frame). */
export async function drawn(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

/** The per-asset status look-up: a POST that names it (`jobId`), then GETs until one says
 * SUCCESS or FAILED, with a pause between them (nothing in flight meanwhile). */
const LOOK_UP = '/bin/guides/v1/assets/status';

/**
 * Watches every request a page makes from now on (the API's, the console's chunks', across
 * navigations). `settled()` resolves once the page asks for nothing more by itself: no request
 * in flight, no per-asset status look-up open (from its POST's answer until a GET says it is
 * over), and two frames drawn since the last answer with no new request started. Whatever the
 * page does with its answers it has done by then: what a test sees afterwards stays.
 */
export function watchRequests(page: Page): { settled(): Promise<void> } {
  const inFlight = new Set<Request>();
  const lookUps = new Set<string>();
  let started = 0;
  let wake: () => void = () => {};
  // Which document asked (a new one each navigation): a look-up the page before opened, whose
  // answer is read after the next document has loaded, is not this one's to wait for.
  let documents = 0;
  const askedBy = new WeakMap<Request, number>();
  page.on('request', (r) => { inFlight.add(r); askedBy.set(r, documents); started++; });
  const done = (r: Request) => { inFlight.delete(r); wake(); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  // The look-ups a GET said were over. A look-up's first GET can be answered (below) before its
  // POST's answer has been read here: it is then not opened again, which would wait forever.
  const over = new Set<string>();
  const finished = (status: unknown, url: string) => {
    if (status !== 'SUCCESS' && status !== 'FAILED') return;
    const id = new URL(url).searchParams.get('jobId')!;
    over.add(id);
    lookUps.delete(id);
  };
  // POST answers being read: until one is, the look-up it opens is not known yet.
  let reading = 0;
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (url.pathname !== LOOK_UP || !response.ok()) return;
    reading++;
    const body = await response.json().catch(() => null);
    reading--;
    const method = response.request().method();
    if (askedBy.get(response.request()) === documents) {
      if (method === 'POST' && body?.jobId && !over.has(body.jobId)) lookUps.add(body.jobId);
      if (method === 'GET') finished(body?.status, response.url());
    }
    wake();
  });
  // The page reads a look-up's answer as it arrives (a stream), which leaves the body out of
  // the browser's reach for `response.json()` above: each GET's answer is fetched here, read
  // for its status, and handed to the page as it came.
  void page.route(`**${LOOK_UP}?*`, async (route) => {
    if (route.request().method() !== 'GET') return route.fallback();
    const response = await route.fetch().catch(() => null);
    if (!response) return route.abort().catch(() => {});
    const body = await response.text();
    try {
      finished(JSON.parse(body)?.status, route.request().url());
    } catch { /* not JSON: the page says so itself */ }
    await route.fulfill({ response, body }).catch(() => {});
    wake();
  });
  // A new document: the look-ups of the one before went with it.
  page.on('domcontentloaded', () => { documents++; lookUps.clear(); });
  return {
    async settled() {
      for (;;) {
        const busy = () => inFlight.size > 0 || lookUps.size > 0 || reading > 0;
        while (busy()) await new Promise<void>((r) => { wake = r; });
        const before = started;
        await drawn(page);
        await drawn(page);
        if (!busy() && started === before) return;
      }
    },
  };
}

/**
 * Holds every request matching `pattern` from now on until `release()`: the page has asked,
 * and what the answer would change has not happened yet. `waitForOne()` resolves once a
 * request is held; `asked` says whether one was.
 */
export async function hold(page: Page, pattern: string | RegExp) {
  let arrived: () => void = () => {};
  const first = new Promise<void>((r) => { arrived = r; });
  let letGo: () => void = () => {};
  const released = new Promise<void>((r) => { letGo = r; });
  let asked = false;
  const handler = async (route: Route) => {
    asked = true;
    arrived();
    await released;
    // A page that has gone meanwhile no longer wants it.
    await route.continue().catch(() => {});
  };
  await page.route(pattern, handler);
  return {
    get asked() { return asked; },
    waitForOne(): Promise<void> { return first; },
    /** Lets every held request through, and the later ones go unheld. */
    async release(): Promise<void> {
      letGo();
      await page.unroute(pattern, handler);
    },
  };
}

const work = nodePath.resolve(process.env.APC_WORK ?? '../target/e2e');
const serverBin = nodePath.resolve(process.env.APC_SERVER_BIN ?? '../target/debug/asset-processing-server');
const dist = nodePath.resolve(process.env.APC_DIST ?? '../dist');

/**
 * A server of our own, that a test may kill (SIGKILL) and start again, over its own data and
 * (for a test that writes files) its own repository. Its first start listens on port 0 and the
 * port is the one the server prints once it listens ("Asset processing server on
 * http://ADDR/"), never a guess; a restart takes the same port back, so the page in the
 * browser finds it again.
 */
export class OwnServer {
  child?: ChildProcess;
  port = 0;
  constructor(readonly data: string, readonly repository = nodePath.join(work, 'repository'), readonly extra: string[] = []) {}
  get base() { return `http://127.0.0.1:${this.port}`; }
  async start() {
    // 5 ms per asset unless the test asks for its own pace.
    const pace = this.extra.includes('--pace-ms') ? [] : ['--pace-ms', '5'];
    const child = spawn(serverBin, ['serve', '--listen', `127.0.0.1:${this.port}`, '--repository', this.repository,
      '--data', this.data, '--console', dist, ...pace, ...this.extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    this.port = await new Promise<number>((resolve, reject) => {
      let seen = '';
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        const m = /Asset processing server on http:\/\/127\.0\.0\.1:(\d+)\//.exec(seen);
        if (m) { child.stdout!.off('data', onData); child.stdout!.resume(); resolve(Number(m[1])); }
      };
      child.stdout!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`own server exited (${code}) before it listened:\n${seen}`)));
    });
  }
  kill9() { this.child?.kill('SIGKILL'); }
  /** Kills it and waits until the process is gone (its port is free again). */
  async kill9AndWait() {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  }
}

/** Writes a synthetic log of `lines` lines into the shared server's data (`synthesize-log`)
 * and resolves with its job's id once written. */
export function synthesize(lines: number): Promise<string> {
  const child = spawn(serverBin, ['synthesize-log', '--data', nodePath.join(work, 'data'), '--lines', String(lines)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  return new Promise((resolve, reject) => child.on('exit', (code) =>
    code === 0 ? resolve(out.split('\n')[0].trim()) : reject(new Error(`synthesize-log exited with ${code}`))));
}
