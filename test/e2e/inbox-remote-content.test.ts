/**
 * Remote content (issue 11 §3): a tracking pixel, a remote stylesheet and a CSS `url()` in message
 * HTML must not load when the message is opened, neither in the inbox nor on
 * `/api/messages/:id/html`; "Load remote content" loads them for that message, and "Always load
 * remote content" is remembered across reloads. A loopback HTTP server started here plays the
 * sender's tracker and records every request it gets. The message's own `<base href>` pointing
 * at the tracker must not redirect its relative URLs either.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInbox, rowBySubject, SCREENSHOTS, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** The sender's server: answers PNGs and one stylesheet, remembers each request path, can be waited on. */
class Tracker {
  readonly requests: string[] = [];
  readonly #waiting: { path: string; resolve(): void }[] = [];
  readonly server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    this.requests.push(path);
    for (const waiter of this.#waiting.filter((w) => w.path === path)) waiter.resolve();
    if (path.startsWith('/style.css')) res.writeHead(200, { 'content-type': 'text/css' }).end('#styled { color: rgb(1, 2, 3); }');
    else res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
  });
  origin = '';

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Resolves once `path` was requested (at once if it already was). */
  requested(path: string): Promise<void> {
    if (this.requests.includes(path)) return Promise.resolve();
    return new Promise((resolve) => this.#waiting.push({ path, resolve }));
  }
}

const tracker = new Tracker();

/** HTML with three remote resources (pixel, stylesheet, CSS background), a hint, a `<base>` at the tracker and a relative image. */
function trackedHtml(tag: string): string {
  const t = tracker.origin;
  return `<html><head><base href="${t}/"><link rel="stylesheet" href="${t}/style.css?${tag}"><link rel="dns-prefetch" href="//tracker.invalid">
</head><body><p id="styled">Hello ${tag}</p><img id="pixel" src="${t}/pixel.png?${tag}" alt="">
<div id="bg" style="background-image: url('${t}/bg.png?${tag}'); width: 10px; height: 10px"></div>
<img id="relative" src="relative.png?${tag}" alt=""><img id="inline" src="cid:logo@example" alt="logo"></body></html>`;
}

async function sendTracked(sink: Parameters<typeof sendMail>[0], tag: string): Promise<void> {
  await sendMail(sink, { subject: `Tracked ${tag}`, html: trackedHtml(tag), attachments: [{ filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@example' }] });
}

/** The message frame once its document and every subresource finished (the `load` event). */
async function loadedMessageFrame(page: Page, state: 'blocked' | 'loaded'): Promise<Frame> {
  const element = page.locator(`[data-testid="html-frame"][data-remote="${state}"]`);
  await element.waitFor();
  const frame = (await element.elementHandle())!.contentFrame();
  const content = (await frame)!;
  await content.waitForLoadState('load');
  await content.locator('#inline').waitFor();
  return content;
}

const styledColor = (frame: Frame) => frame.evaluate("getComputedStyle(document.querySelector('#styled')).color") as Promise<string>;
const naturalWidth = (frame: Frame, selector: string) => frame.locator(selector).evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);

describe('remote content in message HTML', () => {
  const sink = useSink();
  const browser = useBrowser();
  beforeAll(() => tracker.start());
  afterAll(async () => {
    const closed = new Promise((resolve) => tracker.server.close(resolve));
    tracker.server.closeAllConnections(); // the browser's keep-alive connections would hold close() open
    await closed;
  });

  it('is blocked in the inbox until "Load remote content", which loads it for that message only', { timeout: 90_000 }, async () => {
    const { page, errors } = await openInbox(browser(), sink());
    await sendTracked(sink(), 'm1');
    await rowBySubject(page, 'Tracked m1').click();

    const blocked = await loadedMessageFrame(page, 'blocked');
    expect(await naturalWidth(blocked, '#inline')).toBe(1); // the message's own (cid:) image still shows
    expect(await naturalWidth(blocked, '#pixel')).toBe(0);
    expect(await styledColor(blocked)).not.toBe('rgb(1, 2, 3)');
    expect(tracker.requests).toEqual([]);
    await expect(page.getByTestId('remote-content-note').textContent()).resolves.toMatch(/^3 remote resources blocked /);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'remote-content-blocked.png') });
    // The message's <base> is gone: the relative image resolves on the sink, not at the tracker.
    expect(await blocked.locator('#relative').evaluate((img) => (img as unknown as { src: string }).src)).toBe(`${sink().httpUrl}/relative.png?m1`);

    await page.getByTestId('load-remote-content').click();
    const loaded = await loadedMessageFrame(page, 'loaded');
    await Promise.all(['/pixel.png?m1', '/style.css?m1', '/bg.png?m1'].map((path) => tracker.requested(path)));
    expect(await naturalWidth(loaded, '#pixel')).toBe(1);
    expect(await styledColor(loaded)).toBe('rgb(1, 2, 3)');
    await expect(page.getByTestId('remote-content-note').textContent()).resolves.toBe('3 remote resources loaded.');
    expect(tracker.requests.filter((path) => path.startsWith('/relative.png'))).toEqual([]);

    // Another message is blocked again: the click was for m1 only.
    const before = tracker.requests.length;
    await sendTracked(sink(), 'm2');
    await rowBySubject(page, 'Tracked m2').click();
    const next = await loadedMessageFrame(page, 'blocked');
    expect(await naturalWidth(next, '#pixel')).toBe(0);
    expect(tracker.requests.slice(before)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('"Always load remote content" is remembered across a reload, and can be turned off', { timeout: 90_000 }, async () => {
    const { page, errors } = await openInbox(browser(), sink());
    await sendTracked(sink(), 'm3');
    await rowBySubject(page, 'Tracked m3').click();
    await loadedMessageFrame(page, 'blocked');
    expect(tracker.requests.filter((path) => path.endsWith('?m3'))).toEqual([]);
    await page.getByTestId('always-load-remote').check();
    expect(await page.evaluate("localStorage.getItem('mailsink.remoteContent')")).toBe('always');
    await tracker.requested('/pixel.png?m3');

    await sendTracked(sink(), 'm4');
    await page.reload();
    await rowBySubject(page, 'Tracked m4').click();
    const loaded = await loadedMessageFrame(page, 'loaded');
    await tracker.requested('/pixel.png?m4');
    expect(await naturalWidth(loaded, '#pixel')).toBe(1);
    await expect(page.getByTestId('always-load-remote').isChecked()).resolves.toBe(true);

    await page.getByTestId('always-load-remote').uncheck();
    expect(await page.evaluate("localStorage.getItem('mailsink.remoteContent')")).toBeNull();
    await sendTracked(sink(), 'm5');
    await page.reload();
    await rowBySubject(page, 'Tracked m5').click();
    const blocked = await loadedMessageFrame(page, 'blocked');
    expect(await naturalWidth(blocked, '#pixel')).toBe(0);
    expect(tracker.requests.filter((path) => path.endsWith('?m5'))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('/api/messages/:id/html blocks remote content and ignores <base> unless ?remote=1 (which still ignores <base>)', async () => {
    await sendTracked(sink(), 'm6');
    const id = sink().store.latest()!.id;
    const context = await browser().newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${sink().httpUrl}/api/messages/${id}/html`);
      await page.waitForLoadState('load');
      expect(await page.locator('#inline').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
      expect(await page.locator('#pixel').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(0);
      expect(await page.locator('#relative').evaluate((img) => (img as unknown as { src: string }).src)).toBe(`${sink().httpUrl}/api/messages/${id}/relative.png?m6`);
      expect(tracker.requests.filter((path) => path.endsWith('?m6'))).toEqual([]);

      await page.goto(`${sink().httpUrl}/api/messages/${id}/html?remote=1`);
      await page.waitForLoadState('load');
      await Promise.all(['/pixel.png?m6', '/style.css?m6'].map((path) => tracker.requested(path)));
      expect(await page.locator('#pixel').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
      expect(tracker.requests.filter((path) => path.startsWith('/relative.png'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
