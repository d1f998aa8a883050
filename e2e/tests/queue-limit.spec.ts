// One person may have at most 20 runs waiting (issue 21): the 21st start is a 429, and the
// console says why at the Start button, keeping what was typed. A server of the test's own,
// with one worker held once its job has an asset committed (`--hold-after 1`), so the runs
// started before really wait, however fast the machine.
import * as path from 'node:path';
import { API, apiClient, expect, OwnServer, postJob, signInAt, test } from './helpers';

const work = path.resolve(process.env.APC_WORK ?? '../target/e2e');
const FOLDER = '/content/dam/guides';

test('the 21st waiting run is refused and the console says why at the Start button', async ({ page }) => {
  test.setTimeout(120_000);
  const server = new OwnServer(path.join(work, `queue-limit-data-${Date.now()}`), undefined,
    ['--workers', '1', '--hold-after', '1']);
  await server.start();
  try {
    const api = await apiClient(server.base);
    const start = () => postJob(api, FOLDER);
    const held = (await (await start()).json()).processingId as string;
    // Held running: from here on every run started waits.
    await expect
      .poll(async () => (await (await api.get(`${API}/status?processingId=${held}`)).json()).triggeredCount)
      .toBeGreaterThan(0);
    for (let i = 0; i < 20; i++) expect((await start()).status()).toBe(200);

    await signInAt(page, server.base, '/new');
    await page.getByLabel('Folder or asset').fill(FOLDER);
    const refused = page.waitForResponse((r) => new URL(r.url()).pathname === API && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Start processing' }).click();
    expect((await refused).status()).toBe(429);

    // The server's reason, in one sentence, right above the Start button (the next element
    // after the alert is the row of buttons), announced as an alert.
    const alert = page.getByRole('alert').filter({ hasText: 'Not started' });
    await expect(alert).toHaveText(
      'Not started: you already have 20 runs waiting to start, the most one user may have; ' +
        'start this one once one of them has started, or cancel one',
    );
    await expect(page.locator('.apc-alert + .apc-form__buttons').getByRole('button', { name: 'Start processing' })).toBeEnabled();
    // Nothing was lost: still the form, with the folder typed.
    await expect(page).toHaveURL(`${server.base}/new`);
    await expect(page.getByLabel('Folder or asset')).toHaveValue(FOLDER);
  } finally {
    await server.kill9AndWait();
  }
});
