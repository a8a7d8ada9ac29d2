/**
 * One delivery attempt to the relay upstream: an SMTP session by nodemailer (a client we did not
 * write) that sends the stored bytes unchanged (dot-stuffed on the wire, RFC 5321 §4.5.2), with
 * its commands and replies captured from nodemailer's transaction log and AUTH secrets masked.
 */
import { format } from 'node:util';
import nodemailer from 'nodemailer';
import type { DeliveryAttempt, DeliveryTranscriptLine, RefusedRecipient } from './types.js';
import type { RelayUpstream } from './upstream.js';

/** What one attempt sends. */
export interface AttemptRequest {
  upstream: RelayUpstream;
  /** Verify the upstream's certificate (`--relay-tls-verify`). */
  tlsVerify: boolean;
  /** PEM CA certificates to check the upstream's certificate against instead of the system's (`--relay-ca`). */
  ca?: string | null;
  /** `''` for `<>`. */
  mailFrom: string;
  rcptTo: readonly string[];
  raw: Buffer;
  /** Connection and greeting timeout in ms; the whole exchange gets three times that (default 10 000). */
  timeoutMs?: number;
  /** Aborts the session (the sink is stopping); the result is then a `retry` with an abort error. */
  signal?: AbortSignal;
}

/** An attempt's result without its number and start time; `refused` absent means none. */
export type AttemptResult = Pick<DeliveryAttempt, 'code' | 'reply' | 'error' | 'outcome' | 'transcript'> & { refused?: RefusedRecipient[] };

/**
 * Runs one SMTP session. Never throws: a 2xx final reply is `delivered`, a 5xx `failed`, a 4xx or
 * no reply at all (refused, reset, timeout, TLS failure) `retry`. Recipients refused at `RCPT TO`
 * are listed in `refused`: when some were accepted the data goes to those (`delivered`, with a
 * transcript note naming the refused ones); when none was, the reply that decides is a 4xx one if
 * any (`retry`), else the last 5xx (`failed`).
 */
export async function attemptDelivery(request: AttemptRequest): Promise<AttemptResult> {
  const { upstream, timeoutMs = 10_000 } = request;
  const transcript = new TranscriptRecorder();
  const transport = nodemailer.createTransport({
    host: upstream.host,
    port: upstream.port,
    secure: upstream.secure,
    requireTLS: upstream.starttls === 'required',
    ignoreTLS: upstream.starttls === 'off',
    opportunisticTLS: upstream.starttls === 'opportunistic',
    name: 'mailsink',
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: 3 * timeoutMs,
    tls: { rejectUnauthorized: request.tlsVerify, ...(request.ca ? { ca: request.ca } : {}), ...(isIp(upstream.host) ? {} : { servername: upstream.host }) },
    logger: transcript.logger,
    transactionLog: true,
    ...(upstream.auth ? { auth: { user: upstream.auth.user, pass: upstream.auth.pass } } : {}),
  });
  try {
    const info = await transport.sendMail({ envelope: { from: request.mailFrom, to: [...request.rcptTo] }, raw: request.raw, ...(request.signal ? { signal: request.signal } : {}) });
    const reply = String(info.response);
    const refused = refusedOf(info);
    if (refused.length > 0) transcript.note(`Delivered to ${request.rcptTo.length - refused.length} of ${request.rcptTo.length} recipients; refused, not retried: ${refused.map((r) => `<${r.recipient}> ${r.reply}`).join('; ')}`);
    return { code: replyCode(reply) ?? 250, reply, error: null, outcome: 'delivered', refused, transcript: transcript.lines };
  } catch (err) {
    return failure(err, transcript.lines);
  } finally {
    transport.close();
  }
}

function failure(err: unknown, lines: DeliveryTranscriptLine[]): AttemptResult {
  const { responseCode, response, code, message } = err as { responseCode?: unknown; response?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(err);
  if (typeof responseCode === 'number') {
    const reply = typeof response === 'string' ? response.trim() : text;
    return { code: responseCode, reply, error: null, outcome: responseCode >= 500 ? 'failed' : 'retry', refused: refusedOf(err), transcript: lines };
  }
  const errno = /\b(E[A-Z]{3,})\b/.exec(text)?.[1] ?? (typeof code === 'string' ? code : 'ECONNECTION');
  return { code: null, reply: null, error: errno === text ? errno : `${errno}: ${text}`, outcome: 'retry', transcript: lines };
}

/** nodemailer's `rejectedErrors` (on its result, or on the error when every recipient was refused). */
function refusedOf(value: unknown): RefusedRecipient[] {
  const errors = (value as { rejectedErrors?: unknown } | null)?.rejectedErrors;
  if (!Array.isArray(errors)) return [];
  return errors.map((e: { recipient?: unknown; responseCode?: unknown; response?: unknown }) => ({
    recipient: String(e.recipient ?? ''),
    code: typeof e.responseCode === 'number' ? e.responseCode : null,
    reply: typeof e.response === 'string' ? e.response.trim() : '',
  }));
}

function replyCode(reply: string): number | null {
  const match = /^(\d{3})/.exec(reply);
  return match ? Number(match[1]) : null;
}

function isIp(host: string): boolean {
  return host.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host);
}

/** Collects nodemailer's log entries as transcript lines, masking AUTH arguments and answers to `334` challenges. */
class TranscriptRecorder {
  readonly lines: DeliveryTranscriptLine[] = [];
  #challenged = false;

  readonly logger = {
    trace: () => undefined,
    debug: (entry: { tnx?: string }, message: unknown, ...args: unknown[]) => this.#add(entry, message, args),
    info: (entry: { tnx?: string }, message: unknown, ...args: unknown[]) => this.#add(entry, message, args),
    warn: (entry: { tnx?: string }, message: unknown, ...args: unknown[]) => this.#add(entry, message, args),
    error: (entry: { tnx?: string }, message: unknown, ...args: unknown[]) => this.#add(entry, message, args),
    fatal: (entry: { tnx?: string }, message: unknown, ...args: unknown[]) => this.#add(entry, message, args),
  };

  #add(entry: { tnx?: string }, message: unknown, args: unknown[]): void {
    if (entry.tnx === 'client') {
      this.lines.push({ direction: 'client', text: this.#mask(String(message)) });
    } else if (entry.tnx === 'server') {
      const text = String(message);
      for (const line of text.split(/\r?\n/)) if (line !== '') this.lines.push({ direction: 'server', text: line });
      this.#challenged = /^334[ -]/.test(text);
    } else if (entry.tnx === 'network' || entry.tnx === 'smtp') { // the session's own events; not nodemailer's transport chatter (its made-up Message-ID …)
      this.lines.push({ direction: 'note', text: args.length > 0 ? format(String(message), ...args) : String(message) });
    }
  }

  /** Adds a line of mailsink's own. */
  note(text: string): void {
    this.lines.push({ direction: 'note', text });
  }

  #mask(text: string): string {
    if (this.#challenged) return '***';
    const auth = /^AUTH\s+(\S+)\s+\S/i.exec(text);
    return auth ? `AUTH ${auth[1]!.toUpperCase()} ***` : text;
  }
}
