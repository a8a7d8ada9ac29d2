/**
 * Public entry of the `mailsink` package: start a sink in-process. The typed REST client is also
 * exported on its own as `mailsink/client` (no Node built-ins there, for browsers).
 *
 * @example
 * const sink = await startSink({ smtpPort: 0, httpPort: 0 });
 * // … send mail to sink.smtpPort …
 * const [message] = await sink.client.waitFor('mailbox:alice@example.org');
 * await sink.stop();
 */
export { startSink, packageVersion } from './sink.js';
export type { Sink, SinkOptions } from './sink.js';
export { ConfigError } from './config.js';
export type { Config, ConfigInput } from './config.js';
export { createClient, findCodes, MailsinkApiError, MailsinkClient, MailsinkConnectionError, MailsinkError, MailsinkTimeoutError } from './client.js';
export type { ClientOptions, FaultsApi, ImportEnvelope, WaitOptions } from './client.js';
export type * from './contract.js';
