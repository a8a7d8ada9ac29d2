/**
 * README recipe "Playwright": @playwright/test is not installed here, so this vitest test calls the
 * recipe's fixture functions (test/recipes/playwright-fixtures.ts) the way Playwright does — the
 * worker fixture around the test fixture, each with a `use` callback, `testInfo.testId` for the
 * mailbox — and runs the README test body inside (nodemailer stands in for the app the page drives).
 */
import nodemailer from 'nodemailer';
import type { Sink } from 'mailsink';
import { describe, expect, it } from 'vitest';
import { mailboxFixture, mailsinkFixture } from '../recipes/playwright-fixtures.js';

describe('Playwright fixture recipe', () => {
  it('provides a worker sink and a per-test mailbox, cleans up after the test and the worker', async () => {
    let workerSink: Sink | undefined;
    let leftover = -1;
    await mailsinkFixture({}, async (mailsink) => {
      workerSink = mailsink;
      for (const testId of ['a1b2c3', 'd4e5f6']) {
        await mailboxFixture({ mailsink }, async (mailbox) => {
          // — the README's Playwright test body (the page would trigger this mail) —
          const app = nodemailer.createTransport({ host: '127.0.0.1', port: mailsink.smtpPort, secure: false, ignoreTLS: true });
          await app.sendMail({ from: 'app@example.test', to: mailbox, subject: 'Reset your password', html: '<a href="https://app.example/reset?t=1">Reset password</a>' });
          const [message] = await mailsink.client.waitFor(`mailbox:${mailbox}`);
          const reset = (await mailsink.client.links(message!.id)).find((link) => link.text === 'Reset password');
          expect(reset?.url).toBe('https://app.example/reset?t=1');
          // — end —
          expect(mailbox).toBe(`user+${testId}@example.test`);
          expect((await mailsink.client.list()).total).toBe(1); // the previous test's mail was cleared
        }, { testId });
      }
      leftover = (await mailsink.client.list()).total;
    });
    expect(leftover).toBe(0);
    await expect(workerSink!.client.health()).rejects.toMatchObject({ name: 'MailsinkConnectionError' });
  });
});
