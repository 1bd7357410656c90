import type { LaunchOptions } from '@playwright/test';

/** The system Chromium; browsers are never downloaded for these tests. */
export const LAUNCH_OPTIONS: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
};
