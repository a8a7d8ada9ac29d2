/**
 * Fault rules over REST: `GET/POST/DELETE /api/faults`, `DELETE /api/faults/:id`. The whole rule
 * table is loaded with one POST and behaves as from the CLI; changes apply to the next SMTP command
 * of an open session; bad input is a 400 naming the field (and the rule's index in an array), and
 * adds nothing.
 */
import { describe, expect, it } from 'vitest';
import type { ApiErrorBody, FaultRule } from '../../server/contract.js';
import type { FaultList } from '../../server/http/faults-routes.js';
import { expectFaultTable, FAULT_SCENARIOS, SEED } from '../helpers/fault-scenarios.js';
import { api, useSink } from '../helpers/sink.js';
import { openSmtp } from '../helpers/smtp-session.js';

function post(body: unknown): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

describe('POST /api/faults with the rule table', () => {
  const sink = useSink({ faultSeed: SEED });

  it('adds every rule in order (201) and every stage, times, nth, delay, disconnect and probability work', async () => {
    const { rules } = await api<{ rules: FaultRule[] }>(sink(), '/api/faults', post(FAULT_SCENARIOS.map((s) => s.rule)));
    expect(rules).toHaveLength(FAULT_SCENARIOS.length);
    expect(rules[0]).toMatchObject({ id: expect.stringMatching(/^[\w-]+$/), hits: 0, matched: 0, active: true, createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    await expectFaultTable(sink());
  });
});

describe('REST rule management', () => {
  const sink = useSink();

  it('one rule: add, list, apply to the next command of an open session, remove, gone', async () => {
    const session = await openSmtp(sink().smtpPort);
    try {
      expect(await session.reply()).toMatch(/^220 /);
      expect(await session.command('EHLO client.example')).toMatch(/^250 /);
      expect(await session.command('MAIL FROM:<app@example.com>')).toBe('250 2.1.0 Accepted');

      const res = await fetch(`${sink().httpUrl}/api/faults`, post({ stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1' }, times: 1 }));
      expect(res.status).toBe(201);
      const [rule] = ((await res.json()) as { rules: FaultRule[] }).rules;
      expect(rule).toMatchObject({ stage: 'rcptTo', hits: 0, active: true, description: 'rcptTo matching *@bounce.example → 550 5.1.1, 1 of 1 left' });
      expect((await api<FaultList>(sink(), '/api/faults')).rules.map((r) => r.id)).toEqual([rule!.id]);

      expect(await session.command('RCPT TO:<user@bounce.example>')).toBe('550 5.1.1 Requested action not taken: mailbox unavailable');
      expect(await session.command('RCPT TO:<user@bounce.example>')).toBe('250 2.1.5 Accepted'); // times: 1 used up
      expect((await api<FaultList>(sink(), '/api/faults')).rules[0]).toMatchObject({ hits: 1, active: false, description: 'rcptTo matching *@bounce.example → 550 5.1.1, 0 of 1 left' });

      expect((await fetch(`${sink().httpUrl}/api/faults/${rule!.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await api<FaultList>(sink(), '/api/faults')).rules).toEqual([]);
      const again = await fetch(`${sink().httpUrl}/api/faults/${rule!.id}`, { method: 'DELETE' });
      expect(again.status).toBe(404);
      expect(((await again.json()) as ApiErrorBody).error).toEqual({ code: 'not_found', message: `no fault rule with id "${rule!.id}"`, field: 'id' });
    } finally {
      await session.close();
    }
  });

  it('DELETE /api/faults removes every rule; the next session is served normally', async () => {
    await api(sink(), '/api/faults', post([{ stage: 'connect', reply: { code: 421 } }, { stage: 'mailFrom', disconnect: true }]));
    expect((await api<FaultList>(sink(), '/api/faults')).rules).toHaveLength(2);
    expect((await fetch(`${sink().httpUrl}/api/faults`, { method: 'DELETE' })).status).toBe(204);
    expect((await api<FaultList>(sink(), '/api/faults')).rules).toEqual([]);
    const session = await openSmtp(sink().smtpPort);
    try {
      expect(await session.reply()).toMatch(/^220 /);
    } finally {
      await session.close();
    }
  });

  const bad: Array<[string, unknown, string, string]> = [
    ['a reply code out of range', { stage: 'rcptTo', reply: { code: 250 } }, 'reply.code', 'invalid body: rule field "reply.code": expected a 4xx or 5xx reply code'],
    ['a missing stage', { reply: { code: 550 } }, 'stage', 'invalid body: rule field "stage": Invalid option: expected one of "connect"|"auth"|"mailFrom"|"rcptTo"|"data"'],
    ['a bad enhanced code', { stage: 'rcptTo', reply: { code: 550, enhancedCode: '5.1' } }, 'reply.enhancedCode', 'invalid body: rule field "reply.enhancedCode": expected an RFC 3463 code such as 5.1.1'],
    ['a two-line text', { stage: 'rcptTo', reply: { code: 550, text: 'a\r\n250 ok' } }, 'reply.text', 'invalid body: rule field "reply.text": must be one line'],
    ['an unknown match field', { stage: 'rcptTo', match: { to: '*' }, reply: { code: 550 } }, 'match.to', 'invalid body: rule field "match.to": Unrecognized key: "to"'],
    ['an invalid regex', { stage: 'rcptTo', match: { rcptTo: '/(/' }, reply: { code: 550 } }, 'match.rcptTo', 'invalid body: rule field "match.rcptTo": invalid /regex/: missing closing ): `(`'],
    ['a regex with a lookbehind', { stage: 'rcptTo', match: { rcptTo: '/(?<!x)@example/' }, reply: { code: 550 } }, 'match.rcptTo', 'invalid body: rule field "match.rcptTo": lookahead and lookbehind ((?=…), (?!…), (?<=…), (?<!…)) are not supported: regexes run on a linear-time engine (RE2 syntax)'],
    ['no action', { stage: 'rcptTo', times: 1 }, 'reply', 'invalid body: rule field "reply": a rule needs a reply, disconnect: true or delayMs'],
    ['a negative delay', { stage: 'data', delayMs: -5 }, 'delayMs', 'invalid body: rule field "delayMs": Too small: expected number to be >=0'],
    ['rule 2 of an array', [{ stage: 'connect', delayMs: 10 }, { stage: 'rcptTo', reply: { code: 550 } }, { stage: 'auth', match: { authUser: 'x' }, probability: 1.5, reply: { code: 535 } }], '2.probability', 'invalid body: rule 2 field "probability": Too big: expected number to be <=1'],
  ];

  it.for(bad)('%s: 400 naming the field, nothing added', async ([, body, field, message]) => {
    const res = await fetch(`${sink().httpUrl}/api/faults`, post(body));
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiErrorBody).error).toEqual({ code: 'invalid_request', message, field });
    expect((await api<FaultList>(sink(), '/api/faults')).rules).toEqual([]);
  });

  it('a body that is not JSON: 400 invalid_json', async () => {
    const res = await fetch(`${sink().httpUrl}/api/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"stage":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as ApiErrorBody).error).toMatchObject({ code: 'invalid_json', field: 'body' });
  });
});
