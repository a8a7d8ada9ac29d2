/**
 * `probability` is opt-in and replayable: the sink draws from a generator seeded with
 * `faultSeed` (`--fault-seed`, shown by `GET /api/faults`), so two sinks with the same seed refuse
 * the same recipients of the same traffic, and another seed gives another sequence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultList } from '../../server/http/faults-routes.js';
import type { Sink } from '../../server/sink.js';
import { SEEDED_OUTCOMES } from '../helpers/fault-scenarios.js';
import { api, startTestSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const RULE = { stage: 'rcptTo', match: { rcptTo: '*@flaky.example' }, reply: { code: 451, enhancedCode: '4.3.0', text: 'Try again later' }, probability: 0.5 } as const;
const RECIPIENTS = Array.from({ length: 24 }, (_, i) => `user${i}@flaky.example`);

/** Sends one message to every recipient; returns, per recipient, whether the rule refused it. */
async function outcomes(sink: Sink): Promise<boolean[]> {
  const t = transport(sink);
  try {
    const info = await t.sendMail({ from: 'app@example.com', to: [...RECIPIENTS, 'steady@example.org'], subject: 'dice', text: 'x' });
    expect(info.accepted).toContain('steady@example.org');
    for (const error of (info as unknown as { rejectedErrors?: Array<{ response: string }> }).rejectedErrors ?? []) expect(error.response).toBe('451 4.3.0 Try again later');
    return RECIPIENTS.map((rcpt) => info.rejected.includes(rcpt));
  } finally {
    t.close();
  }
}

describe('probability with a seed', () => {
  const sinks: Sink[] = [];
  beforeAll(async () => {
    for (const faultSeed of [42, 42, 7]) sinks.push(await startTestSink({ faultSeed, faults: [RULE] }));
  });
  afterAll(async () => {
    await Promise.all(sinks.map((sink) => sink.stop()));
  });

  it('GET /api/faults shows the seed to replay a run', async () => {
    expect((await api<FaultList>(sinks[0]!, '/api/faults')).seed).toBe(42);
    expect((await api<FaultList>(sinks[2]!, '/api/faults')).seed).toBe(7);
  });

  it('the same seed gives the same refusals, another seed another sequence', async () => {
    const [a, b, c] = [await outcomes(sinks[0]!), await outcomes(sinks[1]!), await outcomes(sinks[2]!)];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(a.slice(0, SEEDED_OUTCOMES.length)).toEqual([...SEEDED_OUTCOMES]);
    expect(new Set(a)).toEqual(new Set([true, false])); // some refused, some accepted
    const rules = (await api<FaultList>(sinks[0]!, '/api/faults')).rules;
    expect(rules[0]).toMatchObject({ matched: RECIPIENTS.length, hits: a.filter(Boolean).length, description: 'rcptTo matching *@flaky.example → 451 4.3.0, probability 0.5' });
  });

  it('the sequence continues over later traffic the same way on both sinks', async () => {
    expect(await outcomes(sinks[1]!)).toEqual(await outcomes(sinks[0]!));
  });
});

describe('probability 0 and 1', () => {
  it('0 never fires, 1 always fires (no seed needed)', async () => {
    const sink = await startTestSink({ faults: [{ ...RULE, match: { rcptTo: 'never@*' }, probability: 0 }, { ...RULE, match: { rcptTo: 'always@*' }, probability: 1 }] });
    try {
      const t = transport(sink);
      try {
        const info = await t.sendMail({ from: 'app@example.com', to: ['never@example.org', 'always@example.org'], text: 'x' });
        expect([info.accepted, info.rejected]).toEqual([['never@example.org'], ['always@example.org']]);
      } finally {
        t.close();
      }
    } finally {
      await sink.stop();
    }
  });
});
