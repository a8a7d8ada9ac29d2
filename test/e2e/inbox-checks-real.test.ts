/**
 * The checks in the inbox with real results (needs the merged server side of the auth, HTML,
 * List-Unsubscribe and link checks; on the `ui` branch the checks are stubs and this file fails):
 * a DKIM-signed message whose key is in a `--dns-records` file shows `pass`, the same message with
 * its body changed after signing shows `fail` (body hash), an HTML body with `display:flex` shows
 * Outlook findings, a one-click List-Unsubscribe shows its URI, and `--enable-link-check` checks the
 * links of a message against a loopback HTTP server; a real spamd scores the GTUBE message as spam.
 */
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nodemailer from 'nodemailer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sink } from '../../server/sink.js';
import { openInbox, rowBySubject, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';
import { useSpamdSink } from '../helpers/spamd.js';
import { sendRaw, transport } from '../helpers/smtp.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const SPKI = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
/** The DNS the auth check sees: the DKIM key, a DMARC reject policy, and an SPF policy 127.0.0.1 fails. */
const RECORDS = [
  `s1._domainkey.example.test TXT "v=DKIM1; k=rsa; p=${SPKI}"`,
  '_dmarc.example.test TXT "v=DMARC1; p=reject"',
  'example.test TXT "v=spf1 ip4:192.0.2.1 -all"',
].join('\n');
const BODY = 'The original body, as signed.';

/** A message signed by nodemailer's DKIM signer (d=example.test, s=s1), as CRLF bytes. */
async function signedMessage(subject: string): Promise<Buffer> {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
  const info = await composer.sendMail({
    from: 'News <news@example.test>',
    to: 'dev@example.org',
    subject,
    text: BODY,
    dkim: { domainName: 'example.test', keySelector: 's1', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() },
  });
  return info.message as Buffer;
}

async function chips(page: Page): Promise<(string | null)[]> {
  const chip = (method: string) => page.getByTestId(`auth-chip-${method}`);
  await expect.poll(() => chip('dmarc').getAttribute('data-result')).not.toBe('');
  return Promise.all(['dkim', 'spf', 'dmarc'].map((method) => chip(method).getAttribute('data-result')));
}

/** The cells of each DKIM row in the Authentication tab. */
function dkimRows(page: Page): Promise<string[][]> {
  return page.getByTestId('auth-dkim-row').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}

describe('checks with the merged server side: DKIM, DMARC, SPF, HTML, List-Unsubscribe', () => {
  const write = useTmpFiles();
  const sink = useSink({ dnsRecords: write('records.txt', `${RECORDS}\n`) });
  const browser = useBrowser();
  const envelope = { from: 'news@example.test', to: ['dev@example.org'] };

  it('shows pass for a signed message whose key is in --dns-records', async () => {
    await sendRaw(sink(), envelope, await signedMessage('Signed'));
    const { page, errors } = await openInbox(browser(), sink());
    await rowBySubject(page, 'Signed').click();
    expect(await chips(page)).toEqual(['pass', 'fail', 'pass']);
    await page.getByTestId('auth-summary').click();
    expect((await dkimRows(page)).map((cells) => cells.slice(0, 7))).toEqual([['pass', 'example.test', 's1', 'rsa-sha256', '2048 bits', '—', 'yes']]);
    await expect(page.getByTestId('auth-dmarc-policy').textContent()).resolves.toBe('reject');
    await expect(page.getByTestId('auth-spf-client').textContent()).resolves.toBe('127.0.0.1 (the SMTP client of this message)');
    const header = (await page.getByTestId('auth-results-header').textContent())!;
    expect(header).toMatch(/^Authentication-Results: mailsink;/);
    expect(header).toContain('dkim=pass');
    expect(header).toContain('header.d=example.test');
    expect(header).toContain('spf=fail');
    expect(header).toContain('dmarc=pass');
    expect(errors).toEqual([]);
  });

  it('shows fail (body hash) for the same message with its body changed after signing', async () => {
    const signed = (await signedMessage('Tampered')).toString('utf8');
    expect(signed).toContain(BODY);
    await sendRaw(sink(), envelope, Buffer.from(signed.replace(BODY, 'A body changed on the way.'), 'utf8'));
    const { page, errors } = await openInbox(browser(), sink());
    await rowBySubject(page, 'Tampered').click();
    expect(await chips(page)).toEqual(['fail', 'fail', 'fail']);
    await page.getByTestId('auth-summary').click();
    expect((await dkimRows(page)).map((cells) => [cells[0], cells[1], cells[5]])).toEqual([['fail', 'example.test', 'body-hash']]);
    await expect(page.getByTestId('auth-dmarc-result').textContent()).resolves.toBe('fail');
    expect(errors).toEqual([]);
  });

  it('lists Outlook among the clients without display:flex', async () => {
    await sendMail(sink(), { subject: 'Flex layout', html: '<div style="display:flex"><p>One</p><p>Two</p></div>' });
    const { page, errors } = await openInbox(browser(), sink());
    await rowBySubject(page, 'Flex layout').click();
    await page.getByTestId('tab-html-check').click();
    const flex = page.locator('[data-testid="html-finding"][data-feature="css-display-flex"][data-support="none"]');
    await expect(flex.getByTestId('html-finding-line').textContent()).resolves.toMatch(/^1:\d+$/);
    await expect(flex.getByTestId('html-finding-clients').textContent()).resolves.toContain('outlook.windows');
    const outlook = page.locator('[data-testid="html-check-client"][data-family="outlook"]');
    expect(Number(await outlook.getAttribute('data-score'))).toBeLessThan(100);
    expect(errors).toEqual([]);
  });

  it('shows a one-click List-Unsubscribe in the Authentication tab', async () => {
    const t = transport(sink());
    await t.sendMail({
      from: 'News <news@example.test>',
      to: 'dev@example.org',
      subject: 'Digest',
      text: 'Weekly digest.',
      list: { unsubscribe: 'https://example.test/u/42' },
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    t.close();
    const { page, errors } = await openInbox(browser(), sink());
    await rowBySubject(page, 'Digest').click();
    await page.getByTestId('tab-auth').click();
    await expect(page.getByTestId('unsubscribe-present').textContent()).resolves.toBe('yes');
    await expect(page.getByTestId('unsubscribe-one-click').textContent()).resolves.toBe('yes (RFC 8058)');
    await expect(page.getByTestId('unsubscribe-uris').textContent()).resolves.toContain('https://example.test/u/42');
    expect(errors).toEqual([]);
  });
});

describe('link check with the merged server side and --enable-link-check', () => {
  const sink = useSink({ enableLinkCheck: true });
  const browser = useBrowser();
  let server: http.Server;
  let base = '';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url === '/ok') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      else if (req.url === '/old') res.writeHead(301, { location: '/ok' }).end();
      else res.writeHead(404, { 'content-type': 'text/plain' }).end('missing');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('checks each link on request: status, redirect, failure', async () => {
    const s: Sink = sink();
    await sendMail(s, { subject: 'Links', html: `<a href="${base}/ok">ok</a> <a href="${base}/old">old</a> <a href="${base}/gone">gone</a>` });
    const { page, errors } = await openInbox(browser(), s);
    await rowBySubject(page, 'Links').click();
    await page.getByTestId('tab-links').click();
    await page.getByTestId('links-run').click();
    await expect(page.getByTestId('links-summary').textContent()).resolves.toBe('3 checked · 1 error');
    // The row whose checked URL (not a redirect hop) is base + path.
    const row = (path: string) => page.getByTestId('link-row').filter({ has: page.locator(`td.check-url > code:text-is("${base}${path}")`) });
    await expect(row('/ok').getAttribute('data-ok')).resolves.toBe('true');
    await expect(row('/ok').getByTestId('link-status').textContent()).resolves.toBe('200 OK');
    await expect(row('/old').getByTestId('link-status').textContent()).resolves.toBe('200 OK');
    await expect(row('/old').getByTestId('link-final').textContent()).resolves.toBe(`final: ${base}/ok`);
    await expect(row('/gone').getAttribute('data-ok')).resolves.toBe('false');
    await expect(row('/gone').getByTestId('link-status').textContent()).resolves.toBe('404 Not Found');
    expect(errors).toEqual([]);
  });
});

describe('the Spam tab with a real spamd (Debian spamd, offline rules)', () => {
  const GTUBE = 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X';
  const browser = useBrowser();
  const started = useSpamdSink();

  it('scores the GTUBE message as spam with its rules, and a plain one as not spam', async () => {
    const { spamd, sink: s } = await started();
    await sendMail(s, { subject: 'Offer', text: `Hello,\n\n${GTUBE}\n` });
    await sendMail(s, { subject: 'Lunch', text: 'Shall we meet at noon on Thursday?\n' });
    const { page, errors } = await openInbox(browser(), s);
    await rowBySubject(page, 'Offer').click();
    await page.getByTestId('tab-spam').click();
    await page.getByTestId('spam-run').click();
    await expect(page.getByTestId('spam-verdict').textContent()).resolves.toBe('spam');
    await expect(page.getByTestId('spam-score').textContent()).resolves.toBe(`1000 / 5 spam · spamd ${spamd.address}`);
    const rules = await page.getByTestId('spam-rule').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent)));
    expect(rules[0]).toEqual(['GTUBE', '1000', 'BODY: Generic Test for Unsolicited Bulk Email']);

    await rowBySubject(page, 'Lunch').click();
    await page.getByTestId('tab-spam').click();
    await page.getByTestId('spam-run').click();
    await expect(page.getByTestId('spam-verdict').textContent()).resolves.toBe('not spam');
    const score = Number((await page.getByTestId('spam-score').locator('.check-score-value').textContent()) ?? 'NaN');
    expect(score).toBeLessThan(5);
    expect(errors).toEqual([]);
  });
});
