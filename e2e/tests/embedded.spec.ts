// The console inside an AEM-like page (the reference server's imitation of the page the
// content package installs): the clientlib included in <head> as Granite's shell page does,
// routes in the Sling suffix (history, deep link, reload), styles isolated both ways, the
// wasm and its glue under the build's hashed names, served with AEM's default MIME type for
// .wasm, under the Content-Security-Policy docs/aem.md asks a dispatcher to send.
import { type Page } from '@playwright/test';
import { API, apiClient, expect, runJob, signIn, test } from './helpers';

const PAGE = '/apps/asset-processing-console/content/asset-processing.html';
const CLIENTLIB = '/etc.clientlibs/asset-processing-console/clientlibs';
/** The policy docs/aem.md asks a dispatcher to send with the page (the reference server
 * sends it with the AEM-like page). */
const DISPATCHER_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; " +
  "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'self'; frame-ancestors 'self'";

/** Everything that went wrong in the page: errors, failed loads, CSP refusals. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().includes('/login.html')) problems.push(`${r.status()} ${r.url()}`); });
  return problems;
}

test('the clientlib in <head> starts the console in its mount element, with its route base', async ({ page }) => {
  const problems = watchProblems(page);
  const pageResponse = page.waitForResponse((r) => new URL(r.url()).pathname === PAGE);
  await signIn(page, PAGE);
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  const headers = (await pageResponse).headers();
  expect(headers['content-security-policy']).toBe(DISPATCHER_CSP);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBeTruthy();
  // Included before the mount element exists, as Granite includes clientlibs.
  expect(await page.locator(`head script[src="${CLIENTLIB}/console.js"]`).count()).toBe(1);
  expect(await page.locator('body script').count()).toBe(0);
  // Started inside the element (never the body), with the element's data-base.
  await expect(page.locator('#asset-processing-console > .apc-root')).toHaveCount(1);
  await expect(page.locator('body > .apc-root')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Start a job' }).first()).toHaveAttribute('href', `${PAGE}/new`);
  // Nothing failed: no error, no failed load, and the page's Content-Security-Policy
  // refused nothing (Chromium reports each refusal as a console error).
  expect(page.url()).toContain(PAGE);
  expect(problems).toEqual([]);
});

test('started before the page is parsed, the console waits for its element', async ({ page }) => {
  await signIn(page, PAGE);
  // The loader itself waits for the document; here the glue is started straight from <head>
  // instead (as any early loader could), while a host script in the body holds the parser
  // before the mount element until the console's start has returned: the console's own
  // start must wait too.
  const loader = await (await page.request.get(`${CLIENTLIB}/console.js`)).text();
  const glue = /var GLUE = '([^']+)'/.exec(loader)![1];
  const wasm = /var WASM = '([^']+)'/.exec(loader)![1];
  const resources = `${CLIENTLIB}/console/resources/`;
  let started: () => void = () => {};
  const startReturned = new Promise<void>((r) => { started = r; });
  await page.exposeBinding('__apcStartReturned', () => started());
  await page.route('**/early-start.js', (route) => route.fulfill({
    contentType: 'application/javascript',
    // Records the document's state once the wasm's start function has returned, and says so.
    body: `import('${resources}${glue}').then((g) => g.default({ module_or_path: '${resources}${wasm}' }))` +
      `.then(() => { window.__stateAtStart = document.readyState; window.__apcStartReturned(); });`,
  }));
  await page.route('**/slow-host-script.js', async (route) => {
    await startReturned;
    await route.fulfill({ contentType: 'application/javascript', body: '' });
  });
  await page.route((url) => url.pathname === PAGE, async (route) => {
    const response = await route.fetch();
    const original = await response.text();
    const html = original
      .replace(`<script src="${CLIENTLIB}/console.js"></script>`, '<script src="/early-start.js"></script>')
      .replace('<div class="shell-content">', '<script src="/slow-host-script.js"></script>\n<div class="shell-content">');
    expect(html.match(/early-start|slow-host-script/g)).toHaveLength(2);
    await route.fulfill({ response, body: html });
  });
  await page.goto(PAGE);
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  // The race happened: the console's start ran while the document was still being parsed.
  expect(await page.evaluate(() => (window as unknown as { __stateAtStart?: string }).__stateAtStart)).toBe('loading');
  // And the console started in its element, with its route base, not in the body.
  await expect(page.locator('#asset-processing-console > .apc-root')).toHaveCount(1);
  await expect(page.locator('body > .apc-root')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Start a job' }).first()).toHaveAttribute('href', `${PAGE}/new`);
});

test('history under the page path: a run opens its job, back and forward, reload', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await runJob(api, '/content/dam/shared');
  await signIn(page, PAGE);
  const row = page.locator(`tr[data-processing-id="${id}"]`);
  await expect(row).toContainText('Completed');
  await row.getByRole('link', { name: 'View: /content/dam/shared' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`${PAGE}/jobs/${id}`);
  await expect(page.locator('.apc-facts')).toContainText(id);
  await page.goBack();
  await expect.poll(() => new URL(page.url()).pathname).toBe(PAGE);
  await expect(page.locator(`tr[data-processing-id="${id}"]`)).toContainText('Completed');
  await page.goForward();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`${PAGE}/jobs/${id}`);
  await page.reload();
  await expect(page.locator('.apc-facts')).toContainText(id);
  await expect(page.locator('#asset-processing-console > .apc-root')).toHaveCount(1);
});

test('main flows under the page path: start, deep link, reload', async ({ page }) => {
  await signIn(page, PAGE);
  await expect(page.locator('#shell-title')).toHaveText('Adobe Experience Manager');
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  await page.getByRole('link', { name: 'Start a job' }).first().click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`${PAGE}/new`);
  await page.getByLabel('Folder or asset').fill('/content/dam/shared');
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toMatch(new RegExp(`^${PAGE}/jobs/[0-9a-f-]{36}$`));
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 30_000 });
  // A reload (or a shared link) opens the same view.
  const url = page.url();
  await page.reload();
  await expect(page).toHaveURL(url);
  await expect(page.locator('.apc-facts')).toContainText('/content/dam/shared');
  // The console's own links stay under the page; the ZIP link goes to the API.
  await page.getByRole('link', { name: 'Asset processing' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(PAGE);
  const zip = await page.goto(url).then(() => page.getByRole('link', { name: 'Download logs (ZIP)' }).getAttribute('href'));
  expect(zip).toContain(`${API}/logs/download?processingId=`);
});

test('a deep link to a job opens it after signing in', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await runJob(api, '/content/dam/shared');
  await page.goto(`${PAGE}/jobs/${id}`);
  await expect(page).toHaveURL(/login\.html/);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => new URL(page.url()).pathname).toBe(`${PAGE}/jobs/${id}`);
  await expect(page.locator('.apc-facts')).toContainText(id);
});

test('host styles do not change the console and its styles do not change the host', async ({ page }) => {
  await signIn(page, '/new');
  const standalone = await page.getByRole('button', { name: 'Start processing' }).evaluate((b) => {
    const s = getComputedStyle(b);
    return [s.backgroundColor, s.color, s.fontFamily, s.textTransform, s.borderStyle];
  });
  const standaloneInput = await page.getByLabel('Folder or asset').evaluate((i) => getComputedStyle(i).backgroundColor);
  await page.goto(`${PAGE}/new`);
  const embedded = await page.getByRole('button', { name: 'Start processing' }).evaluate((b) => {
    const s = getComputedStyle(b);
    return [s.backgroundColor, s.color, s.fontFamily, s.textTransform, s.borderStyle];
  });
  expect(embedded).toEqual(standalone);
  expect(await page.getByLabel('Folder or asset').evaluate((i) => getComputedStyle(i).backgroundColor)).toBe(standaloneInput);
  // The host's own elements keep the host's styles.
  const hostButton = await page.locator('#shell-button').evaluate((b) => {
    const s = getComputedStyle(b);
    return [s.backgroundColor, s.textTransform, s.fontFamily];
  });
  expect(hostButton[0]).toBe('rgb(255, 105, 180)');
  expect(hostButton[1]).toBe('uppercase');
  expect(hostButton[2]).toContain('Georgia');
  expect(await page.locator('#shell-table').evaluate((t) => getComputedStyle(t).borderTopColor)).toBe('rgb(255, 0, 0)');
  expect(await page.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(232, 232, 232)');
});

test('the wasm is served with the wrong MIME type and the console still starts', async ({ page }) => {
  const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
  const glue = page.waitForResponse((r) => r.url().includes(`${CLIENTLIB}/console/resources/`) && r.url().endsWith('.js'));
  await signIn(page, PAGE);
  const response = await wasm;
  expect(response.url()).toContain(`${CLIENTLIB}/console/resources/`);
  expect(response.headers()['content-type']).toBe('application/octet-stream');
  await expect(page.getByRole('heading', { name: 'Recent runs' })).toBeVisible();
  // Both carry the same build hash: an upgrade cannot pair a cached wasm with new glue.
  const hash = (url: string) => /asset-processing-console-([0-9a-z]{8,})(?:_bg\.wasm|\.js)$/.exec(url)?.[1];
  const wasmHash = hash(response.url());
  expect(wasmHash).toBeTruthy();
  expect(hash((await glue).url())).toBe(wasmHash);
});
