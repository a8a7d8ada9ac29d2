/**
 * Baseline for the benchmark: a bare smtp-server that discards every message (no parsing, no store).
 * Same options mailsink uses where they affect speed (no reverse DNS). Prints
 * `bare-sink smtp=<port> http=<port>`; `GET /count` answers the number of messages received.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

let received = 0;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  disableReverseLookup: true,
  logger: false,
  size: 50 * 1024 * 1024,
  onData(stream, _session, callback) {
    stream.on('data', () => undefined);
    stream.on('end', () => {
      received += 1;
      callback(null, 'Ok: discarded');
    });
  },
});
smtp.listen(0, '127.0.0.1', () => {
  const http = createServer((_req, res) => res.end(JSON.stringify({ count: received })));
  http.listen(0, '127.0.0.1', () => {
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    const httpPort = (http.address() as AddressInfo).port;
    process.stdout.write(`bare-sink smtp=${smtpPort} http=${httpPort}\n`);
  });
  process.on('SIGTERM', () => process.exit(0));
});
