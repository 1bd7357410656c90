import { defineConfig } from '@playwright/test';
import { LAUNCH_OPTIONS } from './support/launch.js';

/**
 * Loket's browser tests. Every worker starts its own stack (loopback DNS, Loket on SQLite, shop
 * pages) in-process — see support/fixtures.ts — so there is no webServer here. One worker: the
 * machine has two cores and each test drives two to three browser contexts at once.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../test-results/e2e',
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: '../playwright-report' }]] : [['list']],
  use: {
    browserName: 'chromium',
    launchOptions: LAUNCH_OPTIONS,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    actionTimeout: 10_000,
    navigationTimeout: 15_000,
  },
});
