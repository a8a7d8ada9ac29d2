/**
 * DNS rebinding in a real browser: Chromium resolves `evil.example` to 127.0.0.1
 * (`--host-resolver-rules`), and the attacker's page at `http://evil.example:<sink port>/` (served
 * by a route, as the attacker's server would before the name is re-pointed) then calls the sink
 * from its own origin: it reads the list, deletes everything and opens the WebSocket. The sink
 * must refuse all of it; with `--allowed-host *` (the check off) the same page succeeds, which
 * shows the probe works. Chromium's own Private Network Access checks are turned off: Firefox and
 * Safari have none, and the sink must not rely on one browser's.
 */
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sink } from '../../server/sink.js';
import { CHROMIUM_PATH } from '../helpers/browser.js';
import { sendMail } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';

const ATTACK = `<!doctype html><script>
window.result = (async () => {
  const list = await fetch('/api/messages').then(async (r) => ({ status: r.status, body: await r.text() }), (e) => ({ status: 0, body: String(e) }));
  const del = await fetch('/api/messages', { method: 'DELETE' }).then((r) => r.status, () => 0);
  const ws = await new Promise((resolve) => {
    const socket = new WebSocket('ws://' + location.host + '/api/events', 'mailsink.v1');
    socket.onmessage = (event) => { resolve('open: ' + event.data.slice(0, 15)); socket.close(); };
    socket.onerror = () => resolve('refused');
  });
  return { list, del, ws };
})();
</script>`;

interface AttackResult {
  list: { status: number; body: string };
  del: number;
  ws: string;
}

async function attack(browser: Browser, sink: Sink): Promise<AttackResult> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const url = `http://evil.example:${sink.httpPort}/`;
    await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: ATTACK }));
    await page.goto(url);
    return (await page.evaluate('window.result')) as AttackResult;
  } finally {
    await context.close();
  }
}

describe('DNS rebinding from a web page', () => {
  const guarded = useSink();
  const open = useSink({ allowedHosts: ['*'] });
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP evil.example 127.0.0.1', '--disable-features=BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights,PrivateNetworkAccessRespectPreflightResults,LocalNetworkAccessChecks'],
    });
  });
  afterAll(() => browser?.close());

  it('the page can neither read, delete nor subscribe', async () => {
    await sendMail(guarded(), { subject: 'Password reset', text: 'code 424242' });
    const result = await attack(browser, guarded());
    expect(result.list.status).toBe(403);
    expect(JSON.parse(result.list.body)).toMatchObject({ error: { code: 'host_not_allowed', field: 'Host' } });
    expect(result.list.body).not.toContain('Password reset');
    expect(result.del).toBe(403);
    expect(result.ws).toBe('refused');
    expect(guarded().store.size).toBe(1);
  });

  it('control: with --allowed-host * the same page reads and deletes the mail', async () => {
    await sendMail(open(), { subject: 'Password reset', text: 'code 424242' });
    const result = await attack(browser, open());
    expect(result.list.status).toBe(200);
    expect(result.list.body).toContain('"subject":"Password reset"');
    expect(result.del).toBe(204);
    expect(result.ws).toBe('open: {"type":"hello"');
    expect(open().store.size).toBe(0);
  });
});
