// Faults, bad input and hostile content, in a real browser against the real server
// (issue 7): nothing is lost and nothing gets in.
import { type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API, apiClient, expect, signIn, test } from './helpers';

const work = path.resolve(process.env.APC_WORK ?? '../target/e2e');
const serverBin = path.resolve(process.env.APC_SERVER_BIN ?? '../target/debug/asset-processing-server');
const dist = path.resolve(process.env.APC_DIST ?? '../dist');

/** A second server of our own, that this test may kill (SIGKILL) and start again. */
class OwnServer {
  child?: ChildProcess;
  constructor(readonly port: number, readonly data: string) {}
  get base() { return `http://127.0.0.1:${this.port}`; }
  async start() {
    this.child = spawn(serverBin, ['serve', '--listen', `127.0.0.1:${this.port}`, '--repository', path.join(work, 'repository'),
      '--data', this.data, '--console', dist, '--pace-ms', '5'], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        const r = await fetch(`${this.base}${API}/history`, { headers: { Authorization: 'Basic YWRtaW46YWRtaW4=' } });
        if (r.ok) return;
      } catch { /* not up yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('own server did not start');
  }
  kill9() { this.child?.kill('SIGKILL'); }
}

async function signInAt(page: Page, base: string, resource: string) {
  await page.goto(`${base}/libs/granite/core/content/login.html?resource=${encodeURIComponent(resource)}`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === resource);
}

test('the server dies while a job is watched: the console retries, recovers by itself, and resume finishes every asset once', async ({ page }) => {
  test.setTimeout(120_000);
  const server = new OwnServer(18090 + Math.floor(Math.random() * 500), path.join(work, `crash-data-${Date.now()}`));
  await server.start();
  try {
    await signInAt(page, server.base, '/new');
    // Started from the console: it now holds a CSRF token that dies with the server.
    await page.getByLabel('Folder or asset').fill('/content/dam/guides');
    await page.getByRole('button', { name: 'Start processing' }).click();
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('RUNNING');
    await expect.poll(async () => Number((await page.getByRole('progressbar').getAttribute('aria-valuenow')) ?? 0)).toBeGreaterThan(0);
    const id = new URL(page.url()).pathname.split('/').pop()!;

    server.kill9();
    await expect(page.getByText(/Connection lost\. Retrying in \d+ s/)).toBeVisible();
    await server.start();
    // No reload: the console finds the server again by itself.
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('FAILED', { timeout: 40_000 });
    await expect(page.getByText(/Connection lost/)).toHaveCount(0);
    await expect(page.locator('.apc-facts')).toContainText('Interrupted');

    const posts: number[] = [];
    page.on('response', (r) => { if (r.request().method() === 'POST' && r.url().includes('/resume')) posts.push(r.status()); });
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('SUCCESS', { timeout: 60_000 });
    // The token held from before the crash was refused once, then renewed by the console.
    expect(posts).toEqual([403, 200]);

    // Every asset exactly once, from the API.
    const auth = { Authorization: 'Basic YWRtaW46YWRtaW4=' };
    const job = await (await fetch(`${server.base}${API}/status?processingId=${id}`, { headers: auth })).json();
    expect(job.triggeredCount).toBe(job.migrationSet.totalFiles);
    const seen = new Map<string, number>();
    for (let offset = 0; ; offset += 1000) {
      const pageOfLog = await (await fetch(`${server.base}${API}/logs?processingId=${id}&offset=${offset}&limit=1000`, { headers: auth })).json();
      for (const line of pageOfLog.lines as string[]) {
        const m = / (?:INFO Processed|ERROR Malformed XML in|ERROR Failed) (\/content\/dam\/[^(:]+?)(?: \(|:)/.exec(line);
        if (m) seen.set(m[1], (seen.get(m[1]) ?? 0) + 1);
      }
      if (!pageOfLog.hasMore) break;
    }
    expect(seen.size).toBe(job.migrationSet.totalFiles);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  } finally {
    server.kill9();
  }
});

test('an expired session: the form keeps what was typed, and after signing in it can be sent', async ({ page, context }) => {
  await signIn(page, '/new');
  await page.getByLabel('Folder or asset').fill('/content/dam/shared');
  await page.getByLabel('DITA topics').check();
  await context.clearCookies();
  await page.getByRole('button', { name: 'Start processing' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'Your session has ended' });
  await alert.getByRole('link', { name: 'Sign in' }).click();
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('admin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByLabel('Folder or asset')).toHaveValue('/content/dam/shared');
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('SUCCESS', { timeout: 30_000 });
  await expect(page.locator('.apc-facts')).toContainText('DITA topics');
});

test('double-click and Enter-spam on Start make exactly one job', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const before = (await (await api.get(`${API}/history?limit=100`)).json()).executionHistory.length;
  let posts = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && new URL(r.url()).pathname === API) posts++; });
  await signIn(page, '/new');

  // A double-click on the button.
  await page.getByLabel('Folder or asset').fill('/content/dam/archive');
  await page.getByRole('button', { name: 'Start processing' }).dblclick();
  await expect(page.locator('.apc-job__heading')).toBeVisible();
  await page.waitForTimeout(500);
  expect(posts).toBe(1);

  // Enter pressed again and again in a field.
  await page.goto('/new');
  await page.getByLabel('Folder or asset').fill('/content/dam/archive');
  await page.getByLabel('Created after').focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Enter');
  await expect(page.locator('.apc-job__heading')).toBeVisible();
  await page.waitForTimeout(500);
  expect(posts).toBe(2);

  const after = (await (await api.get(`${API}/history?limit=100`)).json()).executionHistory.length;
  expect(after).toBe(before + 2);
});

test('hostile names, paths and log lines are shown as text and never run', async ({ page, baseURL }) => {
  const names = [
    '<img src=x onerror=alert(1)>.dita',
    '"><svg onload=alert(2)>.xml',
    '\u001b[31mred\u001b[0m.dita',
    '\u202Eatad.txt',
    'L' + 'o'.repeat(180) + 'ng.dita',
  ];
  const folder = path.join(work, 'repository', 'hostile <script>alert(3)<');
  fs.mkdirSync(folder, { recursive: true });
  for (const n of names) fs.writeFileSync(path.join(folder, n), '<topic id="x"><title>"><script>alert(4)</script></title><p>never closed</topic>');
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => errors.push(e.message));

  const api = await apiClient(baseURL!);
  const token = (await (await api.get('/libs/granite/csrf/token.json')).json()).token;
  const folderPath = '/content/dam/hostile <script>alert(3)<';
  const started = await api.post(API, { headers: { 'CSRF-Token': token }, data: { path: folderPath, type: 'ASSET_PROCESSING' } });
  expect(started.status()).toBe(200);
  const id = (await started.json()).processingId;
  await expect.poll(async () => (await (await api.get(`${API}/status?processingId=${id}`)).json()).status).toBe('SUCCESS');

  await signIn(page, `/jobs/${id}`);
  await expect(page.locator('.apc-facts')).toContainText(folderPath);
  await expect(page.locator('.apc-logv__rows')).toContainText('<img src=x onerror=alert(1)>.dita');
  await expect(page.locator('.apc-logv__rows')).toContainText('"><svg onload=alert(2)>.xml');
  await page.goto('/');
  await expect(page.locator('tbody')).toContainText(folderPath);
  await page.goto('/new');
  await page.getByLabel('Folder or asset').fill('/content/dam');
  await page.getByRole('button', { name: 'Browse…' }).click();
  await expect(page.getByRole('button', { name: /hostile <script>/ })).toBeVisible();
  await page.getByRole('button', { name: /hostile <script>/ }).click();
  expect(await page.locator('.apc-root img, .apc-root svg[onload], .apc-root script').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
});
