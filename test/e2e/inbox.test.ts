/**
 * The inbox page in headless Chromium against a sink on port 0: live arrival over the WebSocket,
 * the message view, and mail content that must never run script in the inbox's origin.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { launchBrowser } from '../helpers/browser.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CASES = path.join(ROOT, 'test', 'fixtures', 'cases');
const SHOTS = path.join(ROOT, 'test/e2e/screenshots');
const run = promisify(execFile);

/** Sends one message with Python's smtplib (a client we did not write); returns the exact bytes. */
async function sendWithSmtplib(port: number, subject: string): Promise<Buffer> {
  const script = `
import smtplib, sys
msg = ("From: Py Sender <py@example.com>\\r\\nTo: Dev Team <dev@example.org>\\r\\nSubject: " + sys.argv[2] +
       "\\r\\n\\r\\nHello from smtplib.\\r\\nSecond line.\\r\\n").encode()
with smtplib.SMTP("127.0.0.1", int(sys.argv[1]), timeout=10) as s:
    s.sendmail("py@example.com", ["dev@example.org", "qa-bcc@example.net"], msg)
sys.stdout.write(msg.hex())
`;
  const { stdout } = await run('python3', ['-c', script, String(port), subject], { timeout: 20_000 });
  return Buffer.from(stdout, 'hex');
}

describe('inbox page in Chromium', () => {
  const sink = useSink();
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  const dialogs: string[] = [];
  /** Why the browser could not be set up: every test then fails with it (a failure, never a skip). */
  let setupError: unknown;
  beforeEach(() => {
    if (setupError !== undefined) throw setupError;
  });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    try {
      browser = await launchBrowser();
    } catch (error) {
      setupError = error;
      return;
    }
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(sink().httpUrl + '/');
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('shows how to connect when empty', async () => {
    // The port comes from /api/health, which may answer after the first paint: wait for it.
    await page.getByTestId('empty-state').filter({ hasText: `Port${sink().smtpPort}` }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'empty.png') });
  });

  it('a message sent by smtplib appears without a reload and opens with exact values', async () => {
    const sent = await sendWithSmtplib(sink().smtpPort, 'Live from smtplib');
    const row = page.getByTestId('message-row').filter({ hasText: 'Live from smtplib' });
    await row.waitFor();
    await expect(row.getByTestId('row-from').textContent()).resolves.toBe('Py Sender');
    expect(await row.getAttribute('data-read')).toBe('false');
    const list = await api<MessageList>(sink(), '/api/messages');
    expect(list.messages.map((m) => m.subject)).toEqual(['Live from smtplib']);
    expect((await fetchBytes(sink(), '/api/messages/latest/raw')).body.equals(sent)).toBe(true);

    await row.click();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('Live from smtplib');
    await expect(page.getByTestId('detail-from').textContent()).resolves.toContain('py@example.com');
    await expect(page.getByTestId('detail-to').textContent()).resolves.toContain('dev@example.org');
    await expect(page.getByTestId('envelope-rcpt').allTextContents()).resolves.toEqual(['<dev@example.org>', '<qa-bcc@example.net>Bcc']);
    await page.getByTestId('tab-text').click();
    await expect(page.getByTestId('detail-text').textContent()).resolves.toBe('Hello from smtplib.\nSecond line.\n');
    await page.getByTestId('tab-raw').click();
    await expect(page.getByTestId('raw-source').textContent()).resolves.toBe(sent.toString('utf8'));
    await page.getByTestId('tab-transcript').click();
    const transcript = (await page.getByTestId('transcript').textContent()) ?? '';
    expect(transcript).toMatch(/C: mail FROM:<py@example\.com>/i);
    expect(transcript).toMatch(/C: rcpt TO:<qa-bcc@example\.net>/i);
    expect(transcript).toMatch(/S: 250 2\.0\.0 Ok: queued as /);
    await page.screenshot({ path: path.join(SHOTS, 'message.png') });
  });

  it('mail content never runs script in the inbox (case 19), in any tab', async () => {
    const eml = readFileSync(path.join(CASES, '19-xss-into-inbox-ui.eml'));
    await sendRaw(sink(), { from: 'billing@example.com', to: ['victim@example.org'] }, eml);
    const row = page.getByTestId('message-row').filter({ hasText: 'Invoice 77' });
    await row.waitFor();
    await expect(row.getByTestId('row-subject').textContent()).resolves.toBe('<script>window.__xss_subject=1</script> Invoice 77');
    await row.click();
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('<script>window.__xss_subject=1</script> Invoice 77');
    const frame = page.getByTestId('html-frame');
    await frame.waitFor();
    const sandbox = await frame.getAttribute('sandbox');
    expect(sandbox).not.toBeNull();
    expect(sandbox).not.toContain('allow-scripts');
    expect(sandbox).not.toContain('allow-same-origin');
    for (const tab of ['tab-html', 'tab-text', 'tab-raw', 'tab-attachments']) {
      await page.getByTestId(tab).click();
      await page.mouse.move(400, 400);
    }
    await page.getByTestId('tab-html').click();
    const inner = page.frameLocator('[data-testid="html-frame"]');
    await inner.locator('p', { hasText: 'Invoice 77' }).waitFor();
    await inner.locator('a', { hasText: 'open' }).click({ modifiers: [] }).catch(() => undefined);
    const markers = ['__xss_subject', '__xss_from', '__xss_link', '__xss_plain', '__xss_svg', '__xss_script', '__xss_img', '__xss_href', '__xss_att'];
    for (const frameHandle of page.frames()) {
      const set = await frameHandle.evaluate((names) => names.filter((n) => (globalThis as unknown as Record<string, unknown>)[n] !== undefined), markers).catch((err: Error) => {
        // A sandboxed frame without allow-scripts cannot be evaluated at all: nothing runs there either.
        return /sandbox|Execution context|Cannot|not allowed/i.test(err.message) ? [] : [`evaluate failed: ${err.message}`];
      });
      expect(set, frameHandle.url()).toEqual([]);
    }
    expect(dialogs).toEqual([]);
    expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
  });

  it('raised no JavaScript error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
