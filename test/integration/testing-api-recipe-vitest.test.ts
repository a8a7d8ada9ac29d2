/**
 * README recipe "vitest": this file runs in the `vitest-recipe` project of vitest.config.ts, whose
 * globalSetup (test/recipes/vitest-global-setup.ts) starts one sink for the run. Each concurrent
 * test uses its own mailbox (a +tag per test), so tests never see each other's mail.
 */
import { createClient } from 'mailsink/client';
import nodemailer from 'nodemailer';
import { describe, expect, inject, it } from 'vitest';

const { httpUrl, smtpPort } = inject('mailsink');
const mail = createClient(httpUrl);
// Stands in for your app: configure the app's SMTP with smtpPort instead.
const app = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });

describe.concurrent('sign-up emails', () => {
  it('sends a confirmation link', async ({ task }) => {
    const address = `user+${task.id}@example.test`; // one mailbox per test
    await app.sendMail({
      from: 'app@example.test',
      to: address,
      subject: 'Confirm your address',
      html: '<a href="https://app.example/confirm?t=abc">Confirm</a>',
    });
    const [message] = await mail.waitFor(`mailbox:${address}`);
    const links = await mail.links(message!.id);
    expect(links.find((link) => link.text === 'Confirm')?.url).toBe('https://app.example/confirm?t=abc');
  });

  it('sends a one-time code', async ({ task }) => {
    const address = `user+${task.id}@example.test`;
    await app.sendMail({ from: 'app@example.test', to: address, subject: 'Your code', text: 'Your code is 204518.' });
    const [message] = await mail.waitFor(`mailbox:${address} subject:code`);
    expect(await mail.codes(message!.id)).toEqual(['204518']);
  });
});
