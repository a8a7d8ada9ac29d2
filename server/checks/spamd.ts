/**
 * A small client of SpamAssassin's spamd, protocol SPAMC/1.5 over TCP (spamd/PROTOCOL in
 * SpamAssassin's sources): `REPORT` with `Content-length`, then a half-close; the answer carries
 * `Spam: True ; 1000.0 / 5.0` and the report text with its table of rules
 * (`pts rule name description`, long descriptions continued on indented lines).
 */
import { connect } from 'node:net';
import { CheckFailedError } from './errors.js';

/** Where spamd listens and how long to wait for it. */
export interface SpamdTarget {
  host: string;
  port: number;
  /** Longest silence allowed (connecting, or waiting while spamd works), in milliseconds. */
  timeoutMs: number;
}

/** What `REPORT` answered; rules highest score first, then by name (spamd's own order varies from run to run). */
export interface SpamdReport {
  isSpam: boolean;
  score: number;
  threshold: number;
  rules: { name: string; score: number; description: string }[];
}

/** Largest answer read from spamd, in bytes (a report is a few KB). */
const MAX_REPLY_BYTES = 1024 * 1024;

/** `host:port`, the host in brackets when it is an IPv6 address. */
export function spamdAddress(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Asks spamd whether `message` is spam, with the rules that hit (`REPORT`).
 * @throws CheckFailedError when spamd cannot be reached, times out, or answers an error or garbage.
 */
export async function spamdReport(target: SpamdTarget, message: Buffer): Promise<SpamdReport> {
  const head = `REPORT SPAMC/1.5\r\nContent-length: ${message.length}\r\n\r\n`;
  const { headers, body } = await exchange(target, Buffer.concat([Buffer.from(head, 'latin1'), message]));
  const verdict = /^\s*(True|False|Yes|No)\s*;\s*(-?[\d.]+)\s*\/\s*(-?[\d.]+)\s*$/i.exec(headers.get('spam') ?? '');
  if (!verdict) throw failed(target, `answered without a valid Spam header: ${JSON.stringify(headers.get('spam') ?? null)}`);
  const rules = reportRules(body).sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)); // spamd's own order varies
  return { isSpam: /^(true|yes)$/i.test(verdict[1]!), score: Number(verdict[2]), threshold: Number(verdict[3]), rules };
}

/** The rule table of a report: lines `pts name description` after the `---- ----` line, continuations joined. */
export function reportRules(report: string): SpamdReport['rules'] {
  const lines = report.split(/\r?\n/);
  const start = lines.findIndex((line) => /^\s*-{3,}\s+-{3,}/.test(line));
  const rules: SpamdReport['rules'] = [];
  if (start < 0) return rules;
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const rule = /^\s*(-?\d+(?:\.\d+)?)\s+([A-Za-z0-9_.]+)(?:\s+(.*))?$/.exec(line);
    const last = rules.at(-1);
    if (rule) rules.push({ name: rule[2]!, score: Number(rule[1]) + 0, description: (rule[3] ?? '').trim() });
    else if (last) last.description = `${last.description} ${line.trim()}`.trim();
  }
  return rules;
}

/** Sends `request`, half-closes, reads the whole answer; checks the status line (`SPAMD/1.1 0 EX_OK`). */
async function exchange(target: SpamdTarget, request: Buffer): Promise<{ headers: Map<string, string>; body: string }> {
  const reply = await roundTrip(target, request);
  const text = reply.toString('utf8');
  const split = text.indexOf('\r\n\r\n') >= 0 ? text.indexOf('\r\n\r\n') : text.length;
  const [status = '', ...headerLines] = text.slice(0, split).split('\r\n');
  const line = /^SPAMD\/[\d.]+\s+(\d+)\s+(.*)$/.exec(status);
  if (!line) throw failed(target, `answered something that is not spamd's protocol: ${JSON.stringify(status.slice(0, 80))}`);
  if (line[1] !== '0') throw failed(target, `answered error ${line[1]} ${line[2]!.trim()}`);
  const headers = new Map<string, string>();
  for (const header of headerLines) {
    const colon = header.indexOf(':');
    if (colon > 0) headers.set(header.slice(0, colon).trim().toLowerCase(), header.slice(colon + 1).trim());
  }
  return { headers, body: text.slice(split + 4) };
}

function roundTrip(target: SpamdTarget, request: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: target.host, port: target.port });
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: CheckFailedError) => {
      socket.destroy();
      reject(err);
    };
    socket.setTimeout(target.timeoutMs, () => fail(failed(target, `did not answer within ${target.timeoutMs} ms`)));
    socket.on('connect', () => socket.end(request)); // spamd reads until our half-close
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REPLY_BYTES) return fail(failed(target, `answered more than ${MAX_REPLY_BYTES} bytes`));
      chunks.push(chunk);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => fail(failed(target, describe(err), err)));
    socket.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function describe(err: NodeJS.ErrnoException): string {
  if (err.code === 'ECONNREFUSED') return 'refused the connection: is spamd running and listening there? (--spamassassin HOST:PORT)';
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return 'is not a known host name';
  return `could not be reached: ${err.message}`;
}

function failed(target: SpamdTarget, what: string, cause?: unknown): CheckFailedError {
  return new CheckFailedError('spam', `spamd at ${spamdAddress(target.host, target.port)} ${what}`, cause === undefined ? undefined : { cause });
}
