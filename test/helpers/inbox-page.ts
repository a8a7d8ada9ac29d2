/**
 * Browser-test helpers for the web inbox: one headless Chromium per test file, pages that record
 * JavaScript errors and native dialogs (none may ever appear), and quick ways to send mail to the
 * sink over SMTP with nodemailer.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { Sink } from '../../server/sink.js';
import { launchBrowser } from './browser.js';
import { transport } from './smtp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Where browser tests save screenshots for a reviewer (git-ignored). */
export const SCREENSHOTS = path.join(ROOT, 'test/e2e/screenshots');
/** The case inputs (`.eml`) in the repository. */
export const CASES = path.join(ROOT, 'test', 'fixtures', 'cases');

export interface InboxPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page. */
  errors: string[];
  /** Native dialogs (alert, confirm, prompt) that opened: the inbox never opens one. */
  dialogs: string[];
}

/**
 * Launches Chromium once for the file and closes it afterwards. A browser that cannot start (e.g.
 * Chromium missing) fails every test that asks for it, with the launch error: a failure, not a skip.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  let launchError: unknown;
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    try {
      browser = await launchBrowser();
    } catch (error) {
      launchError = error;
    }
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (launchError !== undefined) throw launchError;
    if (!browser) throw new Error('browser not launched yet: call it inside a test or hook');
    return browser;
  };
}

/** Opens the inbox of `sink` in a fresh context and waits until the event stream is live. */
export async function openInbox(browser: Browser, sink: Sink, options: BrowserContextOptions & { hash?: string } = {}): Promise<InboxPage> {
  const { hash = '', ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(`${sink.httpUrl}/${hash}`);
  await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
  return { context, page, errors, dialogs };
}

/** A message for {@link sendMail}, in nodemailer's terms. */
export interface Mail {
  from?: string;
  to?: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  subject: string;
  text?: string;
  html?: string;
  attachments?: { filename: string; content: string | Buffer; contentType?: string; cid?: string }[];
}

/** Sends one message through nodemailer (one connection, like most apps). */
export async function sendMail(sink: Sink, mail: Mail): Promise<void> {
  const t = transport(sink);
  try {
    await t.sendMail({ from: 'App <app@example.com>', to: 'dev@example.org', ...mail });
  } finally {
    t.close();
  }
}

/**
 * Sends `count` messages over a pooled nodemailer transport with `connections` parallel SMTP
 * connections; `make(i)` builds message `i`. Resolves when every message was accepted (stored).
 */
export async function sendMany(sink: Sink, count: number, make: (i: number) => Mail, connections = 8): Promise<void> {
  const t = transport(sink, { pool: true, maxConnections: connections, maxMessages: Infinity });
  try {
    const jobs: Promise<unknown>[] = [];
    for (let i = 0; i < count; i += 1) jobs.push(t.sendMail({ from: 'App <app@example.com>', to: 'dev@example.org', ...make(i) }));
    await Promise.all(jobs);
  } finally {
    t.close();
  }
}

/** Every row currently rendered in the list (the virtual list renders only those near the viewport). */
export function rows(page: Page) {
  return page.getByTestId('message-row');
}

/** The rendered row whose subject is exactly `subject`. */
export function rowBySubject(page: Page, subject: string) {
  return page.getByTestId('message-row').filter({ has: page.getByTestId('row-subject').getByText(subject, { exact: true }) });
}
