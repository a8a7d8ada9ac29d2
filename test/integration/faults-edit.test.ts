/**
 * Editing fault rules in place: `PUT /api/faults/:id` (new definition, counts kept), `PATCH
 * /api/faults/:id { enabled }` (a disabled rule is skipped, nothing counted) and `PUT
 * /api/faults/order` (the first matching rule fires), each shown over a raw SMTP session, each
 * publishing `faults.changed`; `enabled` from `--faults-file`; bad input is a 400 or 404 naming the field.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, FaultRule, Rejection } from '../../server/contract.js';
import { configFromCli } from '../../server/config.js';
import type { FaultList, FaultOrder } from '../../server/http/faults-routes.js';
import { connectEvents } from '../helpers/events.js';
import { api, useSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';
import type { SmtpSession } from '../helpers/smtp-session.js';

const TIME = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown as string;
const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A session that has sent MAIL FROM, ready for RCPT commands. */
async function rcptSession(port: number): Promise<SmtpSession> {
  const session = await openSmtp(port);
  expect(await session.reply()).toMatch(/^220 /);
  expect(await session.command('EHLO client.example')).toMatch(/^250 /);
  expect(await session.command('MAIL FROM:<app@example.com>')).toBe('250 2.1.0 Accepted');
  return session;
}

async function errorOf(res: Response): Promise<ApiErrorBody['error'] & { status: number }> {
  return { status: res.status, ...((await res.json()) as ApiErrorBody).error };
}

describe('PUT, PATCH and reorder fault rules', () => {
  const sink = useSink();
  const add = async (rules: unknown[]) => (await api<{ rules: FaultRule[] }>(sink(), '/api/faults', json('POST', rules))).rules;

  it('PUT replaces the definition, keeps id, createdAt, hits and matched, and applies to the next RCPT', async () => {
    await api(sink(), '/api/faults', { method: 'DELETE' });
    const [rule] = (await add([{ stage: 'rcptTo', match: { rcptTo: '*@a.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No a' }, times: 2 }])) as [FaultRule];
    const session = await rcptSession(sink().smtpPort);
    try {
      expect(await session.command('RCPT TO:<x@a.example>')).toBe('550 5.1.1 No a');
      const events = await connectEvents(sink());
      try {
        const res = await fetch(`${sink().httpUrl}/api/faults/${rule.id}`, json('PUT', { stage: 'rcptTo', match: { rcptTo: '*@b.example' }, reply: { code: 451, enhancedCode: '4.7.1', text: 'Later b' }, times: 3 }));
        expect(res.status).toBe(200);
        const updated = (await res.json()) as FaultRule;
        expect(updated).toEqual({
          id: rule.id, createdAt: rule.createdAt, stage: 'rcptTo', match: { rcptTo: '*@b.example' }, reply: { code: 451, enhancedCode: '4.7.1', text: 'Later b' }, times: 3,
          hits: 1, matched: 1, active: true, enabled: true, description: 'rcptTo matching *@b.example → 451 4.7.1, 2 of 3 left',
          lastFired: { time: TIME, code: 550, disconnect: false, remoteAddress: '127.0.0.1' },
        });
        expect((await events.next('faults.changed')).rules).toEqual([updated]);
      } finally {
        await events.close();
      }
      expect(await session.command('RCPT TO:<x@a.example>')).toBe('250 2.1.5 Accepted');
      expect(await session.command('RCPT TO:<x@b.example>')).toBe('451 4.7.1 Later b');
      const once = await api<FaultRule>(sink(), `/api/faults/${rule.id}`, json('PUT', { stage: 'rcptTo', match: { rcptTo: '*@b.example' }, reply: { code: 451 }, times: 2 }));
      expect(once).toMatchObject({ hits: 2, matched: 2, active: false, description: 'rcptTo matching *@b.example → 451, 0 of 2 left', lastFired: { code: 451, disconnect: false, remoteAddress: '127.0.0.1' } });
      expect(await session.command('RCPT TO:<x@b.example>')).toBe('250 2.1.5 Accepted'); // times used up by the kept hits
    } finally {
      await session.close();
    }
  });

  it('PATCH enabled: false skips the rule (no matched, hits or rejection counted); true turns it back on', async () => {
    await api(sink(), '/api/faults', { method: 'DELETE' });
    await api(sink(), '/api/rejections', { method: 'DELETE' });
    const [rule] = (await add([{ stage: 'rcptTo', match: { rcptTo: '*@off.example' }, reply: { code: 550, enhancedCode: '5.7.1', text: 'Off' } }])) as [FaultRule];
    const session = await rcptSession(sink().smtpPort);
    try {
      const events = await connectEvents(sink());
      const off = await api<FaultRule>(sink(), `/api/faults/${rule.id}`, json('PATCH', { enabled: false }));
      expect(off).toEqual({ ...rule, enabled: false, description: 'rcptTo matching *@off.example → 550 5.7.1, disabled' });
      expect((await events.next('faults.changed')).rules).toEqual([off]);
      await events.close();
      expect(await session.command('RCPT TO:<x@off.example>')).toBe('250 2.1.5 Accepted');
      expect((await api<FaultList>(sink(), '/api/faults')).rules).toEqual([off]);
      expect((await api<{ total: number }>(sink(), '/api/rejections')).total).toBe(0);

      const on = await api<FaultRule>(sink(), `/api/faults/${rule.id}`, json('PATCH', { enabled: true }));
      expect(on).toEqual({ ...rule, enabled: true, description: 'rcptTo matching *@off.example → 550 5.7.1' });
      expect(await session.command('RCPT TO:<y@off.example>')).toBe('550 5.7.1 Off');
      expect((await api<FaultList>(sink(), '/api/faults')).rules[0]).toMatchObject({ hits: 1, matched: 1, enabled: true });
    } finally {
      await session.close();
    }
  });

  it('PUT /api/faults/order decides which of two matching rules fires', async () => {
    await api(sink(), '/api/faults', { method: 'DELETE' });
    const [first, second] = (await add([
      { stage: 'rcptTo', match: { rcptTo: '*@both.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'First rule' } },
      { stage: 'rcptTo', match: { rcptTo: '*@both.example' }, reply: { code: 551, enhancedCode: '5.1.6', text: 'Second rule' } },
    ])) as [FaultRule, FaultRule];
    const session = await rcptSession(sink().smtpPort);
    try {
      expect(await session.command('RCPT TO:<x@both.example>')).toBe('550 5.1.1 First rule');
      const events = await connectEvents(sink());
      const { rules } = await api<FaultOrder>(sink(), '/api/faults/order', json('PUT', { ids: [second.id, first.id] }));
      expect(rules.map((r) => [r.id, r.hits])).toEqual([[second.id, 0], [first.id, 1]]);
      expect((await events.next('faults.changed')).rules).toEqual(rules);
      await events.close();
      expect(await session.command('RCPT TO:<x@both.example>')).toBe('551 5.1.6 Second rule');
      expect((await api<FaultList>(sink(), '/api/faults')).rules.map((r) => r.id)).toEqual([second.id, first.id]);
      // Moved back down and disabled: the refusal keeps the description the rule had when it fired.
      await api(sink(), '/api/faults/order', json('PUT', { ids: [first.id, second.id] }));
      const off = await api<FaultRule>(sink(), `/api/faults/${second.id}`, json('PATCH', { enabled: false }));
      expect(off.description).toBe('rcptTo matching *@both.example → 551 5.1.6, disabled');
      const { rejections } = await api<{ rejections: Rejection[] }>(sink(), '/api/rejections');
      expect(rejections.slice(0, 2).map((r) => [r.ruleId, r.ruleDescription, r.reply])).toEqual([
        [second.id, 'rcptTo matching *@both.example → 551 5.1.6', '551 5.1.6 Second rule'],
        [first.id, 'rcptTo matching *@both.example → 550 5.1.1', '550 5.1.1 First rule'],
      ]);
    } finally {
      await session.close();
    }
  });

  it('POST accepts enabled: false (stored, skipped); a rule without it is enabled', async () => {
    await api(sink(), '/api/faults', { method: 'DELETE' });
    const rules = await add([{ stage: 'mailFrom', reply: { code: 550 }, enabled: false }, { stage: 'connect', delayMs: 0 }]);
    expect(rules.map((r) => [r.enabled, r.description])).toEqual([[false, 'mailFrom → 550, disabled'], [true, 'connect → delay 0 ms']]);
    const session = await rcptSession(sink().smtpPort); // MAIL FROM is accepted
    await session.close();
    expect((await api<FaultList>(sink(), '/api/faults')).rules.map((r) => r.matched)).toEqual([0, 1]);
  });

  it('400 naming the field, 404 for an unknown id; nothing changes', async () => {
    await api(sink(), '/api/faults', { method: 'DELETE' });
    const [a, b] = (await add([{ stage: 'rcptTo', reply: { code: 550 } }, { stage: 'data', reply: { code: 554 } }])) as [FaultRule, FaultRule];
    const url = `${sink().httpUrl}/api/faults`;
    const cases: [string, RequestInit, Partial<ApiErrorBody['error']> & { status: number }][] = [
      [`/nope`, json('PUT', { stage: 'rcptTo', reply: { code: 550 } }), { status: 404, code: 'not_found', field: 'id', message: 'no fault rule with id "nope"' }],
      [`/${a.id}`, json('PUT', { stage: 'rcptTo', reply: { code: 99 } }), { status: 400, code: 'invalid_request', field: 'reply.code' }],
      [`/${a.id}`, json('PUT', { stage: 'rcptTo', reply: { code: 550 }, colour: 'red' }), { status: 400, field: 'colour' }],
      [`/${a.id}`, json('PUT', { stage: 'rcptTo', reply: { code: 550 }, enabled: 'yes' }), { status: 400, field: 'enabled' }],
      [`/${a.id}`, json('PUT', [{ stage: 'rcptTo', reply: { code: 550 } }]), { status: 400, field: 'body', message: 'invalid body: PUT takes one rule, not an array' }],
      [`/nope`, json('PATCH', { enabled: false }), { status: 404, code: 'not_found', field: 'id' }],
      [`/${a.id}`, json('PATCH', { enabled: 'no' }), { status: 400, field: 'enabled' }],
      [`/${a.id}`, json('PATCH', {}), { status: 400, field: 'enabled' }],
      ['/order', json('PUT', { ids: [a.id, 'zzz'] }), { status: 400, field: 'ids', message: 'invalid body field "ids": unknown fault rule id "zzz"' }],
      ['/order', json('PUT', { ids: [a.id, a.id] }), { status: 400, field: 'ids', message: `invalid body field "ids": fault rule id "${a.id}" is given twice` }],
      ['/order', json('PUT', { ids: [b.id] }), { status: 400, field: 'ids', message: `invalid body field "ids": fault rule id "${a.id}" is missing (give every current id once)` }],
      ['/order', json('PUT', { ids: 'all' }), { status: 400, field: 'ids' }],
    ];
    for (const [suffix, init, expected] of cases) expect(await errorOf(await fetch(url + suffix, init)), `${init.method} ${suffix} ${String(init.body)}`).toMatchObject(expected);
    expect((await api<FaultList>(sink(), '/api/faults')).rules).toEqual([a, b]);
  });
});

describe('enabled in --faults-file', () => {
  it('is read and validated like the REST body', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mailsink-faults-'));
    const file = path.join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify([{ stage: 'rcptTo', reply: { code: 550 }, enabled: false }]));
    const request = configFromCli(['--faults-file', file], {});
    expect(request.kind === 'run' && request.config.faults).toEqual([{ stage: 'rcptTo', reply: { code: 550 }, enabled: false }]);
    writeFileSync(file, JSON.stringify([{ stage: 'rcptTo', reply: { code: 550 }, enabled: 1 }]));
    expect(() => configFromCli(['--faults-file', file], {})).toThrow(`invalid --faults-file ${file}: rule 0 field "enabled": Invalid input: expected boolean, received number`);
  });
});
