/**
 * Several `mailsink` processes (the built CLI, see `cli.ts`) on one PostgreSQL database, and what
 * the multi-instance and reliability tests do to them: send mail with nodemailer and keep the
 * reply whatever it is, call the REST API, listen to the WebSocket stream.
 */
import nodemailer from 'nodemailer';
import { afterAll, beforeAll } from 'vitest';
import type { MessageSummary, WaitResult } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { startCli, type CliSink } from './cli.js';
import { connectEvents, type EventClient } from './events.js';
import { startPostgres, type TestPostgres } from './postgres.js';

/** One mailsink process of the cluster. */
export interface Instance extends CliSink {
  /** `A`, `B` … for failure messages. */
  readonly name: string;
}

/** The file's database and instances, filled in by `useCluster`'s `beforeAll`. */
export interface Cluster {
  /** The PostgreSQL server (embedded, or `MAILSINK_TEST_POSTGRES_URL`'s). */
  postgres: TestPostgres;
  /** The instances in the order of the names given. */
  instances: Instance[];
}

/**
 * Registers (call at the top of a file or `describe`): `beforeAll` starts a PostgreSQL, then one
 * mailsink per name, all at once, with `--storage <url>` and `args` (ports 0); `afterAll` stops
 * them (SIGTERM; one already killed is only awaited), then the PostgreSQL.
 */
export function useCluster(names: readonly string[], args: readonly string[] = []): Cluster {
  const cluster = {} as Cluster;
  const running: Instance[] = [];
  beforeAll(async () => {
    cluster.postgres = await startPostgres();
    const url = cluster.postgres.url();
    const started = await Promise.allSettled(names.map((name) => startCli(['--storage', url, ...args]).then((cli) => ({ ...cli, name }))));
    for (const result of started) if (result.status === 'fulfilled') running.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    cluster.instances = running;
  });
  afterAll(async () => {
    await Promise.all(running.map((instance) => instance.stop()));
    await cluster.postgres?.close();
  });
  return cluster;
}

/** A message with exact bytes: CRLF line endings, no line starting with a dot. */
export function rawMessage(fields: { from: string; to: string; subject: string; body?: string }): Buffer {
  const lines = [`From: ${fields.from}`, `To: ${fields.to}`, `Subject: ${fields.subject}`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', fields.body ?? `Body of ${fields.subject}.`, ''];
  return Buffer.from(lines.join('\r\n'));
}

/** What the SMTP client got for one message: the final reply code (0: no reply, e.g. connection refused) and its text. */
export interface SendOutcome {
  code: number;
  response: string;
}

/**
 * Sends `raw` with nodemailer (one connection, as most apps send) and reports the server's reply to
 * the data, or the error that stopped the transaction, without throwing.
 */
export async function send(instance: CliSink, envelope: { from: string; to: string[] }, raw: Buffer): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: instance.smtpPort, secure: false, ignoreTLS: true, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  try {
    const info = await transport.sendMail({ envelope, raw });
    return { code: Number(info.response.slice(0, 3)), response: info.response };
  } catch (error) {
    const err = error as { responseCode?: number; response?: string; message: string };
    return { code: err.responseCode ?? 0, response: err.response ?? err.message };
  } finally {
    transport.close();
  }
}

/** A JSON response: status and parsed body. */
export interface JsonResponse<T> {
  status: number;
  body: T;
}

/** Calls the instance's REST API (`path` starts with `/api`) and parses the JSON answer. */
export async function api<T = unknown>(instance: CliSink, path: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const headers = init.body ? { 'content-type': 'application/json' } : undefined;
  const res = await fetch(`${instance.httpUrl}${path}`, { headers, ...init });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? null : JSON.parse(text)) as T };
}

/**
 * `GET /api/messages/wait` on `instance`: the first `count` messages matching `query` with
 * `seq > after`, oldest first.
 * @throws Error naming the instance when it answers anything but 200 (a `408 wait_timeout` says how many matched).
 */
export async function waitFor(instance: Instance, query: string, options: { after?: number; count?: number; timeoutMs?: number } = {}): Promise<WaitResult> {
  const params = new URLSearchParams({ query, after: String(options.after ?? 0), count: String(options.count ?? 1), timeoutMs: String(options.timeoutMs ?? 20_000) });
  const { status, body } = await api<WaitResult>(instance, `/api/messages/wait?${params}`);
  if (status !== 200) throw new Error(`wait on ${instance.name} for ${JSON.stringify(query)}: ${status} ${JSON.stringify(body)}`);
  return body;
}

/** Every message matching `query` on `instance` (one page of up to 1000, newest first). */
export async function list(instance: Instance, query: string): Promise<MessageSummary[]> {
  const { status, body } = await api<{ total: number; messages: MessageSummary[] }>(instance, `/api/messages?limit=1000&query=${encodeURIComponent(query)}`);
  if (status !== 200) throw new Error(`list on ${instance.name}: ${status} ${JSON.stringify(body)}`);
  if (body.total > body.messages.length) throw new Error(`list on ${instance.name}: ${body.total} messages match ${JSON.stringify(query)}, more than one page`);
  return body.messages;
}

/** Opens the `mailsink.v1` event stream of `instance` (resolves after `hello`); the caller closes it. */
export function events(instance: Instance): Promise<EventClient> {
  return connectEvents({ httpUrl: instance.httpUrl } as Pick<Sink, 'httpUrl'> as Sink, 10_000);
}
