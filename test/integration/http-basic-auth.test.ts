/**
 * `--ui-auth-file`: basic auth (RFC 7617) on the inbox page, the whole API and the WebSocket, with
 * plain passwords (`:` allowed) and bcrypt hashes; `/api/health` stays open for health checks.
 */
import bcrypt from 'bcryptjs';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, SinkEvent } from '../../server/contract.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** The status of a WebSocket upgrade to `/api/events` (101 once the hello arrives). */
function wsStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, 'mailsink.v1', { headers });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('message', (data) => {
      expect((JSON.parse(data.toString()) as SinkEvent).type).toBe('hello');
      resolve(101);
      ws.close();
    });
    ws.on('error', (err) => (err.message.includes('Unexpected server response') ? undefined : reject(err)));
  });
}

describe('--ui-auth-file', () => {
  const write = useTmpFiles();
  const users = write('ui-users', `# inbox users\nadmin:pa:ss:word\nops:${bcrypt.hashSync('hunter2', 4)}\n`);
  const sink = useSink({ uiAuthFile: users });

  it('asks for credentials (401, WWW-Authenticate, a JSON error) without them or with wrong ones', async () => {
    for (const authorization of [undefined, basic('admin', 'pa:ss'), basic('admin', 'pa:ss:word '), basic('nobody', 'pa:ss:word'), basic('ops', 'hunter3'), 'Bearer x', 'Basic !!!']) {
      const res = await fetch(`${sink().httpUrl}/api/messages`, { headers: authorization ? { authorization } : {} });
      expect(res.status, authorization).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Basic realm="mailsink", charset="UTF-8"');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(((await res.json()) as ApiErrorBody).error.code).toBe('unauthorized');
    }
  });

  it('lets in the right user and password (a password with colons, a bcrypt hash), on the API and the page', async () => {
    for (const authorization of [basic('admin', 'pa:ss:word'), basic('ops', 'hunter2')]) {
      expect((await fetch(`${sink().httpUrl}/api/messages`, { headers: { authorization } })).status).toBe(200);
      expect((await fetch(`${sink().httpUrl}/api/docs`, { headers: { authorization } })).status).toBe(200);
    }
    expect((await fetch(`${sink().httpUrl}/`)).status).toBe(401);
    expect((await fetch(`${sink().httpUrl}/api/openapi.json`)).status).toBe(401);
    expect((await fetch(`${sink().httpUrl}/api/messages`, { method: 'DELETE' })).status).toBe(401);
  });

  it('keeps /api/health open', async () => {
    const res = await fetch(`${sink().httpUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });

  it('guards the WebSocket the same way', async () => {
    const url = `${sink().httpUrl.replace(/^http/, 'ws')}/api/events`;
    expect(await wsStatus(url)).toBe(401);
    expect(await wsStatus(url, { authorization: basic('admin', 'wrong') })).toBe(401);
    expect(await wsStatus(url, { authorization: basic('admin', 'pa:ss:word') })).toBe(101);
    expect(await wsStatus(url, { authorization: basic('ops', 'hunter2') })).toBe(101);
  });

  it('SMTP is not affected, and the sink\'s own client authenticates as the first plain-password user', async () => {
    const t = transport(sink());
    await t.sendMail({ from: 'a@example.com', to: 'b@example.org', subject: 'behind auth', text: 'x' });
    t.close();
    expect((await sink().client.list()).messages[0]).toMatchObject({ subject: 'behind auth' });
    expect(await api(sink(), '/api/messages/latest', { headers: { authorization: basic('admin', 'pa:ss:word') } })).toMatchObject({ subject: 'behind auth' });
  });
});
