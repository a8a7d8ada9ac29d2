/**
 * MailHog's `POST /api/v1/messages/:id/release` and `GET /api/v2/outgoing-smtp`.
 *
 * The body is MailHog's `OutgoingSMTP` (`{ Host, Port, Email, Username, Password, Mechanism, Save,
 * Name }`, field names matched without case as Go's JSON decoder does, so the `mailhog` client's
 * lowercase `{ host, port, email }` works; `Port` a string or number). The message's exact bytes go
 * to `Host:Port` with `RCPT TO:<Email>`. `Save` with a `Name` keeps the server for later releases
 * that give only `Name` (and lists it, without its password, at `/api/v2/outgoing-smtp`).
 *
 * Only servers listed by `--release-allow` may be targeted: otherwise `403` JSON naming the option
 * (MailHog would connect anywhere). Deliberate differences: `MAIL FROM` is the message's own
 * envelope sender (MailHog: `nobody@<hostname>`); the bytes are the ones received (MailHog rebuilt
 * them); failures are JSON (`400` naming the field, `500 release_failed` with the upstream's reply).
 */
import express from 'express';
import type { Request, RequestHandler } from 'express';
import type { StoredMessage } from '../../core/store.js';
import { ReleaseError, releaseMessage } from '../../relay/release.js';
import { formatReleaseTarget, isReleaseAllowed, parseReleaseTarget } from '../../relay/targets.js';
import type { ReleaseTarget } from '../../relay/targets.js';
import { ApiError } from '../errors.js';
import type { CompatDeps } from './deps.js';

/** A server kept by `Save` (MailHog's `OutgoingSMTP`). */
interface SavedServer {
  Name: string;
  Email: string;
  Host: string;
  Port: string;
  Username: string;
  Password: string;
  Mechanism: string;
}

/** Largest release body, as mailsink's other JSON bodies. */
const BODY_LIMIT = '100kb';

/** The release handler and the saved-server list, sharing one sink's saved servers. */
export function mailhogReleaseRoutes(deps: CompatDeps, find: (req: Request) => StoredMessage): { release: RequestHandler[]; outgoing: RequestHandler } {
  const saved = new Map<string, SavedServer>();
  const release: RequestHandler = async (req, res) => {
    const message = find(req);
    const allowed = deps.releaseAllow ?? [];
    if (allowed.length === 0) throw new ApiError(403, 'release_disabled', 'release is off: start mailsink with --release-allow HOST:PORT (repeatable) to let releases reach that SMTP server', 'Host');
    const server = resolveServer(readBody(req.body), saved);
    const target = targetOf(server);
    if (!isReleaseAllowed(target, allowed)) {
      throw new ApiError(403, 'release_not_allowed', `${formatReleaseTarget(target)} is not listed by --release-allow (allowed: ${allowed.join(', ')})`, 'Host');
    }
    const auth = authOf(server);
    try {
      const reply = await releaseMessage({ target, mailFrom: message.envelope.mailFrom, rcptTo: [server.Email], raw: message.raw, ...(auth ? { auth } : {}) });
      deps.log.info(`released ${message.id} to ${formatReleaseTarget(target)} for <${server.Email}>: ${reply}`);
    } catch (err) {
      if (!(err instanceof ReleaseError)) throw err;
      throw new ApiError(500, 'release_failed', `release to ${formatReleaseTarget(target)} failed: ${err.message}`, 'Host', err.responseCode === null ? undefined : { responseCode: err.responseCode });
    }
    res.setHeader('Content-Type', 'text/json');
    res.status(200).end();
  };
  const outgoing: RequestHandler = (_req, res) => {
    const list = Object.fromEntries([...saved].map(([name, server]) => [name, { ...server, Save: true, Password: '' }]));
    res.json(list);
  };
  // The mailhog client posts JSON without a Content-Type: read any body as text unless express.json took it.
  return { release: [express.text({ type: () => true, limit: BODY_LIMIT }), release], outgoing };
}

/** The posted body as a field map with lowercased keys (Go's JSON decoding ignores case). */
function readBody(body: unknown): Map<string, unknown> {
  let value = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      throw new ApiError(400, 'invalid_json', 'the release body must be JSON: { "Host", "Port", "Email", "Username"?, "Password"?, "Mechanism"? }', 'body');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ApiError(400, 'invalid_json', 'the release body must be a JSON object', 'body');
  return new Map(Object.entries(value).map(([key, field]) => [key.toLowerCase(), field]));
}

/** The server to use: the body's, or a saved one by `Name`; `Save` keeps the body's under its `Name`. */
function resolveServer(body: Map<string, unknown>, saved: Map<string, SavedServer>): SavedServer {
  const text = (key: string, field: string): string => {
    const value = body.get(key);
    if (value === undefined || value === null) return '';
    if (typeof value === 'string' || (typeof value === 'number' && key === 'port')) return String(value);
    throw new ApiError(400, 'invalid_request', `${field} must be a string`, field);
  };
  const given: SavedServer = { Name: text('name', 'Name'), Email: text('email', 'Email'), Host: text('host', 'Host'), Port: text('port', 'Port'), Username: text('username', 'Username'), Password: text('password', 'Password'), Mechanism: text('mechanism', 'Mechanism') };
  const save = body.get('save') === true;
  if (save) {
    if (given.Name === '') throw new ApiError(400, 'invalid_request', 'Save needs a Name', 'Name');
    if (saved.has(given.Name)) throw new ApiError(400, 'invalid_request', `a server named "${given.Name}" is already saved`, 'Name');
  }
  let server = given;
  if (!save && given.Name !== '') {
    const known = saved.get(given.Name);
    if (!known) throw new ApiError(400, 'invalid_request', `no saved server named "${given.Name}"`, 'Name');
    server = { ...known, Email: given.Email || known.Email };
  }
  if (server.Email === '') throw new ApiError(400, 'invalid_request', 'Email (the recipient) is required', 'Email');
  targetOf(server);
  if (save) saved.set(given.Name, given);
  return server;
}

function targetOf(server: SavedServer): ReleaseTarget {
  if (server.Host === '') throw new ApiError(400, 'invalid_request', 'Host is required', 'Host');
  const target = parseReleaseTarget(`${server.Host.includes(':') ? `[${server.Host}]` : server.Host}:${server.Port}`);
  if (!target) throw new ApiError(400, 'invalid_request', `Host "${server.Host}" and Port "${server.Port}" are not a host and a port 1-65535`, server.Port === '' ? 'Port' : 'Host');
  return target;
}

function authOf(server: SavedServer): { user: string; pass: string; method: 'PLAIN' | 'CRAM-MD5' } | null {
  if (server.Username === '' && server.Password === '') return null;
  const mechanism = server.Mechanism.toUpperCase();
  if (mechanism === 'PLAIN') return { user: server.Username, pass: server.Password, method: 'PLAIN' };
  if (mechanism === 'CRAMMD5' || mechanism === 'CRAM-MD5') return { user: server.Username, pass: server.Password, method: 'CRAM-MD5' };
  throw new ApiError(400, 'invalid_request', `Mechanism must be PLAIN or CRAMMD5 when Username or Password is given (got "${server.Mechanism}")`, 'Mechanism');
}
