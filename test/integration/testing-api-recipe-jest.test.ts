/**
 * README recipe "jest": jest is not installed here, so this vitest file runs the recipe's exact
 * globalSetup and globalTeardown modules (test/recipes/jest-*.ts) the way jest does — setup before
 * the tests, which read only the environment variables it set, teardown after — and checks the sink
 * is gone afterwards. The test below is the README's jest test, line for line.
 */
import { createClient } from 'mailsink/client';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, test } from 'vitest';
import globalSetup from '../recipes/jest-global-setup.js';
import globalTeardown from '../recipes/jest-global-teardown.js';

const saved = { ...process.env };
beforeAll(() => globalSetup());
afterAll(async () => {
  const httpUrl = process.env.MAILSINK_HTTP_URL!;
  await globalTeardown();
  process.env = saved;
  await expect(createClient(httpUrl).health()).rejects.toMatchObject({ name: 'MailsinkConnectionError' });
});

test('sends a password-reset link', async () => {
  const mail = createClient(process.env.MAILSINK_HTTP_URL!);
  // Stands in for your app, which reads SMTP_HOST and SMTP_PORT.
  const app = nodemailer.createTransport({ host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT), secure: false, ignoreTLS: true });
  const address = `reset+${Date.now()}@example.test`;
  const after = await mail.cursor(); // ignore mail sent before this point
  await app.sendMail({ from: 'app@example.test', to: address, subject: 'Reset your password', text: 'Reset: https://app.example/reset?t=9f2' });
  const [message] = await mail.waitFor(`mailbox:${address}`, { after });
  const links = await mail.links(message!.id);
  expect(links[0]!.url).toBe('https://app.example/reset?t=9f2');
});
