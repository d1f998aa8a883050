// `cargo xtask screenshots`: the same server set-up as the end-to-end tests, other tests.
import base from './playwright.config';
import { defineConfig } from '@playwright/test';

export default defineConfig({ ...base, testDir: './screens', reporter: [['list']] });
