// Shared steps of the end-to-end tests: signing in as a person does, driving the API the
// way a script does (HTTP Basic and a CSRF token), and the `test` every spec uses, which fails
// a test whose pages broke the server's Content-Security-Policy.
import { test as base, expect, request, type APIRequestContext, type Page } from '@playwright/test';

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

/** An API client signed in with HTTP Basic, as scripts use the API. */
export async function apiClient(baseURL: string): Promise<APIRequestContext> {
  return request.newContext({
    baseURL,
    extraHTTPHeaders: { Authorization: 'Basic ' + Buffer.from('admin:admin').toString('base64') },
  });
}

/** Starts a job through the API and waits for it to finish; returns its id. */
export async function runJob(api: APIRequestContext, path: string): Promise<string> {
  const token = (await (await api.get('/libs/granite/csrf/token.json')).json()).token as string;
  const started = await api.post(API, {
    headers: { 'CSRF-Token': token },
    data: { path, type: 'ASSET_PROCESSING' },
  });
  expect(started.status()).toBe(200);
  const id = (await started.json()).processingId as string;
  await expect
    .poll(async () => (await (await api.get(`${API}/status?processingId=${id}`)).json()).status, { timeout: 60_000 })
    .toBe('SUCCESS');
  return id;
}
