// Faults, bad input and hostile content, in a real browser against the real server
// (issue 7): nothing is lost and nothing gets in.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API, apiClient, expect, OwnServer, postJob, signIn, signInAt, submitSignIn, test } from './helpers';

const work = path.resolve(process.env.APC_WORK ?? '../target/e2e');

test('the server dies while a job is watched: the console retries, recovers by itself, and resume finishes every asset once', async ({ page }) => {
  test.setTimeout(120_000);
  const server = new OwnServer(path.join(work, `crash-data-${Date.now()}`));
  await server.start();
  try {
    await signInAt(page, server.base, '/new');
    // Started from the console: it now holds a CSRF token that dies with the server.
    await page.getByLabel('Folder or asset').fill('/content/dam/guides');
    await page.getByRole('button', { name: 'Start processing' }).click();
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('In progress');
    await expect.poll(async () => Number((await page.getByRole('progressbar').getAttribute('aria-valuenow')) ?? 0)).toBeGreaterThan(0);
    const id = new URL(page.url()).pathname.split('/').pop()!;

    await server.kill9AndWait();
    await expect(page.getByText(/Connection lost\. Retrying in \d+ s/)).toBeVisible();
    // Every POST and token fetch once the server is back.
    const afterRestart: string[] = [];
    page.on('response', (r) => {
      const where = new URL(r.url()).pathname;
      if (r.request().method() === 'POST' || where === '/libs/granite/csrf/token.json') {
        afterRestart.push(`${r.request().method()} ${where} ${r.status()}`);
      }
    });
    await server.start();
    // No reload: the console finds the server again by itself.
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Failed', { timeout: 40_000 });
    await expect(page.getByText(/Connection lost/)).toHaveCount(0);
    await expect(page.locator('.apc-facts')).toContainText('Interrupted');

    await page.getByRole('button', { name: 'Resume' }).click();
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 60_000 });
    // The token held from before the crash died with the server: the first POST after the
    // restart (whichever the console sends first) is refused once, the console fetches a new
    // token and sends it again; nothing is refused after that, and Resume went through.
    const first = /^POST (\S+) 403$/.exec(afterRestart[0] ?? '');
    expect(first, afterRestart.join('\n')).not.toBeNull();
    expect(afterRestart.slice(1, 3)).toEqual(['GET /libs/granite/csrf/token.json 200', `POST ${first![1]} 200`]);
    expect(afterRestart.slice(1).filter((a) => a.endsWith(' 403'))).toEqual([]);
    expect(afterRestart).toContain(`POST ${API}/resume 200`);

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
  await submitSignIn(page);
  await expect(page.getByLabel('Folder or asset')).toHaveValue('/content/dam/shared');
  await page.getByRole('button', { name: 'Start processing' }).click();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 30_000 });
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
  // A second POST is sent, if ever, while the clicks (or keys) are handled on the form, so
  // before the job page exists and asks for its first status (the browser sends requests in
  // the order the page makes them): waiting for that answer is waiting long enough, with no
  // fixed pause. Nothing else asks for a status on /new, so the first one is the new job's.
  const statusOfNewJob = () => page.waitForResponse((r) => r.url().includes(`${API}/status?processingId=`));
  let status = statusOfNewJob();
  await page.getByRole('button', { name: 'Start processing' }).dblclick();
  await status;
  await expect(page.locator('.apc-job__heading')).toBeVisible();
  expect(posts).toBe(1);

  // Enter pressed again and again in a field.
  await page.goto('/new');
  await page.getByLabel('Folder or asset').fill('/content/dam/archive');
  await page.getByLabel('Created after').focus();
  status = statusOfNewJob();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Enter');
  await status;
  await expect(page.locator('.apc-job__heading')).toBeVisible();
  expect(posts).toBe(2);

  const after = (await (await api.get(`${API}/history?limit=100`)).json()).executionHistory.length;
  expect(after).toBe(before + 2);
});

test('hostile names, paths and log lines are shown as text and never run', async ({ page }) => {
  const names = [
    '<img src=x onerror=alert(1)>.dita',
    '"><svg onload=alert(2)>.xml',
    '\u001b[31mred\u001b[0m.dita',
    '\u202Eatad.txt',
    'L' + 'o'.repeat(180) + 'ng.dita',
  ];
  // Its own repository and server: the files it writes are no other test's business.
  const own = path.join(work, `hostile-${Date.now()}`);
  const folder = path.join(own, 'repository', 'hostile <script>alert(3)<');
  fs.mkdirSync(folder, { recursive: true });
  for (const n of names) fs.writeFileSync(path.join(folder, n), '<topic id="x"><title>"><script>alert(4)</script></title><p>never closed</topic>');
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  page.on('pageerror', (e) => errors.push(e.message));

  const server = new OwnServer(path.join(own, 'data'), path.join(own, 'repository'));
  await server.start();
  try {
    const api = await apiClient(server.base);
    const folderPath = '/content/dam/hostile <script>alert(3)<';
    const started = await postJob(api, folderPath);
    expect(started.status()).toBe(200);
    const id = (await started.json()).processingId;
    await expect.poll(async () => (await (await api.get(`${API}/status?processingId=${id}`)).json()).status).toBe('SUCCESS');

    await signInAt(page, server.base, `/jobs/${id}`);
    await expect(page.locator('.apc-facts')).toContainText(folderPath);
    await expect(page.locator('.apc-logv__rows')).toContainText('<img src=x onerror=alert(1)>.dita');
    await expect(page.locator('.apc-logv__rows')).toContainText('"><svg onload=alert(2)>.xml');
    await page.goto(`${server.base}/`);
    await expect(page.locator('tbody')).toContainText(folderPath);
    await page.goto(`${server.base}/new`);
    await page.getByLabel('Folder or asset').fill('/content/dam');
    await page.getByRole('button', { name: 'Browse…' }).click();
    await expect(page.getByRole('button', { name: /hostile <script>/ })).toBeVisible();
    await page.getByRole('button', { name: /hostile <script>/ }).click();
    expect(await page.locator('.apc-root img, .apc-root svg[onload], .apc-root script').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await server.kill9AndWait();
  }
});
