// Triage of a run (issue 12): the Problems panel above the log names the demo repository's
// malformed topic with the log's reason and links to the line; without the per-asset status
// API (a 404, as on an AEM without it) the log alone tells; axe finds no violation.
import { type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { API, apiClient, expect, runJob, signIn, test } from './helpers';

/** The demo's one malformed topic is in this set (see the server's demo.rs). */
const MALFORMED_SET = '/content/dam/guides/Café Scheduler/de';

/** The run's ERROR lines as the API has them: 1-based line number and text. */
async function errorLines(baseURL: string, id: string): Promise<{ n: number; text: string }[]> {
  const api = await apiClient(baseURL);
  const found: { n: number; text: string }[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await (await api.get(`${API}/logs?processingId=${id}&offset=${offset}&limit=1000`)).json();
    (page.lines as string[]).forEach((text, k) => {
      if (text.split(' ')[1] === 'ERROR') found.push({ n: offset + k + 1, text });
    });
    if (!page.hasMore) return found;
  }
}

const problems = (page: Page) => page.getByRole('region', { name: 'Problems' });

async function expectNoViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary).toEqual([]);
}

let malformedRun: Promise<string> | undefined;
function runWithMalformedTopic(baseURL: string): Promise<string> {
  malformedRun ??= apiClient(baseURL).then((api) => runJob(api, MALFORMED_SET));
  return malformedRun;
}

test('the Problems panel names the malformed topic and opens the log at its line', async ({ page, baseURL }) => {
  const id = await runWithMalformedTopic(baseURL!);
  const errors = await errorLines(baseURL!, id);
  const malformed = errors.find((l) => l.text.includes('Malformed XML in /content/dam/'));
  expect(malformed, 'the demo run logs its malformed topic').toBeTruthy();
  const path = malformed!.text.match(/Malformed XML in (\/content\/dam\/.*?): /)![1];

  await signIn(page, `/jobs/${id}`);
  const panel = problems(page);
  await expect(panel).toBeVisible();
  // It sits above the log.
  const panelBox = await panel.boundingBox();
  const logBox = await page.locator('.apc-log').boundingBox();
  expect(panelBox!.y).toBeLessThan(logBox!.y);
  await expect(panel.locator('.apc-problems__counts')).toHaveText(/^1 failed asset · \d+ warnings?$/);
  const item = panel.locator('.apc-problems__item').filter({ hasText: path });
  await expect(item).toHaveCount(1);
  await expect(item.locator('.apc-problems__reason')).toContainText(`Malformed XML in ${path}: `);
  // Reading is over: no progress note is left.
  await expect(panel.getByText(/^Read [\d,]+ of/)).toHaveCount(0);

  await item.getByRole('link', { name: new RegExp(`^Line ${malformed!.n.toLocaleString('en-US')} of the log`) }).click();
  await expect(page).toHaveURL(new RegExp(`#L${malformed!.n}$`));
  const row = page.locator(`.apc-logv__row[data-line="${malformed!.n}"]`);
  await expect(row).toHaveClass(/apc-logv__row--selected/);
  await expect(row).toContainText('Malformed XML');
  // Seen in the browser's window, not only inside the log's own scroller.
  await expect(row).toBeInViewport();
});

test('without the per-asset status API the log alone tells the problems', async ({ page, baseURL }) => {
  const id = await runWithMalformedTopic(baseURL!);
  await page.route('**/bin/guides/v1/assets/status**', (route) =>
    route.fulfill({ status: 404, contentType: 'application/json', body: '{"status":404,"message":"No resource"}' }));
  await signIn(page, `/jobs/${id}`);
  const panel = problems(page);
  await expect(panel.locator('.apc-problems__counts')).toHaveText(/^1 failed asset · /);
  await expect(panel.locator('.apc-problems__item')).toContainText('Malformed XML in /content/dam/guides/Café Scheduler/de/');
  await expect(page.getByRole('alert')).toHaveCount(0);
});

test('a run without failures or warnings has no Problems panel', async ({ page, baseURL }) => {
  const api = await apiClient(baseURL!);
  const id = await runJob(api, '/content/dam/guides/Aurora Router/ja/images');
  await signIn(page, `/jobs/${id}`);
  await expect(page.locator('.apc-logv__rows')).toBeVisible();
  await expect(page.locator('.apc-job__heading .apc-status')).toHaveText('SUCCESS');
  // Give the background reading time to finish, then the panel must still be absent.
  await page.waitForTimeout(1500);
  await expect(problems(page)).toHaveCount(0);
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`no axe violations in the triage views in ${colorScheme}`, async ({ page, baseURL }) => {
    await page.emulateMedia({ colorScheme });
    const id = await runWithMalformedTopic(baseURL!);
    await signIn(page, `/jobs/${id}`);
    await expect(problems(page).locator('.apc-problems__item')).toHaveCount(1);
    await expectNoViolations(page);
  });
}
