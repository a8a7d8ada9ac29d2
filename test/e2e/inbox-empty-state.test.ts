/**
 * The empty inbox's connection advice matches the README ("Connecting your app"): plain SMTP needs
 * no TLS, but the port offers STARTTLS (so eager clients must be told not to upgrade), and TLS is
 * tested with STARTTLS or implicit TLS: the SMTPS port when `--smtps-port` is on, else the option.
 */
import { describe, expect, it } from 'vitest';
import { openInbox, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';

const advice = (port: number, implicit: string) =>
  `None needed, but port ${port} offers STARTTLS: tell a client that upgrades by itself (nodemailer, Rails, Laravel, PHPMailer) not to, ` +
  `e.g. ignoreTLS: true. To test TLS: STARTTLS on port ${port}, or implicit TLS ${implicit}; the certificate is self-signed, so turn certificate checks off.`;

describe('empty inbox: how to connect', () => {
  const plain = useSink();
  const withSmtps = useSink({ smtpsPort: 0 });
  const browser = useBrowser();

  it('says STARTTLS is offered and names --smtps-port when implicit TLS is off', async () => {
    const { page, errors } = await openInbox(browser(), plain());
    await page.getByTestId('empty-state').filter({ hasText: `Port${plain().smtpPort}` }).waitFor();
    await expect(page.getByTestId('smtp-encryption').textContent()).resolves.toBe(advice(plain().smtpPort, 'with --smtps-port'));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('names the SMTPS port when implicit TLS is on', async () => {
    const { page, errors } = await openInbox(browser(), withSmtps());
    expect(withSmtps().smtpsPort).toEqual(expect.any(Number));
    await expect.poll(() => page.getByTestId('smtp-encryption').textContent()).toBe(advice(withSmtps().smtpPort, `on port ${withSmtps().smtpsPort}`));
    expect(errors).toEqual([]);
    await page.close();
  });
});
