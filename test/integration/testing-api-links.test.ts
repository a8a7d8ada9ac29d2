/**
 * Extraction helpers on a live sink: `GET /api/messages/:id/links` finds a password-reset link by
 * its anchor text, and `client.codes()` a 6-digit one-time code in the text body.
 */
import { describe, expect, it } from 'vitest';
import type { LinkList } from '../../server/contract.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

describe('links and codes', () => {
  const sink = useSink();

  it('finds the password-reset link and the 6-digit code of a real mail', async () => {
    const t = transport(sink());
    await t.sendMail({
      from: 'Accounts <accounts@app.example>',
      to: 'reset-user@example.test',
      subject: 'Reset your password',
      text: 'Your verification code is 482913.\n\nReset your password: https://app.example/reset?token=Zx9-Q&uid=42\nHelp: https://app.example/help.',
      html: [
        '<p>Your verification code is <b>482913</b>.</p>',
        '<p><a href="https://app.example/reset?token=Zx9-Q&amp;uid=42" class="button">Reset password</a></p>',
        '<p><a href="https://app.example/help">Help centre</a> · <a href="https://app.example/unsubscribe?u=42">Unsubscribe</a></p>',
      ].join('\n'),
    });
    t.close();
    const mail = sink().client;
    const [message] = await mail.waitFor('mailbox:reset-user@example.test subject:reset');

    const links = await mail.links(message!.id);
    expect(links).toEqual([
      { url: 'https://app.example/reset?token=Zx9-Q&uid=42', text: 'Reset password', sources: ['html', 'text'] },
      { url: 'https://app.example/help', text: 'Help centre', sources: ['html', 'text'] },
      { url: 'https://app.example/unsubscribe?u=42', text: 'Unsubscribe', sources: ['html'] },
    ]);
    const reset = links.find((link) => link.text === 'Reset password')!;
    expect(new URL(reset.url).searchParams.get('token')).toBe('Zx9-Q');
    expect(await api<LinkList>(sink(), `/api/messages/${message!.id}/links`)).toEqual({ count: 3, links });

    expect(await mail.codes(message!.id)).toEqual(['482913']);
    expect(await mail.codes(message!.id, /uid=(\d+)/)).toEqual(['42']);
  });

  it('reads codes from the HTML when there is no text body; 404 for an unknown id', async () => {
    const t = transport(sink());
    const info = await t.sendMail({ from: 'a@app.example', to: 'html-only@example.test', subject: 'Code', html: '<p>Code: <strong>771204</strong></p>' });
    t.close();
    const id = info.response.split(' ').pop()!;
    expect(await sink().client.codes(id)).toEqual(['771204']);
    expect(await sink().client.links(id)).toEqual([]);
    const missing = await fetch(`${sink().httpUrl}/api/messages/nope/links`);
    expect(missing.status).toBe(404);
  });
});
