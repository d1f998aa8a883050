// `cargo xtask bench`: the browser-side benchmarks in bench/ (figures, not tests). xtask starts
// the servers they measure and passes their addresses in the environment (see the top of
// xtask/src/bench.rs); each spec writes its figures to $APC_BENCH_OUT/figures-<name>.json.
import base from './playwright.config';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  ...base,
  testDir: './bench',
  timeout: 300_000,
  webServer: undefined,
  reporter: [['list']],
  use: { ...base.use, trace: 'off', actionTimeout: 30_000 },
});
