/**
 * The typed client (`mailsink/client`) against a live sink, every method, and its typed errors;
 * the package's export map (the built `mailsink` and `mailsink/client` resolve by name) and the
 * client's independence from Node built-ins.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, MailsinkApiError, MailsinkClient, MailsinkConnectionError, MailsinkTimeoutError } from 'mailsink/client';
import { describe, expect, it } from 'vitest';
import { startTestSink, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('client against a live sink', () => {
  const sink = useSink();
  const mail = () => createClient(`${sink().httpUrl}/`);
  let id = '';

  it('health, waitFor, list, get, cursor', async () => {
    expect(mail().baseUrl).toBe(sink().httpUrl);
    expect(await mail().health()).toMatchObject({ status: 'ok', smtpPort: sink().smtpPort, messages: 0 });
    const waiting = mail().waitFor('mailbox:client@example.test', { timeoutMs: 5_000 });
    const t = transport(sink());
    await t.sendMail({
      from: 'App <app@example.test>',
      to: 'client@example.test',
      subject: 'Client test',
      text: 'Your code: 135790 https://app.example/a',
      html: '<p><a href="https://app.example/a">Open</a></p>',
      attachments: [{ filename: 'notes.txt', content: 'attached text' }],
    });
    t.close();
    const [summary] = await waiting;
    id = summary!.id;
    expect(await mail().cursor()).toBe(summary!.seq);
    const list = await mail().list('subject:"client test"', { limit: 5 });
    expect(list).toMatchObject({ total: 1, count: 1 });
    expect(list.messages[0]!.id).toBe(id);
    const detail = await mail().get(id);
    expect(detail).toMatchObject({ id, subject: 'Client test', bccOnly: [], read: false });
    expect((await mail().get('latest')).id).toBe(id);
  });

  it('raw, html, text, attachment, links, codes', async () => {
    const raw = new TextDecoder().decode(await mail().raw(id));
    expect(raw).toContain('Subject: Client test\r\n');
    expect(raw).toBe(sink().store.get(id)!.raw.toString('utf8'));
    expect(await mail().html(id)).toBe('<p><a href="https://app.example/a">Open</a></p>');
    expect(await mail().text(id)).toBe('Your code: 135790 https://app.example/a');
    const part = (await mail().get(id)).attachments[0]!;
    expect(new TextDecoder().decode(await mail().attachment(id, part.partId))).toBe('attached text');
    expect(await mail().links(id)).toEqual([{ url: 'https://app.example/a', text: 'Open', sources: ['html', 'text'] }]);
    expect(await mail().codes(id)).toEqual(['135790']);
  });

  it('mailboxes, markRead, importMessage, delete, clear', async () => {
    expect(await mail().mailboxes()).toEqual([{ mailbox: 'client@example.test', count: 1, unread: 1, tags: [] }]);
    expect(await mail().markRead(id)).toMatchObject({ id, read: true });
    const imported = await mail().importMessage('From: x@example.test\r\nTo: Y+z@Example.test\r\nSubject: imported\r\n\r\nbody\r\n');
    expect(imported).toMatchObject({ subject: 'imported', envelope: { mailFrom: 'x@example.test', rcptTo: ['Y+z@Example.test'] } });
    const overridden = await mail().importMessage(new TextEncoder().encode('Subject: no headers\r\n\r\nx\r\n'), { mailFrom: 'm@example.test', rcptTo: ['r1@example.test', 'r2@example.test'] });
    expect(overridden.envelope).toEqual({ mailFrom: 'm@example.test', rcptTo: ['r1@example.test', 'r2@example.test'] });
    await mail().delete(overridden.id);
    await mail().clear('mailbox:y@example.test');
    expect((await mail().list()).messages.map((m) => m.id)).toEqual([id]);
    await mail().clear();
    expect((await mail().list()).total).toBe(0);
  });

  it('faults.add, list, remove, clear', async () => {
    const [rule] = await mail().faults.add({ stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1' }, times: 1 });
    expect(rule).toMatchObject({ stage: 'rcptTo', hits: 0, active: true });
    const t = transport(sink());
    const refused = await t.sendMail({ from: 'a@example.test', to: 'nobody@bounce.example', subject: 's', text: 't' }).catch((err: unknown) => err);
    t.close();
    expect(refused).toMatchObject({ responseCode: 550 });
    expect(await mail().faults.list()).toMatchObject([{ id: rule!.id, hits: 1, active: false }]);
    await mail().faults.remove(rule!.id);
    expect(await mail().faults.list()).toEqual([]);
    await mail().faults.add([{ stage: 'connect', reply: { code: 421 } }, { stage: 'data', delayMs: 1 }]);
    expect(await mail().faults.list()).toHaveLength(2);
    await mail().faults.clear();
    expect(await mail().faults.list()).toEqual([]);
  });

  it('throws typed errors that say what failed', async () => {
    const notFound = await mail().get('nope').catch((err: unknown) => err);
    expect(notFound).toBeInstanceOf(MailsinkApiError);
    expect(notFound).toMatchObject({ status: 404, code: 'not_found', field: 'id', method: 'GET', path: '/api/messages/nope' });
    expect((notFound as Error).message).toBe('GET /api/messages/nope → 404 not_found: no message with id "nope"');
    const badQuery = await mail().list('is:maybe').catch((err: unknown) => err);
    expect(badQuery).toMatchObject({ status: 400, code: 'invalid_query', field: 'query' });
    expect((badQuery as Error).message).toContain('is:maybe');
    const badRule = await mail().faults.add({ stage: 'rcptTo', reply: { code: 250 } }).catch((err: unknown) => err);
    expect(badRule).toMatchObject({ status: 400, field: 'reply.code' });
    await expect(mail().faults.remove('no-such-rule')).rejects.toMatchObject({ status: 404 });
    await expect(mail().importMessage('Subject: nobody\r\n\r\nx\r\n')).rejects.toMatchObject({ status: 400, field: 'rcptTo' });
    const timeout = await mail().waitFor('mailbox:never@example.test', { timeoutMs: 50 }).catch((err: unknown) => err);
    expect(timeout).toBeInstanceOf(MailsinkTimeoutError);
    expect(timeout).toBeInstanceOf(MailsinkApiError);
  });

  it('a wait can be aborted; an unreachable sink is a MailsinkConnectionError', async () => {
    const abort = new AbortController();
    const waiting = mail().waitFor('mailbox:aborted@example.test', { timeoutMs: 60_000, signal: abort.signal }).catch((err: unknown) => err);
    abort.abort();
    expect(await waiting).toBeInstanceOf(MailsinkConnectionError);
    const stopped = await startTestSink();
    await stopped.stop();
    const error = await new MailsinkClient(stopped.httpUrl).health().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MailsinkConnectionError);
    expect((error as Error).message).toMatch(new RegExp(`^GET /api/health: cannot reach mailsink at ${stopped.httpUrl}: fetch failed: .*ECONNREFUSED`));
  });
});

describe('packaging', () => {
  it('the built package resolves `mailsink` and `mailsink/client` by name through its export map', () => {
    if (!existsSync(path.join(ROOT, 'dist/server/client.js'))) throw new Error('dist/server/client.js is missing: run `npm run build` first (npm test does)');
    const script = "const c = await import('mailsink/client'); const m = await import('mailsink'); console.log(JSON.stringify([typeof c.createClient, typeof m.startSink, typeof m.createClient, Object.keys(c).sort()]))";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([
      'function', 'function', 'function',
      ['MailsinkApiError', 'MailsinkClient', 'MailsinkConnectionError', 'MailsinkError', 'MailsinkTimeoutError', 'SIX_DIGIT_CODE', 'createClient', 'findCodes'],
    ]);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
    for (const entry of ['.', './client']) {
      expect(existsSync(path.join(ROOT, pkg.exports[entry]!.types)), entry).toBe(true);
      expect(existsSync(path.join(ROOT, pkg.exports[entry]!.default)), entry).toBe(true);
    }
  });

  it('the client imports nothing but its own error module and contract types (no node: built-ins, Buffer or process)', () => {
    for (const file of ['server/client.ts', 'server/client-errors.ts']) {
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      const specifiers = [...source.matchAll(/^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => `${m[2] ? 'type ' : ''}${m[3]}`);
      expect(specifiers.every((s) => s === './client-errors.js' || s === 'type ./contract.js'), `${file}: ${specifiers.join(', ')}`).toBe(true);
      expect(source).not.toMatch(/\b(Buffer|process)\.|\brequire\(/);
    }
  });
});
