/**
 * The inbox behind `--ui-auth-file` in headless Chromium: without credentials the page is refused
 * (a `401` challenge); with them the page, its API calls and its WebSocket (the browser resends the
 * credentials on the upgrade) all work, and new mail shows up live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

describe('inbox behind basic auth', () => {
  const write = useTmpFiles();
  const sink = useSink({ uiAuthFile: write('ui-users', 'dev:s3cret:with:colons\n') });
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('asks for credentials, then works live with them', async () => {
    // Without credentials Chromium gets the challenge and, having none to give, fails the navigation.
    const anonymous = await browser.newContext();
    await expect((await anonymous.newPage()).goto(`${sink().httpUrl}/`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    await anonymous.close();

    const context = await browser.newContext({ httpCredentials: { username: 'dev', password: 's3cret:with:colons' } });
    try {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      expect((await page.goto(`${sink().httpUrl}/`))?.status()).toBe(200);
      await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
      const t = transport(sink());
      await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 'seen behind auth', text: 'x' });
      t.close();
      await page.getByTestId('row-subject').getByText('seen behind auth', { exact: true }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
