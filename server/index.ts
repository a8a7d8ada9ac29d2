/**
 * Public entry of the `mailsink` package: start a sink in-process.
 *
 * @example
 * const sink = await startSink({ smtpPort: 0, httpPort: 0 });
 * // … send mail to sink.smtpPort, read sink.httpUrl + '/api/messages' …
 * await sink.stop();
 */
export { startSink, packageVersion } from './sink.js';
export type { Sink, SinkOptions } from './sink.js';
export { ConfigError } from './config.js';
export type { Config, ConfigInput } from './config.js';
export type * from './contract.js';
