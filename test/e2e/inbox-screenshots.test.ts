/**
 * Screenshots for a reviewer: the list and an open message, in light and dark mode, on a desktop
 * (1400×900) and a phone (390×844), saved under test/e2e/screenshots/ (git-ignored). With
 * UPDATE_DOCS_SCREENSHOT=1 the open message also replaces docs/inbox-{desktop,phone}-{light,dark}.png (and the
 * phone's list docs/inbox-phone-list-{light,dark}.png),
 * the README's pictures (so a normal run leaves the tree clean).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { openInbox, rowBySubject, SCREENSHOTS, sendMail, useBrowser, type Mail } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs');
const WELCOME = 'Welcome to Acme, Dana! Please confirm your email';

const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="32" viewBox="0 0 120 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><path d="M9 23l7-14 7 14M12 18h8" stroke="#fff" stroke-width="2.6" fill="none" stroke-linecap="round" stroke-linejoin="round"/><text x="42" y="22" font-family="Helvetica, Arial, sans-serif" font-size="17" font-weight="700" fill="#111827">Acme</text></svg>`;

const WELCOME_HTML = `<!doctype html><html><body style="margin:0;background:#f3f4f6;font-family:Helvetica,Arial,sans-serif;color:#111827">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr><td align="center" style="padding:28px 12px">
<table role="presentation" width="100%" style="max-width:560px;background:#ffffff;border-radius:12px;padding:32px" cellpadding="0" cellspacing="0">
<tr><td><img src="cid:logo@acme.example" alt="Acme" width="120" height="32"></td></tr>
<tr><td style="padding-top:24px"><h1 style="margin:0 0 12px;font-size:22px">Confirm your email, Dana</h1>
<p style="margin:0 0 20px;line-height:1.6;color:#374151">Thanks for signing up for Acme Cloud. Confirm your address to finish setting up your workspace <b>dana-labs</b>.</p>
<a href="https://acme.example/confirm?token=3f9c2a" style="display:inline-block;background:#4f46e5;color:#ffffff;text-decoration:none;padding:12px 22px;border-radius:8px;font-weight:600">Confirm email address</a>
<p style="margin:24px 0 0;font-size:13px;color:#6b7280;line-height:1.6">This link expires in 24 hours. If you did not sign up, ignore this message.</p></td></tr>
</table><p style="font-size:12px;color:#9ca3af;margin-top:16px">Acme Cloud · 1 Example Way · Springfield</p></td></tr></table></body></html>`;

const MAILS: Mail[] = [
  { from: '"Priya Raman" <priya@example.org>', subject: 'Meeting notes – Sprint 47 planning', text: 'Hi all, attached are the notes from today. Action items are at the bottom.', attachments: [{ filename: 'sprint-47-notes.pdf', content: '%PDF-1.4 notes', contentType: 'application/pdf' }] },
  { from: '"Acme Security" <security@acme.example>', subject: 'New sign-in from Firefox on Linux', text: 'We noticed a new sign-in to your account from Berlin, Germany. If this was you, no action is needed.' },
  { from: '"Shop" <orders@shop.example>', subject: 'Order #55123 has shipped', text: 'Good news: your order is on its way. Track it with number 1Z999AA10123456784.', attachments: [{ filename: 'shipping-label.pdf', content: '%PDF-1.4 label', contentType: 'application/pdf' }] },
  { from: '"Community" <digest@forum.example>', subject: 'Weekly digest: 12 new comments on your posts', text: 'Here is what happened this week: 12 comments, 3 new followers and 1 mention.' },
  { from: '"CI" <ci@build.example>', subject: '[CI] Build #1842 failed on main', text: 'Job "test:e2e" failed after 4m12s. 1 of 214 tests failed: inbox › keyboard navigation.' },
  { from: '"Acme Billing" <billing@acme.example>', subject: 'Your invoice INV-2025-0142 is ready', text: 'Your invoice for March is attached. Amount due: €49.00, payable by April 15.', attachments: [{ filename: 'INV-2025-0142.pdf', content: '%PDF-1.4 invoice', contentType: 'application/pdf' }] },
  { from: '"Acme Security" <security@acme.example>', subject: 'Password reset requested', text: 'Someone asked to reset the password of dana@example.org. The link is valid for 30 minutes.' },
  {
    from: '"Acme Cloud" <hello@acme.example>',
    to: '"Dana Fischer" <dana@example.org>',
    bcc: 'audit@acme.example',
    subject: WELCOME,
    text: 'Confirm your email, Dana: https://acme.example/confirm?token=3f9c2a',
    html: WELCOME_HTML,
    attachments: [{ filename: 'logo.svg', content: LOGO, contentType: 'image/svg+xml', cid: 'logo@acme.example' }],
  },
];

async function patch(sink: Parameters<typeof api>[0], subject: string, body: object): Promise<void> {
  const { messages } = await api<MessageList>(sink, '/api/messages');
  const message = messages.find((m) => m.subject === subject);
  expect(message, subject).toBeDefined();
  await api(sink, `/api/messages/${message!.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function markRead(sink: Parameters<typeof api>[0], subjects: string[], read = true): Promise<void> {
  for (const subject of subjects) await patch(sink, subject, { read });
}

async function tag(sink: Parameters<typeof api>[0], tags: Record<string, string[]>): Promise<void> {
  for (const [subject, names] of Object.entries(tags)) await patch(sink, subject, { tags: names });
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.mouse.move(0, 0);
  await page.screenshot({ path: path.join(SCREENSHOTS, name) });
}

describe('screenshots', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('of the list and a message, light and dark', async () => {
    for (const mail of MAILS) await sendMail(sink(), mail);
    await markRead(sink(), ['Meeting notes – Sprint 47 planning', 'Order #55123 has shipped', 'Weekly digest: 12 new comments on your posts']);
    mkdirSync(DOCS, { recursive: true });

    await tag(sink(), { [WELCOME]: ['signup'], 'Your invoice INV-2025-0142 is ready': ['billing'], 'Password reset requested': ['security'] });

    for (const [device, viewport] of [['desktop', { width: 1400, height: 900 }], ['phone', { width: 390, height: 844 }]] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        await markRead(sink(), [WELCOME], false);
        const { page, context, errors } = await openInbox(browser(), sink(), { colorScheme, viewport, ...(device === 'phone' ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}) });
        await rowBySubject(page, WELCOME).waitFor();
        await shoot(page, `list-${device}-${colorScheme}.png`);
        if (process.env.UPDATE_DOCS_SCREENSHOT === '1' && device === 'phone') await page.screenshot({ path: path.join(DOCS, `inbox-phone-list-${colorScheme}.png`) });
        await rowBySubject(page, WELCOME).click();
        const logo = page.frameLocator('[data-testid="html-frame"]').locator('img');
        await expect.poll(() => logo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(120);
        await shoot(page, `message-${device}-${colorScheme}.png`);
        if (process.env.UPDATE_DOCS_SCREENSHOT === '1') await page.screenshot({ path: path.join(DOCS, `inbox-${device}-${colorScheme}.png`) });
        if (device === 'phone') await page.getByTestId('back-button').click(); // the open message covers the top bar
        await page.getByTestId('faults-toggle').click();
        await page.getByTestId('fault-form').waitFor();
        await shoot(page, `faults-${device}-${colorScheme}.png`);
        expect(errors).toEqual([]);
        await context.close();
      }
    }
  });
});
