#!/usr/bin/env node
/**
 * CLI entry: flags and `MAILSINK_*` variables → config → startSink(); prints one banner;
 * SIGINT/SIGTERM close the listeners and exit 0. A bad option exits 1 with one line naming it.
 * `mailsink import <file.eml|dir>` sends files to a running sink instead (see cli/import-command.ts);
 * `mailsink probe smtp://host:port` tests an SMTP server (see cli/probe-command.ts).
 */
import { helpText } from './cli/help.js';
import { ConfigError, configFromCli, environmentWarnings } from './config.js';
import { batchedLineSink, createLogger } from './log.js';

async function main(): Promise<void> {
  if (process.argv[2] === 'import') return importCommand(process.argv.slice(3));
  if (process.argv[2] === 'probe') return probeCommand(process.argv.slice(3));
  const request = configFromCli(process.argv.slice(2), process.env);
  const { packageVersion, startSink, isLoopbackHost, isWildcardHost } = await import('./sink.js'); // loaded only to run a sink
  if (request.kind === 'help') return void process.stdout.write(helpText());
  if (request.kind === 'version') return void process.stdout.write(`${packageVersion()}\n`);
  for (const warning of environmentWarnings(process.env)) process.stderr.write(`mailsink: ${warning}\n`);
  const log = createLogger(batchedLineSink((chunk) => process.stderr.write(chunk)));
  const sink = await startSink({ ...request.config, log });
  // Before the banner: a caller may signal as soon as it reads it (stdout to a pipe is synchronous).
  const shutdown = (signal: string) => {
    log.info(`${signal} received, closing`);
    sink.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  const extra = [
    ...(sink.smtpPorts.length > 1 ? [`more SMTP ports ${sink.smtpPorts.slice(1).join(', ')}`] : []),
    ...(sink.smtpsPort !== null ? [`SMTPS ${sink.smtpUrl.replace(/^smtp:/, 'smtps:').replace(/:\d+$/, `:${sink.smtpsPort}`)}`] : []),
    ...(isWildcardHost(sink.config.host) ? ['listening on all interfaces'] : []),
  ];
  process.stdout.write(`mailsink ${packageVersion()}: SMTP ${sink.smtpUrl} · web inbox ${sink.httpUrl}/${extra.map((part) => ` · ${part}`).join('')}\n`);
  if (!isLoopbackHost(sink.config.host) && !sink.config.files.uiUsers) {
    process.stdout.write(`mailsink: WARNING: listening on ${sink.config.host}, beyond loopback, without --ui-auth-file: anyone who can reach this machine can read every message and use the API\n`);
  }
  if (sink.config.allowedHosts.includes('*')) {
    process.stdout.write('mailsink: WARNING: --allowed-host * turns off the DNS-rebinding check: a web page you visit can read and delete every message through a name it points at this machine\n');
  }
  const relay = sink.config.relayUrl;
  if (relay) log.info(`relay: upstream ${relay.url}${relay.auth ? ' with AUTH' : ''}, STARTTLS ${relay.starttls}, certificate ${sink.config.relayTlsVerify ? `verified${sink.config.relayCa ? ' against --relay-ca' : ''}` : 'not verified'}; auto-relay ${sink.config.relayAllow.length > 0 ? `to ${sink.config.relayAllow.join(', ')}` : 'off'}`);
  log.info(`STARTTLS${sink.smtpsPort !== null ? ' and SMTPS' : ''} certificate: ${sink.tls.generated ? 'self-signed, made at start' : 'from --tls-cert'}, SHA-256 ${sink.tls.fingerprint256}`);
}

async function importCommand(argv: string[]): Promise<void> {
  const { IMPORT_HELP, importRequestFromCli, runImport } = await import('./cli/import-command.js');
  const request = importRequestFromCli(argv);
  if (request === 'help') return void process.stdout.write(IMPORT_HELP);
  const status = await runImport(request, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
  process.exitCode = status;
}

async function probeCommand(argv: string[]): Promise<void> {
  const { PROBE_HELP, probeRequestFromCli } = await import('./cli/probe-command.js');
  const request = probeRequestFromCli(argv, process.env, process.stdout.isTTY === true);
  if (request === 'help') return void process.stdout.write(PROBE_HELP);
  const { runProbe } = await import('./probe/probe.js');
  const { renderProbeReport } = await import('./probe/render.js');
  const report = await runProbe(request.options);
  process.stdout.write(request.json ? `${JSON.stringify(report, null, 2)}\n` : `${renderProbeReport(report, { colour: request.colour, transcript: request.transcript })}\n`);
  process.exitCode = report.exitCode;
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || (err instanceof Error && err.name === 'StorageOpenError')) {
    process.stderr.write(`mailsink: ${err.message}\n`);
  } else {
    const e = err as NodeJS.ErrnoException;
    const detail = e.code === 'EADDRINUSE' || e.code === 'EACCES' ? `cannot listen: ${e.message}` : (e?.stack ?? String(err));
    process.stderr.write(`mailsink: ${detail}\n`);
  }
  process.exit(1);
});
