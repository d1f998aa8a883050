// End-to-end tests: Debian's Chromium (never a downloaded browser) against the real
// reference server, started here with a fresh demo repository and database per run.
// `cargo xtask test` sets APC_SERVER_BIN, APC_DIST and APC_WORK; see xtask/src/test.rs.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.APC_PORT ?? 18080);
const server = process.env.APC_SERVER_BIN ?? '../target/debug/asset-processing-server';
const dist = process.env.APC_DIST ?? '../dist';
const work = process.env.APC_WORK ?? '../target/e2e';
const aemShell = process.env.APC_AEM_SHELL ?? '../target/aem/dist';

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    // The contract's answers.
    { name: 'reference', testIgnore: 'published-docs.spec.ts' },
    // The other forms the published pages allow (a download naming log files, a history of
    // its own size, words the console does not know): the main flows again, and their own.
    {
      name: 'published-docs',
      testMatch: ['cancelling.spec.ts', 'console.spec.ts', 'history.spec.ts', 'published-docs.spec.ts', 'readings.spec.ts'],
      use: { baseURL: `http://127.0.0.1:${port + 1}` },
    },
  ],
  webServer: [
    {
      command:
        `"${server}" generate-demo "${work}/repository" && ` +
        `exec "${server}" serve --listen 127.0.0.1:${port} --repository "${work}/repository" ` +
        `--data "${work}/data" --console "${dist}" --aem-shell "${aemShell}" --pace-ms 5`,
      url: `http://127.0.0.1:${port}/bin/guides/v1/assets/process/history`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command:
        `"${server}" generate-demo "${work}/published-docs/repository" && ` +
        `exec "${server}" serve --listen 127.0.0.1:${port + 1} --repository "${work}/published-docs/repository" ` +
        `--data "${work}/published-docs/data" --console "${dist}" --pace-ms 5 --variant published-docs`,
      url: `http://127.0.0.1:${port + 1}/bin/guides/v1/assets/process/history`,
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
