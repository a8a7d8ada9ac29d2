/**
 * `GET /api/messages/:id/checks/list-unsubscribe` on mail sent by nodemailer (a client we did not
 * write): absent, mailto only, https with RFC 8058 one-click (DKIM-signed by nodemailer and not),
 * one-click without an https URI, and malformed values.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ListUnsubscribeCheck } from '../../server/checks/types.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const sink = useSink();
const ONE_CLICK = 'List-Unsubscribe=One-Click';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

/** Sends a message with these header fields (and options such as `dkim`), then runs the check on it. */
async function check(headers: Record<string, string>, options: Record<string, unknown> = {}): Promise<ListUnsubscribeCheck> {
  const t = transport(sink());
  const info = await t.sendMail({ from: 'News <news@news.example.test>', to: 'reader@example.test', subject: 'Weekly', text: 'Hello', headers, ...options });
  t.close();
  return api<ListUnsubscribeCheck>(sink(), `/api/messages/${String(info.response).split(' ').pop()}/checks/list-unsubscribe`);
}

describe('List-Unsubscribe check', () => {
  it('reports a message without List-Unsubscribe', async () => {
    expect(await check({})).toEqual({
      present: false, header: null, post: null, oneClick: false, uris: [], ok: false,
      findings: [{ level: 'warning', message: 'No List-Unsubscribe header: receivers (Gmail, Yahoo) expect one on bulk mail' }],
    });
  });

  it('accepts a mailto: URI alone and says one-click is not offered', async () => {
    const header = '<mailto:unsubscribe@news.example.test?subject=unsubscribe>';
    expect(await check({ 'List-Unsubscribe': header })).toEqual({
      present: true, header, post: null, oneClick: false, ok: true,
      uris: [{ uri: 'mailto:unsubscribe@news.example.test?subject=unsubscribe', scheme: 'mailto', valid: true }],
      findings: [{ level: 'info', message: 'No List-Unsubscribe-Post: one-click unsubscribe (RFC 8058) is not offered' }],
    });
  });

  it('accepts https with one-click, and reads the DKIM h= tag nodemailer signed', async () => {
    const header = '<mailto:u@news.example.test>, <https://news.example.test/u?id=42>';
    const headers = { 'List-Unsubscribe': header, 'List-Unsubscribe-Post': ONE_CLICK };
    const uris = [
      { uri: 'mailto:u@news.example.test', scheme: 'mailto', valid: true },
      { uri: 'https://news.example.test/u?id=42', scheme: 'https', valid: true },
    ];
    const dkim = { domainName: 'news.example.test', keySelector: 's1', privateKey, headerFieldNames: 'From:To:Subject:List-Unsubscribe:List-Unsubscribe-Post' };
    expect(await check(headers, { dkim })).toEqual({
      present: true, header, post: ONE_CLICK, oneClick: true, uris, ok: true,
      findings: [
        { level: 'info', message: 'One-click unsubscribe (RFC 8058) is offered' },
        { level: 'info', message: 'List-Unsubscribe and List-Unsubscribe-Post are in the h= list of a DKIM signature (d=news.example.test; whether it verifies: the auth check)' },
      ],
    });
    const notCovered = await check(headers, { dkim: { ...dkim, headerFieldNames: 'From:To:Subject' } });
    expect(notCovered.findings[1]).toEqual({ level: 'warning', message: 'No DKIM signature covers both List-Unsubscribe and List-Unsubscribe-Post (h= tag; RFC 8058 §4)' });
    expect(notCovered.ok).toBe(true);
    const unsigned = await check(headers);
    expect(unsigned.findings[1]).toEqual({
      level: 'warning', message: 'No DKIM signature: receivers ignore one-click unless DKIM covers List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 §4)',
    });
    expect({ ok: unsigned.ok, oneClick: unsigned.oneClick }).toEqual({ ok: true, oneClick: true });
  });

  it('refuses one-click without an https URI, and warns about http:', async () => {
    const header = '<mailto:u@news.example.test>, <http://news.example.test/u>';
    expect(await check({ 'List-Unsubscribe': header, 'List-Unsubscribe-Post': ONE_CLICK })).toEqual({
      present: true, header, post: ONE_CLICK, oneClick: false, ok: false,
      uris: [{ uri: 'mailto:u@news.example.test', scheme: 'mailto', valid: true }, { uri: 'http://news.example.test/u', scheme: 'http', valid: true }],
      findings: [
        { level: 'warning', message: '<http://news.example.test/u> uses http: unencrypted; use https' },
        { level: 'error', message: 'One-click unsubscribe needs an https URI in List-Unsubscribe (RFC 8058 §3.1)' },
      ],
    });
  });

  it('reports a bare URL, a broken mailto: and a wrong List-Unsubscribe-Post', async () => {
    const header = 'https://news.example.test/u?id=1, <mailto:nobody>';
    expect(await check({ 'List-Unsubscribe': header, 'List-Unsubscribe-Post': 'One-Click' })).toEqual({
      present: true, header, post: 'One-Click', oneClick: false, ok: false,
      uris: [{ uri: 'https://news.example.test/u?id=1', scheme: 'https', valid: false }, { uri: 'mailto:nobody', scheme: 'mailto', valid: false }],
      findings: [
        { level: 'error', message: 'https://news.example.test/u?id=1 is not in angle brackets: List-Unsubscribe takes <URI>, comma-separated (RFC 2369)' },
        { level: 'error', message: '<mailto:nobody> is not a valid mailto: URI' },
        { level: 'error', message: 'List-Unsubscribe-Post must be exactly "List-Unsubscribe=One-Click" (RFC 8058 §3.1)' },
      ],
    });
    expect((await check({ 'List-Unsubscribe': ' (comment only) ' })).findings).toEqual([
      { level: 'error', message: 'List-Unsubscribe is empty: expected one or more <URI> (RFC 2369)' },
      { level: 'info', message: 'No List-Unsubscribe-Post: one-click unsubscribe (RFC 8058) is not offered' },
    ]);
  });

  it('answers 404 for an unknown message', async () => {
    const res = await fetch(`${sink().httpUrl}/api/messages/nope/checks/list-unsubscribe`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'not_found', message: 'no message with id "nope"', field: 'id' } });
  });
});
