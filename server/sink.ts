/**
 * The one composition root: builds the event bus, store, SMTP listener, HTTP app and WebSocket hub
 * of one sink. Nothing is module-level, so several sinks can run in one process.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckService } from './checks/service.js';
import { checkSettings } from './checks/settings.js';
import { createClient } from './client.js';
import type { MailsinkClient } from './client.js';
import { resolveConfig } from './config.js';
import type { Config, ConfigInput } from './config.js';
import { EventBus } from './core/events.js';
import { FaultEngine } from './core/faults.js';
import { MessageParsing } from './core/message-parsing.js';
import { createBcryptPool } from './core/bcrypt-pool.js';
import { createParsePool } from './core/parse-pool.js';
import { RejectionLog } from './core/rejections.js';
import type { Store } from './core/store.js';
import { openStore } from './storage/index.js';
import { DEFAULT_TRANSCRIPT_LIMITS, TranscriptLog } from './core/transcripts.js';
import { WaitRegistry } from './core/waiters.js';
import { HostPolicy } from './http/allowed-hosts.js';
import { createApp, findUiDir } from './http/app.js';
import { BasicAuth, OriginPolicy } from './http/security.js';
import { attachWsHub } from './http/ws-hub.js';
import { silentLogger } from './log.js';
import type { Logger } from './log.js';
import { RelayService, relaySettings } from './relay/service.js';
import { startSmtpListener } from './smtp/listener.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Options of {@link startSink}: any configuration option, plus a logger (silent by default). */
export type SinkOptions = ConfigInput & { log?: Logger };

/** A running sink. */
export interface Sink {
  readonly config: Config;
  /** Bound SMTP port (the first of {@link smtpPorts}). */
  readonly smtpPort: number;
  /** Every bound plain SMTP port (STARTTLS offered on each). */
  readonly smtpPorts: readonly number[];
  /** Bound implicit-TLS SMTP port, or `null` without `smtpsPort`. */
  readonly smtpsPort: number | null;
  /** The certificate of STARTTLS and SMTPS (PEM), its SHA-256 fingerprint, and whether it was made at start. */
  readonly tls: { readonly cert: string; readonly fingerprint256: string; readonly generated: boolean };
  /** Bound HTTP port. */
  readonly httpPort: number;
  /** e.g. `smtp://127.0.0.1:1025` */
  readonly smtpUrl: string;
  /** e.g. `http://127.0.0.1:8025` (no trailing slash) */
  readonly httpUrl: string;
  readonly store: Store;
  readonly events: EventBus;
  readonly faults: FaultEngine;
  readonly rejections: RejectionLog;
  /** SMTP session transcripts, by session id and by message id. */
  readonly transcripts: TranscriptLog;
  /** Pending long-poll waits (`GET /api/messages/wait`); `size` counts them. */
  readonly waiters: WaitRegistry;
  /** Release, auto-relay and the delivery queue of `--relay-url`. */
  readonly relay: RelayService;
  /** A typed REST client bound to {@link httpUrl} (the same as `createClient(sink.httpUrl)` from `mailsink/client`). */
  readonly client: MailsinkClient;
  /** Closes the SMTP listener, WebSocket clients and HTTP server. Idempotent. */
  stop(): Promise<void>;
}

/** The package version, read from package.json. */
export function packageVersion(): string {
  for (let dir = HERE; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mailsink' && pkg.version) return pkg.version;
    } catch {
      // keep walking up
    }
    if (path.dirname(dir) === dir) return '0.0.0';
  }
}

/**
 * Starts a sink: SMTP on `smtpPort`, HTTP (inbox, REST, WebSocket) on `httpPort`, both on `host`.
 * Port 0 picks a free port; the bound ones are on the result.
 *
 * @throws ConfigError for an invalid option; the listen error (e.g. `EADDRINUSE`) if a port is taken.
 */
export async function startSink(options: SinkOptions = {}): Promise<Sink> {
  const { log = silentLogger, ...input } = options;
  const config = resolveConfig(input);
  const version = packageVersion();
  const events = new EventBus();
  const store = await openStore(config.storage, { limits: config, events, log: log.scope('store') });
  const faults = new FaultEngine(events, config.faultSeed);
  if (config.faults.length > 0) faults.add(config.faults);
  await store.attachFaults?.(faults);
  const rejections = new RejectionLog(config.maxMessages, events);
  const parser = createParsePool();
  const bcrypt = createBcryptPool();
  const parsing = new MessageParsing(parser, store, events);
  for (const message of store.pending()) parsing.admit(message); // stored before a crash, never parsed
  const waiters = new WaitRegistry(store, events, parsing);
  const transcripts = new TranscriptLog(events, { ...DEFAULT_TRANSCRIPT_LIMITS, maxIdleSessions: config.maxMessages });
  const smtp = await startSmtpListener({ config, store, faults, rejections, transcripts, parser, parsing, bcrypt, log: log.scope('smtp') }).catch(async (err: unknown) => {
    transcripts.stop();
    await parsing.settled();
    await Promise.all([parser.close(), bcrypt.close(), store.close()]);
    throw err;
  });
  const origins = new OriginPolicy(config.corsOrigins);
  const auth = config.files.uiUsers ? new BasicAuth(config.files.uiUsers, bcrypt.compare) : null;
  const hosts = new HostPolicy(config.host, config.allowedHosts);
  let httpPort = 0;
  const checks = new CheckService({ store, parsing, events, settings: checkSettings(config), log: log.scope('checks') });
  const deliveries = await store.openDeliveries?.();
  const relay = new RelayService({ settings: relaySettings(config), store, events, log: log.scope('relay'), ...(deliveries ? { storage: deliveries } : {}) });
  const app = createApp({ relay, checks, store, faults, rejections, faultSeed: config.faultSeed, log: log.scope('http'), version, uiDir: findUiDir(HERE), ports: () => ({ smtpPort: smtp.port, httpPort, smtpPorts: [...smtp.ports], smtpsPort: smtp.smtpsPort }), waiters, maxMessageSize: config.maxMessageSize, parser, parsing, transcripts, origins, auth, hosts, releaseAllow: config.releaseAllow, probeEnabled: config.enableProbe });
  const server = createServer(app);
  const hub = attachWsHub(server, { events, store, version, log: log.scope('ws'), origins, auth, hosts });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.httpPort, config.host, () => resolve());
    });
  } catch (err) {
    checks.close();
    await relay.close();
    hub.close();
    waiters.close();
    transcripts.stop();
    await Promise.all([smtp.close(), parser.close(), bcrypt.close()]);
    await parsing.settled();
    await store.close();
    throw err;
  }
  httpPort = (server.address() as AddressInfo).port;
  const urlHost = reachableHost(config.host);
  const httpUrl = `http://${urlHost}:${httpPort}`;
  let stopping: Promise<void> | null = null;
  return {
    config,
    smtpPort: smtp.port,
    smtpPorts: smtp.ports,
    smtpsPort: smtp.smtpsPort,
    tls: { cert: smtp.tls.cert, fingerprint256: smtp.tls.fingerprint256, generated: smtp.tls.generated },
    httpPort,
    smtpUrl: `smtp://${urlHost}:${smtp.port}`,
    httpUrl,
    store,
    events,
    faults,
    rejections,
    transcripts,
    waiters,
    relay,
    client: createClient(httpUrl, { headers: clientAuthHeaders(config) }),
    stop() {
      stopping ??= (async () => {
        hub.close();
        waiters.close();
        await new Promise((resolve) => setImmediate(resolve)); // pending waits answer 503 before connections close
        await Promise.all([
          smtp.close(),
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
        ]);
        transcripts.stop();
        checks.close();
        await relay.close();
        parsing.close();
        await Promise.all([parser.close(), bcrypt.close()]);
        await store.close(); // after the pool: parses that ended have handed their facts over
      })();
      return stopping;
    },
  };
}

/** Whether a host is a wildcard address (every interface). */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** Whether a host is loopback only (`127.0.0.0/8`, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare);
}

/** The host to put in URLs: a wildcard bind is reached on 127.0.0.1; IPv6 goes in brackets. */
function reachableHost(host: string): string {
  if (isWildcardHost(host)) return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Basic-auth header for the sink's own client: the first user of `--ui-auth-file` with a plain password, if any. */
function clientAuthHeaders(config: Config): Record<string, string> {
  const user = config.files.uiUsers?.find((candidate) => candidate.password !== null);
  return user ? { authorization: `Basic ${Buffer.from(`${user.user}:${user.password}`).toString('base64')}` } : {};
}
