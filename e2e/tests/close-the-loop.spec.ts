// Closing the loop on failures (issue 24): the Problems panel while the run goes on, warnings
// grouped by what would fix them, reprocessing what failed, the printed summary. Each test
// runs its own server over a small repository it writes (its own DITA, written here).
import { type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { API, apiClient, expect, expectNoViolations, OwnServer, runJob, signInAt, startJob, test } from './helpers';

const shots = process.env.APC_SCREENSHOTS ?? '../target/screenshots';

const work = path.resolve(process.env.APC_WORK ?? '../target/e2e');

const topic = (id: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE topic PUBLIC "-//OASIS//DTD DITA Topic//EN" "topic.dtd">\n` +
  `<topic id="${id}"><title>${id}</title><body>${body}</body></topic>\n`;
const GOOD = (id: string) => topic(id, '<p>Fine.</p>');
const BROKEN = '<?xml version="1.0"?>\n<topic id="broken"><title>Broken</title><body><p>never closed</body></topic>\n';

const problems = (page: Page) => page.getByRole('region', { name: 'Problems' });

/** A fresh repository under the e2e work folder, with `files` (relative path → text). */
function repository(name: string, files: Record<string, string>): { root: string; repo: string } {
  const root = fs.mkdtempSync(path.join(work, `${name}-`));
  const repo = path.join(root, 'repository');
  for (const [rel, body] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    fs.writeFileSync(path.join(repo, rel), body);
  }
  return { root, repo };
}

/** A server pacing `pace` ms an asset (150 unless asked) over `/content/dam/<folder>`: a broken
 * topic first in the walk's order, then 60 good ones that keep the run going for about 9 s
 * after it (at 150 ms). */
function pacedServerWithBrokenFirst(folder: string, pace = 150): OwnServer {
  const files: Record<string, string> = { [`${folder}/a-broken.dita`]: BROKEN };
  for (let i = 0; i < 60; i++) files[`${folder}/t${String(i).padStart(2, '0')}.dita`] = GOOD(`t${i}`);
  const { root, repo } = repository(folder, files);
  return new OwnServer(path.join(root, 'data'), repo, ['--pace-ms', String(pace)]);
}

/** The points of the run's curve (its SVG path's commands), and the job's status, read in
 * the same instant. */
const curveNow = (page: Page) => page.evaluate(() => ({
  points: (document.querySelector('.apc-chart__line')?.getAttribute('d') ?? '').split(/[ML]/).filter((p) => p.trim()).length,
  status: document.querySelector('.apc-job__heading .apc-status')?.textContent,
}));

test('a running job names its failed topic above the log "so far", and the panel turns final in place', async ({ page }) => {
  test.setTimeout(120_000);
  // The broken topic is first in the walk's order; 60 topics at 300 ms each keep the run going
  // for about 18 s after it, many polls (1 s apart) long.
  const server = pacedServerWithBrokenFirst('live', 300);
  await server.start();
  try {
    const api = await apiClient(server.base);
    const id = await startJob(api, '/content/dam/live');
    await signInAt(page, server.base, `/jobs/${id}`);
    const panel = problems(page);
    const item = panel.locator('.apc-problems__item').filter({ hasText: '/content/dam/live/a-broken.dita' });
    // Seen while the status still says RUNNING: both read in the same instant.
    await expect.poll(() => page.evaluate(() => {
      const status = document.querySelector('.apc-job__heading .apc-status')?.textContent;
      const counts = document.querySelector('.apc-problems__counts')?.textContent ?? '';
      const named = [...document.querySelectorAll('.apc-problems__item')].some((li) => li.textContent!.includes('/content/dam/live/a-broken.dita'));
      return status === 'In progress' && named && counts.endsWith(' so far');
    }), { timeout: 30_000 }).toBe(true);
    await expect(panel.locator('.apc-problems__counts')).toHaveText(/^1 failed asset · 0 warnings so far$/);
    await expect(item.locator('.apc-problems__reason')).toContainText('Malformed XML in /content/dam/live/a-broken.dita');
    await expect(panel.getByText(/^From the [\d,]+ log lines read while the run goes on\.$/)).toBeVisible();
    // The report is made once the run has ended: not offered yet.
    await expect(panel.getByRole('link', { name: 'Per-asset report' })).toHaveCount(0);
    await expectNoViolations(page);

    // The running job's picture, drawn from the polls, named for screen readers, with its words.
    const chart = page.getByRole('img', { name: 'Assets handled over time' });
    await expect.poll(async () => {
      const now = await curveNow(page);
      return now.status === 'In progress' && now.points >= 3;
    }, { timeout: 30_000 }).toBe(true);
    await expect(page.locator('.apc-chart__summary')).toContainText(/^Up to \d+ assets: Now [\d.]+ assets\/s · average [\d.]+ assets\/s · slowest minute .+ · \d+ assets handled$/);
    // A reload keeps the curve (session storage): while the run still goes on, the view
    // reloaded draws at least the points it had, not a fresh curve of one or two.
    const before = (await curveNow(page)).points;
    await page.reload();
    await expect(chart).toBeVisible();
    await expect(page.locator('.apc-job__heading .apc-status')).toBeVisible();
    const after = await curveNow(page);
    expect(after.status, 'the run still goes on after the reload').toBe('In progress');
    expect(after.points).toBeGreaterThanOrEqual(before);

    // Marked now: the same elements must still be there once the run has ended (no redraw,
    // so no flash), and the panel must not move.
    await item.evaluate((li) => { (li as HTMLElement).dataset.seenWhileRunning = 'yes'; });
    const top = (await panel.boundingBox())!.y;
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed', { timeout: 30_000 });
    // The run's last line warns that an asset failed.
    await expect(panel.locator('.apc-problems__counts')).toHaveText(/^1 failed asset · \d+ warnings?$/);
    await expect(panel.getByText(/^From all [\d,]+ lines of the log\.$/)).toBeVisible();
    await expect(panel.locator('.apc-problems__item[data-seen-while-running="yes"]')).toHaveCount(1);
    expect((await panel.boundingBox())!.y).toBe(top);
    await expect(panel.getByRole('link', { name: 'Per-asset report' })).toBeVisible();

    // Ended, the picture is drawn from the log's progress lines (timestamped, every 2 s), and
    // says so and how much of the log that was.
    await expect(chart).toBeVisible();
    await expect(page.locator('.apc-chart__summary')).toHaveText(
      /^Up to \d+ assets: At the end [\d.]+ assets\/s · average [\d.]+ assets\/s · slowest minute .+ · [\d,]+ assets handled From the log's \d+ progress lines? \(all [\d,]+ lines read\)\.$/);
    const curve = await chart.locator('path').getAttribute('d');
    expect(curve!.split('L').length).toBeGreaterThan(2);
    // The same line after a reload: the log is the same.
    await page.reload();
    await expect(chart.locator('path')).toHaveAttribute('d', curve!);
    await expectNoViolations(page);
  } finally {
    await server.kill9AndWait();
  }
});

test('warnings are grouped by the missing file they point at, most first, in the warning colour', async ({ page }) => {
  test.setTimeout(120_000);
  // Our own small DITA set: three topics reuse content from a file nobody generated
  // (shared/generated-notes.dita), one points at another missing file, one at a file that is there.
  const conrefs = (n: number) => Array.from({ length: n }, (_, k) =>
    `<note conref="../shared/generated-notes.dita#notes/n${k}"/>`).join('');
  const { root, repo } = repository('causes', {
    'manual/shared/common.dita': topic('common', '<note id="n0">Shared</note>'),
    'manual/topics/install.dita': topic('install', conrefs(5) + '<note conref="../shared/common.dita#common/n0"/>'),
    'manual/topics/configure.dita': topic('configure', conrefs(4)),
    'manual/topics/upgrade.dita': topic('upgrade', conrefs(3) + '<p><xref href="release-notes.dita"/></p>'),
    'manual/topics/faq.dita': topic('faq', '<p><xref href="release-notes.dita"/></p>'),
  });
  const server = new OwnServer(path.join(root, 'data'), repo);
  await server.start();
  try {
    const api = await apiClient(server.base);
    const id = await runJob(api, '/content/dam/manual');
    await signInAt(page, server.base, `/jobs/${id}`);
    const panel = problems(page);
    await expect(panel.locator('.apc-problems__counts')).toHaveText('0 failed assets · 14 warnings');
    // Warnings only: the warning colour, not the failure colour.
    await expect(panel).toHaveClass(/apc-problems--warnings/);
    const notice = await panel.evaluate((el) => getComputedStyle(el).borderLeftColor);
    const negative = await panel.evaluate((el) => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--apc-negative)';
      el.append(probe);
      const c = getComputedStyle(probe).color;
      probe.remove();
      return c;
    });
    expect(notice).not.toBe(negative);
    await expect(panel.getByText(/^From all [\d,]+ lines of the log\.$/)).toBeVisible();

    const groups = panel.locator('.apc-causes__group');
    await expect(groups).toHaveCount(2);
    await expect(groups.nth(0).locator('summary')).toHaveText(
      'generated-notes.dita: 12 references from 3 topics, the file does not exist');
    await expect(groups.nth(1).locator('summary')).toHaveText(
      'release-notes.dita: 2 references from 2 topics, the file does not exist');

    // Opened, the group shows where the file was looked for and the lines it stands for.
    await groups.nth(0).locator('summary').click();
    await expect(groups.nth(0).getByText('Looked for at /content/dam/manual/shared/generated-notes.dita')).toBeVisible();
    const lines = groups.nth(0).locator('.apc-causes__line');
    await expect(lines).toHaveCount(12);
    const first = lines.first();
    const n = (await first.textContent())!.replace(/^Line /, '').replace(/,/g, '');
    await first.click();
    await expect(page).toHaveURL(new RegExp(`#L${n}$`));
    const row = page.locator(`.apc-logv__row[data-line="${n}"]`);
    await expect(row).toContainText('Unresolved conref "../shared/generated-notes.dita#notes/n');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expectNoViolations(page);
    }

    // The report and its CSV carry the cause.
    await page.goto(`${server.base}/jobs/${id}/report`);
    const install = page.locator('.apc-report__row').filter({ hasText: '/content/dam/manual/topics/install.dita' });
    await expect(install.locator('.apc-report__cause')).toHaveText('Missing file /content/dam/manual/shared/generated-notes.dita');
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csv = fs.readFileSync(await (await download).path(), 'utf8');
    const [header, ...records] = csv.trim().split('\r\n');
    expect(header).toBe('path,outcome,reason,log line,cause');
    const faq = records.find((r) => r.startsWith('/content/dam/manual/topics/faq.dita,'));
    expect(faq).toMatch(/,Missing file \/content\/dam\/manual\/topics\/release-notes\.dita$/);
  } finally {
    await server.kill9AndWait();
  }
});

test('"Reprocess 1 failed asset" starts a job on that asset alone once it is mended; the batch survives a reload', async ({ page }) => {
  test.setTimeout(120_000);
  const files: Record<string, string> = { 'fix/a-broken.dita': BROKEN };
  for (let i = 0; i < 5; i++) files[`fix/t${i}.dita`] = GOOD(`t${i}`);
  const { root, repo } = repository('reprocess', files);
  const server = new OwnServer(path.join(root, 'data'), repo);
  await server.start();
  try {
    const api = await apiClient(server.base);
    const id = await runJob(api, '/content/dam/fix');
    // Mended on disk, as the person would after reading the panel.
    fs.writeFileSync(path.join(repo, 'fix/a-broken.dita'), GOOD('mended'));

    await signInAt(page, server.base, `/jobs/${id}`);
    const panel = problems(page);
    await expect(panel.locator('.apc-problems__item')).toContainText('/content/dam/fix/a-broken.dita');
    await panel.getByRole('button', { name: 'Reprocess 1 failed asset' }).click();

    const batch = page.getByRole('region', { name: 'Reprocessing the failed assets' });
    const item = batch.locator('.apc-reprocess__item');
    await expect(item).toHaveCount(1);
    await expect(item).toContainText('/content/dam/fix/a-broken.dita');
    await expect(item.locator('.apc-reprocess__state')).toHaveText('Succeeded', { timeout: 30_000 });
    await expect(batch.getByText('The asset was processed without failure.')).toBeVisible();
    await expect(batch.getByRole('button', { name: 'Stop' })).toHaveCount(0);
    // The offer is gone while the batch is shown.
    await expect(panel.getByRole('button', { name: /^Reprocess/ })).toHaveCount(0);

    // Its job: the asset alone as the path, and it succeeded.
    const jobLink = item.getByRole('link', { name: /^Job \S+ of \/content\/dam\/fix\/a-broken\.dita$/ });
    const href = await jobLink.getAttribute('href');
    const newId = href!.replace(/^.*\/jobs\//, '');
    expect(newId).not.toBe(id);
    const job = await (await api.get(`/bin/guides/v1/assets/process/status?processingId=${newId}`)).json();
    expect(job.path).toBe('/content/dam/fix/a-broken.dita');
    expect(job.status).toBe('SUCCESS');
    expect(job.triggeredCount).toBe(1);

    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expectNoViolations(page);
    }

    // A reload keeps the batch (session storage).
    await page.reload();
    await expect(batch.locator('.apc-reprocess__state')).toHaveText('Succeeded');
    await expect(batch.getByText('The asset was processed without failure.')).toBeVisible();

    await jobLink.click();
    await expect(page).toHaveURL(new RegExp(`/jobs/${newId}$`));
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');

    // Back on the run, the batch closed once over: the panel goes. The asset's latest
    // outcome is now a success, so the run's panel no longer counts it as failed, and
    // offers nothing to reprocess.
    await page.goBack();
    await batch.getByRole('button', { name: 'Close' }).click();
    await expect(batch).toHaveCount(0);
    await expect(panel.locator('.apc-problems__counts')).toHaveText(/^0 failed assets · /);
    await expect(panel.getByRole('button', { name: /^Reprocess/ })).toHaveCount(0);
    await page.goto(`${server.base}/jobs/${newId}`);
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');
  } finally {
    await server.kill9AndWait();
  }
});

test('printed, the job view is a summary: status, facts, problems and pictures, no tool bars or buttons', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  // 31 assets at 150 ms: a run of about 5 s, long enough for its log's progress lines (every
  // 2 s), from which the ended run's curve is drawn. Run twice: the second has a previous run.
  const files: Record<string, string> = { 'p/a-broken.dita': BROKEN };
  for (let i = 0; i < 30; i++) files[`p/t${String(i).padStart(2, '0')}.dita`] = GOOD(`t${i}`);
  const { root, repo } = repository('print', files);
  const server = new OwnServer(path.join(root, 'data'), repo, ['--pace-ms', '150']);
  await server.start();
  try {
    const api = await apiClient(server.base);
    await runJob(api, '/content/dam/p');
    const id = await runJob(api, '/content/dam/p');
    await signInAt(page, server.base, `/jobs/${id}`);
    await expect(problems(page).locator('.apc-problems__item')).toHaveCount(1);
    await expect(page.locator('.apc-job__tools')).toBeVisible();
    const chart = page.getByRole('img', { name: 'Assets handled over time' });
    await expect(chart).toBeVisible();
    await expect(page.locator('.apc-chart__source')).toHaveText(/^From the log's \d+ progress lines? \(all [\d,]+ lines read\)\.$/);

    // The folder's previous runs, last among the job's facts, asked for when opened.
    const past = page.locator('.apc-past-runs');
    if (!(await page.locator('.apc-job__facts').evaluate((d) => (d as HTMLDetailsElement).open))) {
      await page.locator('.apc-job__summary').click();
    }
    await past.getByRole('button', { name: 'Previous runs of this folder' }).click();
    await expect(past.getByRole('button', { name: 'Previous runs of this folder' })).toHaveAttribute('aria-expanded', 'true');
    await expect(past.getByRole('img', { name: 'Duration of the last run of /content/dam/p' })).toBeVisible();
    await expect(past.locator('.apc-past__words')).toContainText(/^The last run of this folder took .+ for 31 assets\./);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expectNoViolations(page);
    }
    await page.emulateMedia({ colorScheme: 'light' });

    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.apc-job__tools', '.apc-logv__tools', '.apc-log', '.apc-header', '.apc-job__back']) {
      await expect(page.locator(hidden).first(), `${hidden} is not printed`).toBeHidden();
    }
    await expect(page.locator('button:visible')).toHaveCount(0);
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('Completed');
    await expect(problems(page)).toBeVisible();
    await expect(page.locator('.apc-job__facts')).toBeVisible();
    // The pictures are printed, with their words.
    await expect(chart).toBeVisible();
    await expect(page.locator('.apc-chart__summary')).toBeVisible();
    await expect(past.getByRole('img', { name: 'Duration of the last run of /content/dam/p' })).toBeVisible();
    const printed = await page.screenshot({ fullPage: true });
    fs.mkdirSync(shots, { recursive: true });
    fs.writeFileSync(path.join(shots, 'job-print.png'), printed);
    await testInfo.attach('job view printed', { body: printed, contentType: 'image/png' });

    await page.goto(`${server.base}/jobs/${id}/report`);
    await expect(page.locator('.apc-report__count')).toHaveText(/^\d+ of \d+ assets$/);
    await expect(page.locator('.apc-toolbar').first()).toBeHidden();
    // The column headings are sort buttons: printed as headings, every other button hidden.
    await expect(page.locator('button:not(.apc-report__sort):visible')).toHaveCount(0);
    await expect(page.getByRole('columnheader', { name: /^Path/ })).toBeVisible();
    await expect(page.locator('.apc-report__row').first()).toBeVisible();
    // The outcomes as one bar, named, with its words.
    await expect(page.getByRole('img', { name: "This run's assets by result" })).toBeVisible();
    await expect(page.locator('.apc-outcomes__words')).toHaveText('Failed 1 · Succeeded 30');
    await testInfo.attach('report printed', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

    // Before starting the folder again, the start form draws its previous runs.
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${server.base}/new`);
    await page.getByLabel('Folder or asset').fill('/content/dam/p');
    await expect(page.getByRole('img', { name: 'Durations of the last 2 runs of /content/dam/p' })).toBeVisible();
    await expect(page.locator('.apc-past__words')).toContainText(/^The last run of this folder took .+ for 31 assets\./);
    await expectNoViolations(page);
  } finally {
    await server.kill9AndWait();
  }
});

test('the history row of a running run says its failures so far', async ({ page }) => {
  test.setTimeout(120_000);
  const server = pacedServerWithBrokenFirst('rows');
  await server.start();
  try {
    const api = await apiClient(server.base);
    const id = await startJob(api, '/content/dam/rows');
    await signInAt(page, server.base, '/');
    const row = page.locator(`tr[data-processing-id="${id}"]`);
    // Seen while the row still says "In progress": the server's comments count the failure.
    await expect.poll(() => row.evaluate((tr) => [
      tr.querySelector('.apc-status')?.textContent,
      tr.querySelector('.apc-runs__failed')?.textContent,
    ].join(' / ')), { timeout: 30_000 }).toBe('In progress / 1 failed so far');
    await expect(row.locator('.apc-runs__bar')).toBeVisible();
    await expectNoViolations(page);
  } finally {
    await server.kill9AndWait();
  }
});

test('a job view opened on a running log already longer than a page reads the pages it lacks once, and names the failure "so far"', async ({ page }) => {
  test.setTimeout(120_000);
  // The broken topic first, then 1,300 good ones; the server holds the run once 1,200 assets
  // are committed: a log of more than a page (1,000 lines), still RUNNING.
  const files: Record<string, string> = { 'long/a-broken.dita': BROKEN };
  for (let i = 0; i < 1300; i++) files[`long/t${String(i).padStart(4, '0')}.dita`] = GOOD(`t${i}`);
  const { root, repo } = repository('long', files);
  const server = new OwnServer(path.join(root, 'data'), repo, ['--hold-after', '1200']);
  await server.start();
  try {
    const api = await apiClient(server.base);
    const id = await startJob(api, '/content/dam/long');
    const length = async () => {
      const tail = await (await api.get(`${API}/logs?processingId=${id}&tail=1`)).json();
      return tail.offset + tail.lines.length as number;
    };
    // Held: the commit of the 1,200th asset (its lines with it) is the run's last for now.
    await expect.poll(async () => (await (await api.get(`${API}/status?processingId=${id}`)).json()).triggeredCount,
      { timeout: 60_000 }).toBeGreaterThanOrEqual(1_200);
    const total = await length();
    expect(total).toBeGreaterThan(1_200);
    // The log's requests the page makes: the poll's tail, then each page it lacks, once.
    const asked: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!url.pathname.endsWith('/logs')) return;
      url.searchParams.delete('processingId');
      asked.push(url.searchParams.toString());
    });
    await signInAt(page, server.base, `/jobs/${id}`);
    const panel = problems(page);
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('In progress');
    await expect(panel.locator('.apc-problems__item')).toContainText('/content/dam/long/a-broken.dita');
    await expect(panel.locator('.apc-problems__counts')).toHaveText(/^1 failed asset · 0 warnings so far$/);
    // Every line up to the log's length when the view opened has been read, and the note says how many.
    await expect(panel.locator('.apc-problems__read')).toHaveText(/^From the [\d,]+ log lines read while the run goes on\.$/);
    const read = Number((await panel.locator('.apc-problems__read').textContent())!.replace(/\D/g, ''));
    expect(read).toBe(total);
    // The first page was asked for once, from its start, and no page of the log as it was
    // twice (the poll's later asks start at its end: the run is held, they answer nothing).
    expect(asked.filter((q) => q.startsWith('offset=0&'))).toHaveLength(1);
    const within = asked.filter((q) => q.startsWith('offset=') && Number(new URLSearchParams(q).get('offset')) < total);
    expect(new Set(within).size).toBe(within.length);
    await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('In progress');
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expectNoViolations(page);
    }
  } finally {
    await server.kill9AndWait();
  }
});

/** Mends the topics `rels` (paths under the repository) on disk, as a person would. */
function mend(repo: string, rels: string[]) {
  for (const rel of rels) fs.writeFileSync(path.join(repo, rel), GOOD(path.basename(rel, '.dita')));
}

test('the report filtered to failures offers "Reprocess N failed assets" for the failures shown', async ({ page }) => {
  test.setTimeout(120_000);
  const files: Record<string, string> = { 'rep/a-broken.dita': BROKEN, 'rep/b-broken.dita': BROKEN };
  for (let i = 0; i < 4; i++) files[`rep/t${i}.dita`] = GOOD(`t${i}`);
  const { root, repo } = repository('report', files);
  const server = new OwnServer(path.join(root, 'data'), repo);
  await server.start();
  try {
    const api = await apiClient(server.base);
    const id = await runJob(api, '/content/dam/rep');
    mend(repo, ['rep/a-broken.dita', 'rep/b-broken.dita']);
    await signInAt(page, server.base, `/jobs/${id}/report`);
    await expect(page.locator('.apc-report__count')).toHaveText('6 of 6 assets');
    // Not filtered to failures: nothing offered.
    await expect(page.getByRole('button', { name: /^Reprocess/ })).toHaveCount(0);
    await page.getByLabel('Outcome').selectOption('failed');
    await expect(page.locator('.apc-report__count')).toHaveText('2 of 6 assets');
    await expect(page.getByRole('button', { name: 'Reprocess 2 failed assets' })).toBeVisible();
    // The path filter narrows what is offered to the failures shown.
    await page.getByRole('searchbox', { name: 'Filter by path' }).fill('a-broken');
    await expect(page.locator('.apc-report__count')).toHaveText('1 of 6 assets');
    await page.getByRole('button', { name: 'Reprocess 1 failed asset' }).click();

    const batch = page.getByRole('region', { name: 'Reprocessing the failed assets' });
    const item = batch.locator('.apc-reprocess__item');
    await expect(item).toHaveCount(1);
    await expect(item).toContainText('/content/dam/rep/a-broken.dita');
    await expect(item.locator('.apc-reprocess__state')).toHaveText('Succeeded', { timeout: 30_000 });
    await expect(batch.getByText('The asset was processed without failure.')).toBeVisible();
    // One batch at a time for the run: no offer while it is shown.
    await expect(page.getByRole('button', { name: /^Reprocess/ })).toHaveCount(0);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expectNoViolations(page);
    }
    // The same batch on the run's job view (the batch is the run's).
    await page.goto(`${server.base}/jobs/${id}`);
    await expect(batch.locator('.apc-reprocess__state')).toHaveText('Succeeded');
    const href = await item.getByRole('link').getAttribute('href');
    const job = await (await api.get(`${API}/status?processingId=${href!.replace(/^.*\/jobs\//, '')}`)).json();
    expect(job.path).toBe('/content/dam/rep/a-broken.dita');
    expect(job.status).toBe('SUCCESS');
  } finally {
    await server.kill9AndWait();
  }
});

test('the comparison offers "Reprocess N failed assets" under "Newly failing" and "Still failing"', async ({ page }) => {
  test.setTimeout(120_000);
  // b fails in both runs; a breaks between them: a is newly failing, b still failing.
  const files: Record<string, string> = { 'cmp/a.dita': GOOD('a'), 'cmp/b.dita': BROKEN };
  for (let i = 0; i < 3; i++) files[`cmp/t${i}.dita`] = GOOD(`t${i}`);
  const { root, repo } = repository('compare', files);
  const server = new OwnServer(path.join(root, 'data'), repo);
  await server.start();
  try {
    const api = await apiClient(server.base);
    const older = await runJob(api, '/content/dam/cmp');
    fs.writeFileSync(path.join(repo, 'cmp/a.dita'), BROKEN);
    const newer = await runJob(api, '/content/dam/cmp');
    mend(repo, ['cmp/a.dita', 'cmp/b.dita']);

    await signInAt(page, server.base, `/compare/${older}/${newer}`);
    const newly = page.getByRole('region', { name: /^Newly failing/ });
    const still = page.getByRole('region', { name: /^Still failing/ });
    const fixed = page.getByRole('region', { name: /^Fixed/ });
    await expect(newly.locator('.apc-compare__item')).toContainText('/content/dam/cmp/a.dita');
    await expect(still.locator('.apc-compare__item')).toContainText('/content/dam/cmp/b.dita');
    await expect(fixed.getByRole('button', { name: /^Reprocess/ })).toHaveCount(0);
    await expect(still.getByRole('button', { name: 'Reprocess 1 failed asset' })).toBeVisible();
    await newly.getByRole('button', { name: 'Reprocess 1 failed asset' }).click();

    const batch = page.getByRole('region', { name: 'Reprocessing the failed assets' });
    await expect(batch.locator('.apc-reprocess__item')).toContainText('/content/dam/cmp/a.dita');
    // One batch at a time for the newer run: the other list's offer waits.
    await expect(still.getByRole('button', { name: /^Reprocess/ })).toHaveCount(0);
    await expect(batch.locator('.apc-reprocess__state')).toHaveText('Succeeded', { timeout: 30_000 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await expectNoViolations(page);
    }
    // A reload keeps the batch; closed, the other list offers again.
    await page.reload();
    await expect(batch.locator('.apc-reprocess__state')).toHaveText('Succeeded');
    await batch.getByRole('button', { name: 'Close' }).click();
    await still.getByRole('button', { name: 'Reprocess 1 failed asset' }).click();
    await expect(batch.locator('.apc-reprocess__item')).toContainText('/content/dam/cmp/b.dita');
    await expect(batch.locator('.apc-reprocess__state')).toHaveText('Succeeded', { timeout: 30_000 });
  } finally {
    await server.kill9AndWait();
  }
});
