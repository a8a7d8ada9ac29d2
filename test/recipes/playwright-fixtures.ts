/**
 * README recipe "Playwright fixtures": a worker-scoped in-process sink and a test-scoped mailbox
 * that only one test uses. Register them with `base.extend({ mailsink: [mailsinkFixture, { scope:
 * 'worker' }], mailbox: mailboxFixture })`. @playwright/test is not installed in this repository:
 * `test/integration/testing-api-recipe-playwright.test.ts` calls these fixture functions the way
 * Playwright does (dependencies, a `use` callback, `testInfo`).
 */
import { startSink } from 'mailsink';
import type { Sink } from 'mailsink';

/** One sink per Playwright worker, on free ports; stopped when the worker ends. */
export async function mailsinkFixture({}: object, use: (sink: Sink) => Promise<void>): Promise<void> {
  const sink = await startSink({ smtpPort: 0, httpPort: 0 });
  try {
    await use(sink);
  } finally {
    await sink.stop();
  }
}

/** A fresh address per test (`user+<testId>@example.test`); its mail is deleted afterwards. */
export async function mailboxFixture({ mailsink }: { mailsink: Sink }, use: (address: string) => Promise<void>, testInfo: { testId: string }): Promise<void> {
  const address = `user+${testInfo.testId}@example.test`;
  await use(address);
  await mailsink.client.clear(`mailbox:${address}`);
}
