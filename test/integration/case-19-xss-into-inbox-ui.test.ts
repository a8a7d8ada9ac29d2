/**
 * Case 19 (shared/cases/19-xss-into-inbox-ui.md), API level: hostile subject, sender name, HTML
 * body and attachment name come back unmodified as data; the HTML endpoint is sandboxed by CSP and
 * the attachment download cannot be sniffed into something that runs.
 *
 * covered elsewhere (UI/browser e2e feature): loading the inbox in a real browser, visiting every
 * view, hovering/clicking links and checking that no `window.__xss_*` marker is set; the iframe's
 * `sandbox` attribute; subject/sender/attachment name inserted as text (DOM `textContent`); any
 * linkified plain-text HTML escaping the `"` in the URL.
 */
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { dispositionFilename, queuedId, readCaseEml, sha256 } from '../helpers/cases.js';
import { api, fetchBytes, useSink } from '../helpers/sink.js';
import { sendRaw } from '../helpers/smtp.js';

const EML = {
  eml: '19-xss-into-inbox-ui.eml',
  sizeBytes: 1019,
  sha256: 'be91252942792d7297d63ab7f4b160cd58208a7901a025fdbd21cb5b1f02c508',
};
const ATTACHMENT_NAME = '"><img src=x onerror=window.__xss_att=1>.txt';

/** CSP directives by name, each with its lowercased source tokens. */
function cspDirectives(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const directive of header.split(';')) {
    const [name, ...values] = directive.trim().toLowerCase().split(/\s+/);
    if (name && !directives.has(name)) directives.set(name, values);
  }
  return directives;
}

describe('case 19: script injection (API level)', () => {
  const sink = useSink();
  let detail: MessageDetail;

  it('returns subject, sender name and attachment name unmodified', async () => {
    const info = await sendRaw(sink(), { from: 'billing@example.com', to: ['victim@example.org'] }, readCaseEml(EML));
    expect(info.response).toMatch(/^250 /);
    detail = await api<MessageDetail>(sink(), `/api/messages/${queuedId(info.response)}`);
    expect(detail.envelope).toMatchObject({ mailFrom: 'billing@example.com', rcptTo: ['victim@example.org'] });
    expect(detail.subject).toBe('<script>window.__xss_subject=1</script> Invoice 77');
    expect(detail.from).toEqual([{ name: '<img src=x onerror=window.__xss_from=1>', address: 'billing@example.com' }]);
    expect(detail.text).toContain('Pay here: https://pay.example.com/?q="onmouseover="window.__xss_link=1"');
    expect(detail.attachments).toHaveLength(1);
    expect(detail.attachments[0]).toMatchObject({ filename: ATTACHMENT_NAME, sizeBytes: 15, sha256: sha256('attachment body') });
  });

  it('serves the attachment with a safe Content-Disposition, text/plain and nosniff', async () => {
    const download = await fetchBytes(sink(), detail.attachments[0]!.url);
    expect(download.status).toBe(200);
    expect(download.body.toString('utf8')).toBe('attachment body');
    expect(download.headers.get('content-type')?.split(';')[0]).toBe('text/plain');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = download.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment;/);
    // Every `"` inside a quoted filename is escaped, so the header has no stray parameter.
    expect(disposition.replace(/\\./g, '')).toMatch(/^attachment(; filename="[^"]*")?(; filename\*=UTF-8''[\w%!'()*.~-]*)?$/);
    const filename = dispositionFilename(disposition)!;
    expect(filename).toBe(detail.attachments[0]!.safeFilename);
    expect(filename).not.toMatch(/["<>/\\]/);
    expect(filename).toMatch(/\.txt$/);
  });

  it('serves the HTML body under a CSP with sandbox and no script allowance', async () => {
    const html = await fetchBytes(sink(), `/api/messages/${detail.id}/html`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.body.toString('utf8')).toContain('<svg/onload=window.__xss_svg=1>'); // data unmodified: the CSP is the guard
    const csp = cspDirectives(html.headers.get('content-security-policy') ?? '');
    expect(csp.has('sandbox')).toBe(true);
    expect(csp.get('sandbox')).not.toContain('allow-scripts');
    expect(csp.get('sandbox')).not.toContain('allow-same-origin');
    const scriptSources = csp.get('script-src') ?? csp.get('default-src');
    expect(scriptSources).toEqual(["'none'"]);
    for (const directive of ['script-src-elem', 'script-src-attr']) expect(csp.get(directive) ?? ["'none'"], directive).toEqual(["'none'"]);
  });
});
