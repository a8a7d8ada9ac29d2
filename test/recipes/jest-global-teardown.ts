/** README recipe "jest globalTeardown": stops the sink of `jest-global-setup.ts`. */
import type { Sink } from 'mailsink';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __MAILSINK__?: Sink }).__MAILSINK__?.stop();
}
