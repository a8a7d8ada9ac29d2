/**
 * A file of hostile messages — script in the HTML body, SVG (inline and as attachments), markup in
 * the subject, sender name and file names, `javascript:` links, `<meta refresh>`, CSS
 * `expression()` and `javascript:` URLs in styles, forms, frames and plugins — opened in headless
 * Chromium in every view of the inbox, clicked and hovered, and the API's own URLs for them opened
 * directly. Every payload, if it ran, would open a dialog, fetch `/__pwned/<tag>` and mark
 * `window.__pwned` of its own and the top frame: none of that may happen in any frame or popup.
 */
import type { BrowserContext, Download, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { MessageDetail } from '../../server/contract.js';
import { launchBrowser } from '../helpers/browser.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

/** What a payload does when it runs: every trace is looked for. */
const pwn = (tag: string) => `try{top.__pwned=(top.__pwned||[]).concat('${tag}')}catch(e){};window.__pwned=['${tag}'];fetch('/__pwned/${tag}').catch(function(){});alert('${tag}')`;

const SUBJECT = `<script>${pwn('subject')}</script><img src=x onerror="${pwn('subject-img')}"> Invoice`;
const SENDER = `<img src=x onerror="${pwn('from')}">`;
const SVG = `<svg xmlns="http://www.w3.org/2000/svg" onload="${pwn('svg-file-onload')}"><script>${pwn('svg-file-script')}</script><rect width="10" height="10"/></svg>`;

const HTML = `<!doctype html><html><head>
<meta http-equiv="refresh" content="0;url=javascript:${pwn('meta-js')}">
<meta http-equiv="refresh" content="0;url=/__pwned/meta-refresh">
<base href="javascript:${pwn('base')}//">
<style>body { background: url("javascript:${pwn('css-url')}"); } .x { width: expression(${pwn('css-expression')}); }</style>
<link rel="stylesheet" href="javascript:${pwn('link-css')}">
<script>${pwn('script')}</script>
</head><body onload="${pwn('body-onload')}">
<p id="marker">hostile html</p>
<img src="x" onerror="${pwn('img-onerror')}" alt="broken">
<svg onload="${pwn('svg-inline-onload')}"><script>${pwn('svg-inline-script')}</script><a href="javascript:${pwn('svg-link')}"><text y="20">svg link</text></a></svg>
<div style="width: expression(${pwn('style-expression')}); background-image: url('javascript:${pwn('style-url')}')">styled</div>
<a id="js-link" href="javascript:${pwn('link')}">javascript link</a>
<a id="js-top" href="javascript:${pwn('link-top')}" target="_top">javascript link to top</a>
<a id="entity-link" href="jav&#x09;ascript:${pwn('entity-link').replace(/'/g, '&#39;')}">entity-encoded javascript link</a>
<a id="html-link" href="/api/messages/latest/html">open this HTML on its own</a>
<form id="form" action="/__pwned/form" method="post"><input name="q" value="x"><button id="form-submit" type="submit">Submit form</button></form>
<form action="javascript:${pwn('form-js')}"><button id="form-js-submit">Submit js form</button></form>
<iframe src="javascript:${pwn('iframe-js')}"></iframe>
<iframe srcdoc="<script>${pwn('iframe-srcdoc').replace(/"/g, '&quot;')}</script>"></iframe>
<object data="javascript:${pwn('object')}"></object>
<embed src="javascript:${pwn('embed')}">
<math><mtext><a xlink:href="javascript:${pwn('math')}">math link</a></mtext></math>
<details open ontoggle="${pwn('details')}"><summary>details</summary></details>
<input autofocus onfocus="${pwn('autofocus')}">
</body></html>`;

const TEXT = `javascript:${pwn('text-link')}\n<script>${pwn('text-script')}</script>\nhttps://example.com/ok`;

const MARKER_PAGE_SCRIPT = `(() => { try { return window.__pwned ?? null } catch { return 'unreadable' } })()`;

interface Watch {
  dialogs: string[];
  beacons: string[];
  errors: string[];
  popups: Page[];
}

function watch(context: BrowserContext, page: Page): Watch {
  const w: Watch = { dialogs: [], beacons: [], errors: [], popups: [] };
  const track = (p: Page) => {
    p.on('dialog', (dialog) => {
      w.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    p.on('pageerror', (error) => w.errors.push(error.message));
  };
  track(page);
  context.on('page', (popup) => {
    w.popups.push(popup);
    track(popup);
  });
  context.on('request', (request) => {
    // Only a payload that runs (or a refresh/form that goes through) asks for /__pwned/. Chromium also lists
    // `javascript:` URLs used as CSS resources as requests; they fail and run nothing.
    if (new URL(request.url(), 'http://x').pathname.startsWith('/__pwned/')) w.beacons.push(`${request.method()} ${request.url()}`);
  });
  return w;
}

/**
 * `window.__pwned` of a frame, or `null`. A frame that never got a document (an `<iframe
 * src="javascript:…">` under a sandbox) has no JavaScript context to read: Playwright would wait
 * for one forever, so such a frame counts as clean after 2 s (nothing can have run in it).
 */
function readMarker(frame: Frame): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const noContext = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), 2_000)));
  return Promise.race([frame.evaluate(MARKER_PAGE_SCRIPT).catch(() => null), noContext]).finally(() => clearTimeout(timer));
}

/** `window.__pwned` of every frame of every page in the context (where readable). */
async function markers(context: BrowserContext): Promise<string[]> {
  const found: string[] = [];
  for (const page of context.pages()) {
    for (const frame of page.frames()) {
      const value = await readMarker(frame);
      if (value !== null) found.push(`${JSON.stringify(value)} in ${frame.url()}`);
    }
  }
  return found;
}

async function clickAll(frame: Frame | Page, selector: string): Promise<void> {
  for (const element of await frame.locator(selector).all()) {
    await element.hover({ timeout: 500 }).catch(() => undefined);
    await element.click({ timeout: 500, noWaitAfter: true }).catch(() => undefined);
  }
}

describe('hostile messages never run script in the inbox origin', () => {
  const sink = useSink();
  let browser: Browser;
  let detail: MessageDetail;

  beforeAll(async () => {
    browser = await launchBrowser();
    const t = transport(sink());
    const info = await t.sendMail({
      from: { name: SENDER, address: 'evil@example.com' },
      to: 'victim@example.org',
      subject: SUBJECT,
      text: TEXT,
      html: HTML,
      attachments: [
        { filename: `<img src=x onerror="${pwn('filename')}">.svg`, content: SVG, contentType: 'image/svg+xml' },
        { filename: '../../"evil".html', content: `<script>${pwn('html-file')}</script>`, contentType: 'text/html' },
      ],
    });
    t.close();
    detail = await api<MessageDetail>(sink(), `/api/messages/${info.response.split(' ').pop()}`);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('in the list, the message header and every tab, hovered and clicked', { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const w = watch(context, page);
    try {
      await page.goto(`${sink().httpUrl}/`);
      await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
      const row = page.getByTestId('message-row').first();
      await row.waitFor();
      expect(await row.getByTestId('row-subject').textContent()).toBe(SUBJECT);
      expect(await row.getByTestId('row-from').textContent()).toBe(SENDER);
      await row.hover();
      await row.click();
      await expect.poll(() => page.getByTestId('detail-subject').textContent()).toBe(SUBJECT);

      // HTML tab: the sandboxed frame shows the body; click and hover everything in it.
      const frameElement = page.getByTestId('html-frame');
      await frameElement.waitFor();
      const inner = page.frameLocator('[data-testid="html-frame"]');
      await inner.locator('#marker').waitFor();
      const frame = page.frames().find((f) => f.url() === 'about:srcdoc')!;
      expect(frame).toBeDefined();
      await clickAll(frame, 'a, button, svg, img, details, input, div');
      expect(page.url()).toBe(`${sink().httpUrl}/#/messages/${detail.id}`);
      expect(frame.url()).toBe('about:srcdoc');

      for (const tab of ['tab-text', 'tab-source', 'tab-headers', 'tab-raw', 'tab-attachments']) {
        await page.getByTestId(tab).click();
        await clickAll(page, '[data-testid="tab-panel"] a:not([data-testid="attachment-link"]), [data-testid="tab-panel"] img');
      }
      expect(await page.getByTestId('attachment-name').allTextContents()).toEqual(detail.attachments.map((a) => a.filename));
      const downloads: Download[] = [];
      for (const link of await page.getByTestId('attachment-link').all()) {
        const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
        downloads.push(download);
      }
      expect(downloads.map((d) => d.suggestedFilename())).toEqual(detail.attachments.map((a) => a.safeFilename));
      for (const name of downloads.map((d) => d.suggestedFilename())) expect(name).not.toMatch(/[/\\<>"]/);
      for (const popup of w.popups) await popup.waitForLoadState().catch(() => undefined);
      expect(await markers(context)).toEqual([]);
      expect(w.dialogs).toEqual([]);
      expect(w.beacons).toEqual([]);
      expect(w.errors).toEqual([]);
      expect(await page.locator('img[src="x"], script:not([src])').count()).toBe(0);
      expect(w.popups.map((p) => p.url()).filter((url) => url.startsWith('javascript:'))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the API URLs of the hostile parts, opened directly, run nothing (sandbox CSP, downloads)', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const w = watch(context, page);
    try {
      const m = `${sink().httpUrl}/api/messages/${detail.id}`;
      for (const path of ['/html', '/text']) {
        const res = await page.goto(m + path);
        expect(res?.status(), path).toBe(200);
        expect(await readMarker(page.mainFrame()), path).toBeNull();
      }
      await page.goto(`${m}/html`);
      await clickAll(page, 'a, button, svg, img, input');
      for (const part of [`/attachments/${detail.attachments[0]!.partId}`, `/attachments/${detail.attachments[1]!.partId}`, '/raw?download=1']) {
        const [download] = await Promise.all([page.waitForEvent('download'), page.goto(m + part).catch(() => null)]);
        expect(download.suggestedFilename(), part).not.toMatch(/[/\\<>"]/);
      }
      expect(await markers(context)).toEqual([]);
      expect(w.dialogs).toEqual([]);
      expect(w.beacons).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('control: the probes do see a payload that runs', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const w = watch(context, page);
    try {
      // A page of the sink's origin served without mailsink's headers: here the payload does run.
      await page.route(`${sink().httpUrl}/control`, (route) => route.fulfill({ contentType: 'text/html', body: `<script>${pwn('control')}</script>` }));
      await page.goto(`${sink().httpUrl}/control`);
      await expect.poll(() => w.beacons.length).toBe(1);
      expect(w.dialogs).toEqual(['alert: control']);
      expect(await markers(context)).toEqual([`["control"] in ${page.url()}`]);
    } finally {
      await context.close();
    }
  });
});
