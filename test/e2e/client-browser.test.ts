/**
 * `mailsink/client` in headless Chromium: the built module (dist/server/client.js, as the package
 * exports it) loaded by a page on the sink's origin, calling the live API with the browser's fetch.
 * Proves the client needs no Node built-ins and no bundler.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';
import { useSink } from '../helpers/sink.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(ROOT, 'dist/server');

/** Runs in the page: the client against the sink it was served from. */
const PAGE_SCRIPT = `
import { createClient, MailsinkApiError, MailsinkTimeoutError } from './client.js';
const mail = createClient(location.origin);
const out = {};
try {
  out.health = (await mail.health()).status;
  const waiting = mail.waitFor('mailbox:browser@example.test');
  await mail.importMessage('From: app@example.test\\r\\nTo: Browser@Example.test\\r\\nSubject: From the browser\\r\\n\\r\\nCode 314159 at https://app.example/b\\r\\n');
  const [message] = await waiting;
  out.subject = message.subject;
  out.links = await mail.links(message.id);
  out.codes = await mail.codes(message.id);
  out.rawIsBytes = (await mail.raw(message.id)) instanceof Uint8Array;
  out.mailboxes = (await mail.mailboxes()).map((m) => m.mailbox);
  const missing = await mail.get('nope').catch((e) => e);
  out.notFound = [missing instanceof MailsinkApiError, missing.status, missing.code];
  const late = await mail.waitFor('subject:never', { timeoutMs: 50 }).catch((e) => e);
  out.timeout = [late instanceof MailsinkTimeoutError, late.matched];
} catch (e) {
  out.error = String(e && e.stack || e);
}
window.__result = out;
`;

describe('mailsink/client in Chromium', () => {
  const sink = useSink();
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(path.join(DIST, 'client.js'))) throw new Error('dist/server/client.js is missing: run `npm run build` first (npm test does)');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('runs every kind of call with the browser fetch and typed errors', async () => {
    const page = await browser.newPage();
    const base = `${sink().httpUrl}/__client-test/`;
    await page.route(`${base}*`, (route) => {
      const name = route.request().url().slice(base.length);
      if (name === 'index.html') return route.fulfill({ contentType: 'text/html', body: '<!doctype html><script type="module" src="test.js"></script>' });
      if (name === 'test.js') return route.fulfill({ contentType: 'text/javascript', body: PAGE_SCRIPT });
      if (name === 'client.js' || name === 'client-errors.js') return route.fulfill({ contentType: 'text/javascript', body: readFileSync(path.join(DIST, name), 'utf8') });
      return route.fulfill({ status: 404, body: '' });
    });
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${base}index.html`);
    const result = await page.waitForFunction(() => (globalThis as unknown as { __result?: unknown }).__result).then((handle) => handle.jsonValue());
    expect(errors).toEqual([]);
    expect(result).toEqual({
      health: 'ok',
      subject: 'From the browser',
      links: [{ url: 'https://app.example/b', text: '', sources: ['text'] }],
      codes: ['314159'],
      rawIsBytes: true,
      mailboxes: ['browser@example.test'],
      notFound: [true, 404, 'not_found'],
      timeout: [true, 0],
    });
  });
});
