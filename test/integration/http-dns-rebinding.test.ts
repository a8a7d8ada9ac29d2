/**
 * DNS rebinding (issue 11 §3): a page on `http://evil.example:8025` whose name resolves to
 * 127.0.0.1 sends `Host: evil.example:8025`. Requests are sent over real sockets with a forged
 * `Host` (raw `http.request`, a `ws` client, and an HTTP/1.0 request without `Host` on a bare TCP
 * socket): only loopback names, IP addresses, this machine's name, the bound host and
 * `--allowed-host` names are served; everything else gets `403 host_not_allowed` on every route,
 * the WebSocket upgrade included, and no message is read or deleted.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Sink } from '../../server/sink.js';
import { useSink } from '../helpers/sink.js';
import { runCli } from '../helpers/cli.js';
import { sendMail } from '../helpers/inbox-page.js';

interface Answer {
  status: number;
  type: string;
  body: string;
  csp: string;
}

/** One request to the sink's HTTP port with exactly this `Host` header. */
function withHost(sink: Sink, host: string, path: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: sink.httpPort, path, method, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body, csp: String(res.headers['content-security-policy'] ?? '') }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens `/api/events` with a forged `Host`: the first frame, or the refused upgrade's status and body. */
function wsWithHost(sink: Sink, host: string): Promise<{ status: number; body: string } | { hello: { type: string } }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${sink.httpPort}/api/events`, 'mailsink.v1', { headers: { host } });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    ws.on('message', (data: Buffer) => {
      resolve({ hello: JSON.parse(data.toString('utf8')) as { type: string } });
      ws.close();
    });
    ws.on('error', (err) => (err.message.startsWith('Unexpected server response') ? undefined : reject(err)));
  });
}

/** An HTTP/1.0 request without any `Host` header, on a bare socket; resolves with the status line. */
function withoutHost(sink: Sink, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(sink.httpPort, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('latin1')));
    socket.on('end', () => resolve(data.split('\r\n')[0]!));
    socket.on('error', reject);
  });
}

describe('DNS rebinding: only known Host names are served', () => {
  const sink = useSink();

  it('a foreign Host gets 403 host_not_allowed on every route, and nothing is read or deleted', async () => {
    await sendMail(sink(), { subject: 'Secret reset link', text: 'code 123456' });
    const id = sink().store.latest()!.id;
    const host = 'evil.example:8025';
    for (const [path, method] of [
      ['/api/messages', 'GET'],
      [`/api/messages/${id}`, 'GET'],
      [`/api/messages/${id}/raw`, 'GET'],
      ['/api/messages', 'DELETE'],
      [`/api/messages/${id}`, 'DELETE'],
      ['/api/health', 'GET'],
      ['/api/docs', 'GET'],
      ['/api/openapi.json', 'GET'],
      ['/', 'GET'],
      ['/index.html', 'GET'],
    ] as const) {
      const answer = await withHost(sink(), host, path, method);
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.type).toBe('application/json; charset=utf-8');
      expect(answer.csp).toContain("default-src 'none'");
      expect(JSON.parse(answer.body)).toEqual({
        error: {
          code: 'host_not_allowed',
          field: 'Host',
          message: 'Host "evil.example:8025" is not allowed (DNS-rebinding protection); if you reach mailsink under this name, start it with --allowed-host evil.example (or MAILSINK_ALLOWED_HOSTS=evil.example)',
        },
      });
    }
    expect(sink().store.size).toBe(1);
    expect(sink().store.get(id)?.read).toBe(false);
  });

  it('the WebSocket upgrade with a foreign Host is refused with 403 and the same JSON', async () => {
    const refused = await wsWithHost(sink(), 'evil.example:8025');
    expect(refused).toMatchObject({ status: 403 });
    expect(JSON.parse((refused as { body: string }).body)).toMatchObject({ error: { code: 'host_not_allowed', field: 'Host' } });
    await expect(wsWithHost(sink(), `localhost:${sink().httpPort}`)).resolves.toMatchObject({ hello: { type: 'hello' } });
    await expect(wsWithHost(sink(), `127.0.0.1:${sink().httpPort}`)).resolves.toMatchObject({ hello: { type: 'hello' } });
  });

  it('serves loopback names and addresses, IP addresses, this machine’s name; refuses look-alikes', async () => {
    const port = sink().httpPort;
    const allowed = [
      `127.0.0.1:${port}`,
      '127.0.0.1',
      `localhost:${port}`,
      'LOCALHOST.',
      `app.localhost:${port}`,
      `127.9.8.7:${port}`,
      `[::1]:${port}`,
      `192.0.2.2:${port}`,
      `10.1.2.3:${port}`,
      `[2001:db8::1]:${port}`,
      `${hostname()}:${port}`,
    ];
    for (const host of allowed) expect((await withHost(sink(), host, '/api/health')).status, host).toBe(200);
    const refused = [
      'evil.example',
      'localhost.evil.example',
      '127.0.0.1.evil.example',
      `evil-localhost:${port}`,
      'mailsink:8025',
      `${hostname()}.evil.example`,
      '127.0.0.1:8025@evil.example',
      'evil.example:8025:1',
      '[evil.example]:8025',
    ];
    for (const host of refused) expect((await withHost(sink(), host, '/api/health')).status, JSON.stringify(host)).toBe(403);
  });

  it('a request without Host (HTTP/1.0, not a browser) is served', async () => {
    await expect(withoutHost(sink(), '/api/health')).resolves.toBe('HTTP/1.1 200 OK');
  });

  it('the sink’s own client keeps working', async () => {
    await expect(sink().client.health()).resolves.toMatchObject({ status: 'ok' });
  });
});

describe('--allowed-host', () => {
  const sink = useSink({ allowedHosts: ['mailsink', '*.staging.example.org', 'Bücher.example'] });

  it('serves the listed names, subdomains of a wildcard (not its apex or look-alikes), IDNs as punycode', async () => {
    expect(sink().config.allowedHosts).toEqual(['mailsink', '*.staging.example.org', 'xn--bcher-kva.example']);
    for (const host of ['mailsink:8025', 'MailSink', 'a.staging.example.org', 'x.y.staging.example.org:443', 'xn--bcher-kva.example']) {
      expect((await withHost(sink(), host, '/api/messages')).status, host).toBe(200);
    }
    for (const host of ['staging.example.org', 'evilstaging.example.org', 'a.staging.example.org.evil.example', 'mailsink.evil.example', 'evil.example']) {
      expect((await withHost(sink(), host, '/api/messages')).status, host).toBe(403);
    }
    await expect(wsWithHost(sink(), 'mailsink:8025')).resolves.toMatchObject({ hello: { type: 'hello' } });
  });
});

describe('--allowed-host *', () => {
  const sink = useSink({ allowedHosts: ['*'] });

  it('turns the check off', async () => {
    expect((await withHost(sink(), 'evil.example:8025', '/api/messages')).status).toBe(200);
    await expect(wsWithHost(sink(), 'evil.example:8025')).resolves.toMatchObject({ hello: { type: 'hello' } });
  });
});

describe('mailsink --allowed-host (the built CLI)', () => {
  it('a bad entry exits 1 with one line naming the flag or the variable', async () => {
    const flag = await runCli(['--allowed-host', 'http://mailsink:8025']);
    expect(flag.status).toBe(1);
    expect(flag.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/^mailsink: invalid --allowed-host: "http:\/\/mailsink:8025": expected a host name/)]);
    const env = await runCli([], { MAILSINK_ALLOWED_HOSTS: 'mailsink,*.com' });
    expect(env.status).toBe(1);
    expect(env.stderr.trimEnd()).toBe('mailsink: invalid MAILSINK_ALLOWED_HOSTS: "*.com": *.com is too broad (anyone can register a name under com); name a domain such as *.example.com (got "mailsink,*.com")');
  });
});
