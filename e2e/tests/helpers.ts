// Shared steps of the end-to-end tests: signing in as a person does, driving the API the
// way a script does (HTTP Basic and a CSRF token), and the `test` every spec uses, which fails
// a test whose pages broke the server's Content-Security-Policy.
import { test as base, expect, request, type APIRequestContext, type Page } from '@playwright/test';
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

/** Signs in on AEM's login page, which brings the browser back to `resource`. */
export async function signIn(page: Page, resource = '/'): Promise<void> {
  await page.goto(`/libs/granite/core/content/login.html?resource=${encodeURIComponent(resource)}`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === resource.split('?')[0]);
}

/** Signs in on the login page of a server of a test's own (`base`), which brings the
 * browser back to `resource` there. */
export async function signInAt(page: Page, base: string, resource: string): Promise<void> {
  await page.goto(`${base}/libs/granite/core/content/login.html?resource=${encodeURIComponent(resource)}`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
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

/** Cancels a job through the API with the id in a JSON body: both readings of the published
 * pages take it there (the strict one only there). */
export async function cancelJob(api: APIRequestContext, id: string): Promise<number> {
  const token = (await (await api.get('/libs/granite/csrf/token.json')).json()).token as string;
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
  const token = (await (await api.get('/libs/granite/csrf/token.json')).json()).token as string;
  const started = await api.post(API, {
    headers: { 'CSRF-Token': token },
    data: { path, excludedPaths, type: 'ASSET_PROCESSING' },
  });
  expect(started.status()).toBe(200);
  const id = (await started.json()).processingId as string;
  await expect
    .poll(async () => (await (await api.get(`${API}/status?processingId=${id}`)).json()).status, { timeout: 60_000 })
    .toBe('SUCCESS');
  return id;
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
    const child = spawn(serverBin, ['serve', '--listen', `127.0.0.1:${this.port}`, '--repository', this.repository,
      '--data', this.data, '--console', dist, '--pace-ms', '5', ...this.extra], { stdio: ['ignore', 'pipe', 'inherit'] });
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
