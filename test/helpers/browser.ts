// How tests and scripts start Debian's chromium through playwright-core: headless, no sandbox, no network chatter.
import type { LaunchOptions } from 'playwright-core';

export const launchOptions: LaunchOptions = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-quic',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
  ],
};
