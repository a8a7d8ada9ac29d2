/**
 * README recipe "jest globalSetup": starts one sink before the run and hands its address to the
 * test workers (and to the app under test) through environment variables. Jest is not installed
 * in this repository: `test/integration/testing-api-recipe-jest.test.ts` runs this exact module
 * and the teardown the way jest does (setup, tests reading the variables, teardown).
 */
import { startSink } from 'mailsink';
import type { Sink } from 'mailsink';

export default async function globalSetup(): Promise<void> {
  const sink = await startSink({ smtpPort: 0, httpPort: 0 });
  process.env.MAILSINK_HTTP_URL = sink.httpUrl; // for createClient() in tests
  process.env.SMTP_HOST = '127.0.0.1'; // for the app under test
  process.env.SMTP_PORT = String(sink.smtpPort);
  (globalThis as { __MAILSINK__?: Sink }).__MAILSINK__ = sink; // for globalTeardown
}
