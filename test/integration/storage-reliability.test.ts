/**
 * "The ack means durable" with several instances on PostgreSQL, under failure:
 * - `kill -9` of instance A in the middle of a burst: every message A answered `250` is in the
 *   store afterwards (read through B), none twice; B keeps taking mail and serving the API.
 * - the database stops in the middle of a burst: the client gets `451 4.3.0` (the API a `503`),
 *   never a `250` for a message that is then missing; once the database is back, the same
 *   processes take mail again, and everything acknowledged is there.
 * The client is nodemailer, one connection per message, as an application sends.
 */
import { describe, expect, it } from 'vitest';
import { api, list, rawMessage, send, useCluster, waitFor, type Instance, type SendOutcome } from '../helpers/cluster.js';

const FROM = 'burst@example.com';

/** Sends a message with `subject` to `rcpt` through `instance`. */
function sendSubject(instance: Instance, rcpt: string, subject: string): Promise<SendOutcome> {
  return send(instance, { from: FROM, to: [rcpt] }, rawMessage({ from: FROM, to: rcpt, subject }));
}

/** The id in `250 2.0.0 Ok: queued as <id>`. */
function queuedId(outcome: SendOutcome): string {
  const match = /queued as (\S+)/.exec(outcome.response);
  if (!match) throw new Error(`no id in ${JSON.stringify(outcome.response)}`);
  return match[1]!;
}

/** `Burst 001`, `Burst 002` … */
function subjects(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix} ${String(i + 1).padStart(3, '0')}`);
}

/** Asserts that every acknowledged subject is stored on `instance` under its queued id. */
async function expectStored(instance: Instance, acked: ReadonlyMap<string, string>): Promise<void> {
  const found = await Promise.all([...acked.keys()].map((subject) => waitFor(instance, `subject:"${subject}"`, { timeoutMs: 30_000 })));
  expect(found.map((r) => [r.messages[0]!.subject, r.messages[0]!.id])).toEqual([...acked.entries()]);
}

/** How many stored messages on `instance` have each subject among those matching `query`. */
async function subjectCounts(instance: Instance, query: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const m of await list(instance, query)) counts.set(m.subject, (counts.get(m.subject) ?? 0) + 1);
  return counts;
}

describe('kill -9 of an instance in the middle of a burst', () => {
  const cluster = useCluster(['A', 'B']);
  const N = 200;
  const KILL_AFTER = 40;
  const CLIENTS = 4;

  it('every message A acknowledged is stored, once; B keeps serving SMTP and REST', async () => {
    const [a, b] = cluster.instances as [Instance, Instance];
    const all = subjects('Burst', N);
    const acked = new Map<string, string>();
    let next = 0;
    let killed = false;
    const client = async () => {
      while (next < N) {
        const subject = all[next++]!;
        const outcome = await sendSubject(a, 'burst@example.org', subject);
        if (outcome.code === 250) {
          acked.set(subject, queuedId(outcome));
          if (acked.size === KILL_AFTER) {
            killed = true;
            process.kill(a.pid, 'SIGKILL');
          }
        } else if (killed) {
          return; // A is gone: this client stops sending to it
        } else {
          throw new Error(`${subject} to A before the kill: ${outcome.code} ${outcome.response}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    expect(killed).toBe(true);
    expect(await a.stop()).toBe(null); // ended by the signal, not by an exit code
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(acked.size).toBeLessThan(N);

    const afterKill = await sendSubject(b, 'after@example.org', 'B after the kill');
    expect(afterKill.code, afterKill.response).toBe(250);
    expect((await waitFor(b, 'to:after@example.org')).messages.map((m) => m.id)).toEqual([queuedId(afterKill)]);

    await expectStored(b, acked);
    const counts = await subjectCounts(b, 'to:burst@example.org');
    expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
    for (const subject of acked.keys()) expect(counts.get(subject), subject).toBe(1);
    const health = await api<{ status: string }>(b, '/api/health');
    expect([health.status, health.body.status]).toEqual([200, 'ok']);
  });
});

describe('the database stops in the middle of a burst', () => {
  const cluster = useCluster(['A', 'B']);
  const N = 60;
  const STOP_AFTER = 15;
  /** Resends of one message before the test gives up (a real client retries a 451 later). */
  const MAX_ATTEMPTS = 400;
  /** Pause between resends of a message refused with 451, in ms: pacing, as a real client's queue does; no assertion depends on it. */
  const RETRY_PAUSE_MS = 50;

  it('clients get 451 while it is down, ingest resumes without a restart, nothing acknowledged is missing', async () => {
    const [a, b] = cluster.instances as [Instance, Instance];
    const postgres = cluster.postgres;
    const acked = new Map<string, string>();
    const refusals: string[] = [];
    let stopped: Promise<void> | null = null;
    let started: Promise<void> | null = null;
    let whileDown: { status: number; body: unknown } | null = null;

    for (const subject of subjects('Outage', N)) {
      for (let attempt = 1; ; attempt++) {
        if (attempt > MAX_ATTEMPTS) throw new Error(`${subject}: no 250 after ${MAX_ATTEMPTS} attempts; refusals: ${refusals.slice(-3).join(' | ')}`);
        const outcome = await sendSubject(a, 'outage@example.org', subject);
        if (outcome.code === 250) {
          acked.set(subject, queuedId(outcome));
          if (acked.size === STOP_AFTER) (stopped = postgres.stop()).catch(() => undefined);
          break;
        }
        if (outcome.code !== 451 || !stopped) throw new Error(`${subject} (attempt ${attempt}): ${outcome.code} ${outcome.response}`);
        refusals.push(outcome.response);
        if (!started) {
          await stopped; // fully down: the API must refuse writes too, then bring the database back
          whileDown = await api(a, `/api/messages/${acked.get(subjects('Outage', 1)[0]!)}`, { method: 'PATCH', body: JSON.stringify({ read: true }) });
          started = postgres.start();
        }
        await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      }
    }
    await stopped; // rejects loudly when the server cannot be stopped (MAILSINK_TEST_POSTGRES_URL)
    expect(started, 'every message got 250 although the database was stopped').not.toBeNull();
    await started;

    expect(refusals.length).toBeGreaterThan(0);
    for (const response of refusals) expect(response).toMatch(/^451 4\.3\.0 /);
    expect(whileDown).toMatchObject({ status: 503, body: { error: { code: 'store_unavailable' } } });
    process.kill(a.pid, 0); // throws unless A, the process started before the outage, still runs

    await expectStored(a, acked);
    await expectStored(b, acked);
    const counts = await subjectCounts(b, 'to:outage@example.org');
    for (const subject of acked.keys()) expect(counts.get(subject) ?? 0, subject).toBeGreaterThanOrEqual(1);
    const afterB = await sendSubject(b, 'outage-b@example.org', 'B after the outage');
    expect(afterB.code, afterB.response).toBe(250);
  });
});
