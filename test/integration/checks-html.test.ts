/**
 * `GET /api/messages/:id/checks/html` and Mailpit's `GET /api/v1/message/{ID}/html-check` (through
 * the unchanged `mailpit-api` client) on mail sent by nodemailer. Expected values are caniemail
 * 1.0.5's data (2025-09-09): `display:flex` is `n` for Outlook Windows 2019 and Windows Mail, and
 * for Orange; `background-image` is `n #5` for Outlook Windows; `padding` is `a #1 #2` there.
 */
import { MailpitClient } from 'mailpit-api';
import { describe, expect, it } from 'vitest';
import type { HtmlCheck } from '../../server/checks/types.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const sink = useSink();
const DATA = 'caniemail@1.0.5 (data 2025-09-09)';

/** Flexbox in a `<style>` in the head and inline, a second `<style>` in the body with a background image. */
const OUTLOOK_HOSTILE = [
  '<!DOCTYPE html>',
  '<html><head>',
  '<style>',
  '.row { display: flex; }',
  '</style>',
  '</head><body>',
  '<div class="row" style="display:flex">A</div>',
  '<style>p { background-image: url(https://x.example/bg.png); }</style>',
  '<p>B</p>',
  '</body></html>',
].join('\n');

async function send(mail: { subject: string; html?: string; text?: string }): Promise<string> {
  const t = transport(sink());
  const info = await t.sendMail({ from: 'a@example.test', to: 'html-check@example.test', ...mail });
  t.close();
  return String(info.response).split(' ').pop()!;
}

const check = (id: string) => api<HtmlCheck>(sink(), `/api/messages/${id}/checks/html`);

describe('HTML compatibility check', () => {
  it('places every finding at its line and column, inside <style> elements too, with the exact clients', async () => {
    const result = await check(await send({ subject: 'flex', html: OUTLOOK_HOSTILE }));
    expect(result.findings.map((f) => `${f.line}:${f.column} ${f.feature} ${f.support}`)).toEqual([
      '3:1 html-style none', '3:1 html-style partial',
      '4:1 css-selector-class none', '4:1 css-selector-class partial',
      '4:8 css-display partial', '4:8 css-display-flex none', '4:8 css-display-flex partial',
      '6:8 html-body none', '6:8 html-body partial',
      '7:1 css-display partial', '7:1 css-display-flex none', '7:1 css-display-flex partial',
      '8:1 html-style none', '8:1 html-style partial',
      '8:8 css-selector-type none', '8:8 css-selector-type partial',
      '8:12 css-background partial', '8:12 css-background-image none', '8:12 css-background-image partial',
    ]);
    const flexNone = result.findings.filter((f) => f.feature === 'css-display-flex' && f.support === 'none');
    for (const finding of flexNone) {
      expect(finding).toEqual({
        feature: 'css-display-flex', title: 'display:flex', category: 'css', support: 'none', line: finding.line, column: finding.column,
        clients: ['orange.android', 'orange.desktop-webmail', 'orange.ios', 'outlook.windows', 'outlook.windows-mail'], notes: [],
      });
    }
    const image = result.findings.find((f) => f.feature === 'css-background-image' && f.support === 'none')!;
    expect(image.clients).toEqual(['outlook.windows', 'outlook.windows-mail']);
    expect(image.notes).toHaveLength(1);
    expect(result.findings.find((f) => f.line === 8 && f.feature === 'html-style' && f.support === 'partial')!.clients).toContain('outlook.windows');
    // 8 features × 5 Outlook platforms; lost: none 1 each (flex ×2, background-image ×2, <body> on macOS), partial ½ each (8) → 77.5.
    expect(result.clients.find((c) => c.family === 'outlook')).toEqual({
      family: 'outlook', name: 'Outlook', platforms: ['windows', 'windows-mail', 'macos', 'ios', 'android'], score: 78, unsupported: 3, partial: 3,
    });
    expect(result.clients.find((c) => c.family === 'apple-mail')).toEqual({ family: 'apple-mail', name: 'Apple Mail', platforms: ['macos', 'ios'], score: 100, unsupported: 0, partial: 0 });
    expect({ hasHtml: result.hasHtml, score: result.score, nodes: result.nodes, errors: result.errors, dataVersion: result.dataVersion }).toEqual({
      hasHtml: true, score: 75, nodes: 5, errors: [], dataVersion: DATA,
    });
  });

  it('finds nothing Outlook lacks in a plain table layout', async () => {
    const result = await check(await send({ subject: 'table', html: '<table><tr><td style="padding:8px">Hello</td></tr></table>' }));
    expect(result.findings).toEqual([{
      feature: 'css-padding', title: 'padding', category: 'css', support: 'partial', line: 1, column: 12,
      clients: ['outlook.windows', 'outlook.windows-mail'], notes: result.findings[0]!.notes,
    }]);
    expect(result.findings[0]!.notes).toHaveLength(2);
    expect(result.findings.filter((f) => f.support === 'none')).toEqual([]);
    expect(result.clients.find((c) => c.family === 'outlook')).toMatchObject({ score: 80, unsupported: 0, partial: 1 }); // 1 feature × 5 platforms, partial (½) on 2: 100 − 100·1/5
    expect(result.score).toBe(97); // 100 − 100·1/32, rounded
  });

  it('reports a message without HTML, and CSS it cannot parse', async () => {
    const result = await check(await send({ subject: 'text', text: 'plain' }));
    expect(result).toEqual({ hasHtml: false, score: 100, clients: result.clients, findings: [], nodes: 0, errors: [], dataVersion: DATA });
    expect(result.clients.map((c) => `${c.family}:${c.score}`)).toEqual([
      'apple-mail:100', 'gmail:100', 'orange:100', 'outlook:100', 'yahoo:100', 'aol:100', 'samsung-email:100', 'sfr:100',
      'thunderbird:100', 'protonmail:100', 'hey:100', 'mail-ru:100', 'fastmail:100', 'laposte:100',
    ]);
    const broken = await check(await send({ subject: 'broken', html: '<p style="/*">a</p>\n<div style="display:flex">b</div>\n<div><style>a{</style></div>' }));
    expect(broken.errors).toEqual(['style="" of <p> at line 1, column 1 could not be parsed', "<style> at line 3, column 13 could not be parsed: missing '}'"]);
    expect(broken.findings.filter((f) => f.support === 'none').map((f) => `${f.line}:${f.column} ${f.feature}`)).toEqual(['2:1 css-display-flex', '3:6 html-style']);
  });

  it('refuses an HTML body over 512 Ki characters with 409 (Mailpit: 400)', async () => {
    const id = await send({ subject: 'huge', html: `<p>${'x'.repeat(512 * 1024)}</p>` });
    const res = await fetch(`${sink().httpUrl}/api/messages/${id}/checks/html`);
    expect(res.status).toBe(409);
    // <p></p> and the line break that ends the MIME part.
    const message = `the HTML body has ${512 * 1024 + 8} characters; the HTML check reads at most ${512 * 1024}`;
    expect(await res.json()).toEqual({ error: { code: 'check_unavailable', message } });
    await expect(new MailpitClient(sink().httpUrl).htmlCheck(id)).rejects.toThrow(`400 Bad Request at GET ${sink().httpUrl}/api/v1/message/${id}/html-check: ${message}`);
  });

  it("answers Mailpit's html-check through the mailpit-api client", async () => {
    const id = await send({ subject: 'mailpit flex', html: OUTLOOK_HOSTILE });
    const mailpit = new MailpitClient(sink().httpUrl);
    const answer = await mailpit.htmlCheck(id);
    // Nodes 5; worst weighted: display-flex unsupported 20 of 62 results × 2 found, display partial 20 of 46 × 2.
    const unsupported = (((100 * 20) / 62) * 2) / 5;
    const partial = (((100 * 20) / 46) * 2) / 5;
    expect(answer.Total).toEqual({ Tests: 302, Nodes: 5, Supported: 100 - partial - unsupported, Partial: partial, Unsupported: unsupported });
    expect(answer.Warnings.map((w) => `${w.Slug} ${w.Score.Found}`)).toEqual([
      'css-display 2', 'css-display-flex 2', 'html-style 2', 'html-body 1', 'css-background 1', 'css-background-image 1', 'css-selector-type 1', 'css-selector-class 1',
    ]);
    const flex = answer.Warnings.find((w) => w.Slug === 'css-display-flex')!;
    expect(flex.Score).toEqual({ Found: 2, Supported: (100 * 38) / 62, Partial: (100 * 4) / 62, Unsupported: (100 * 20) / 62 });
    expect(flex.Results.find((r) => r.Family === 'outlook' && r.Version === '2019')).toEqual({
      Name: 'Outlook Windows (2019)', Platform: 'windows', Family: 'outlook', Version: '2019', Support: 'no', NoteNumber: '',
    });
    expect(flex.NotesByNumber['2']).toBe('<code>display:inline-flex</code> is not supported.');
    expect({ Title: flex.Title, Category: flex.Category, URL: flex.URL }).toEqual({ Title: 'display:flex', Category: 'css', URL: 'https://www.caniemail.com/features/css-display-flex/' });
    expect(answer.Platforms['windows']).toEqual(['Mozilla Thunderbird', 'Outlook']);
    expect((await mailpit.htmlCheck('latest')).Total).toEqual(answer.Total);

    // An at-rule (caniemail places none) at its own line and column; a feature whose data has no description.
    const supports = await send({ subject: 'supports', html: '<html><head><style>\np { color: red; }\n  @supports (display: grid) { p { color: blue; } }\n</style></head></html>' });
    const own = await check(supports);
    expect(own.findings.filter((f) => f.feature === 'css-at-supports').map((f) => `${f.line}:${f.column} ${f.support}`)).toEqual(['3:3 none']);
    expect(own.findings.find((f) => f.feature === 'css-at-supports')!.clients).toEqual([
      'fastmail.desktop-webmail', 'gmail.android', 'gmail.desktop-webmail', 'gmail.ios', 'gmail.mobile-webmail', 'laposte.desktop-webmail', 'mail-ru.desktop-webmail',
      'outlook.android', 'outlook.ios', 'outlook.windows', 'outlook.windows-mail', 'protonmail.desktop-webmail', 'protonmail.ios', 'sfr.android', 'sfr.desktop-webmail', 'sfr.ios', 'thunderbird.macos',
    ]);
    const atSupports = (await mailpit.htmlCheck(supports)).Warnings.find((w) => w.Slug === 'css-at-supports')!;
    expect({ Description: atSupports.Description, Found: atSupports.Score.Found }).toEqual({ Description: '', Found: 1 });

    const textOnly = await send({ subject: 'no html', text: 'plain' });
    await expect(mailpit.htmlCheck(textOnly)).rejects.toThrow(/400 Bad Request.*message does not contain HTML/);
    await expect(mailpit.htmlCheck('no-such-id')).rejects.toThrow(/404 Not Found.*404 page not found/);
  });
});
