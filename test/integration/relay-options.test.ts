/**
 * The `--relay-*` options of the `mailsink` command (the built `dist/server/main.js`): a bad value
 * exits 1 with one line naming the option and never echoing a password; a running sink's log,
 * `--help` and API never show the password of `--relay-url`, also after a failed delivery.
 */
import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { runCli, startCli } from '../helpers/cli.js';
import { connectEvents } from '../helpers/events.js';
import { deliveryWhen, queuedId } from '../helpers/relay.js';
import { sendRaw } from '../helpers/smtp.js';

describe('--relay-* options', () => {
  it('a bad value exits 1 with one line naming the option, without the password', async () => {
    const cases: [string[], string][] = [
      [['--relay-url', 'smtp://me:hunter2@relay.example:99999'], 'mailsink: invalid --relay-url: expected a URL such as smtp://user:pass@relay.example:587 or smtps://relay.example:465\n'],
      [['--relay-url', 'http://me:hunter2@relay.example'], 'mailsink: invalid --relay-url: expected the scheme smtp:// or smtps:// (got http://)\n'],
      [['--relay-url', 'smtp://me:hunter2@relay.example?starttls=maybe'], 'mailsink: invalid --relay-url: starttls must be required, opportunistic or off (got "maybe")\n'],
      [['--relay-retry-initial', 'soon'], 'mailsink: invalid --relay-retry-initial: expected a duration such as 300s, 5m or 500ms (a bare number is seconds) (got "soon")\n'],
      [['--relay-max-attempts', '0'], 'mailsink: invalid --relay-max-attempts: Too small: expected number to be >=1 (got "0")\n'],
      [['--relay-max-age', '2d'], 'mailsink: invalid --relay-max-age: expected a duration such as 300s, 5m or 500ms (a bare number is seconds) (got "2d")\n'],
      [['--relay-tls-verify', 'maybe'], 'mailsink: invalid --relay-tls-verify: expected true or false (got "maybe")\n'],
      [['--relay-ca', '/nonexistent/relay-ca.pem'], 'mailsink: invalid --relay-ca: cannot read /nonexistent/relay-ca.pem: ENOENT\n'],
      [['--relay-ca', 'package.json'], 'mailsink: invalid --relay-ca: package.json holds no PEM certificate (-----BEGIN CERTIFICATE-----)\n'],
      [['--relay-allow', 'a@x.example', '--relay-allow', 'b c'], 'mailsink: invalid --relay-allow: "b c": expected an address pattern such as *@team.example (no spaces or commas) (got ["a@x.example","b c"])\n'],
    ];
    for (const [args, stderr] of cases) {
      const result = await runCli(['--smtp-port', '0', '--http-port', '0', ...args]);
      expect([result.status, result.stdout, result.stderr]).toEqual([1, '', stderr]);
    }
    const env = await runCli(['--smtp-port', '0', '--http-port', '0'], { MAILSINK_RELAY_URL: 'ftp://me:hunter2@x' });
    expect([env.status, env.stderr]).toEqual([1, 'mailsink: invalid MAILSINK_RELAY_URL: expected the scheme smtp:// or smtps:// (got ftp://)\n']);
  });

  it('the password is in neither --help, the log, /api/relay nor a delivery', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toContain('--relay-url');
    const cli = await startCli(['--relay-url', 'smtp://me:hunter2@127.0.0.1:1?starttls=off', '--relay-retry-initial', '50ms', '--relay-max-attempts', '2']);
    const sink = { httpUrl: cli.httpUrl, smtpPort: cli.smtpPort } as Sink;
    const events = await connectEvents(sink);
    try {
      const id = queuedId((await sendRaw(sink, { from: 'a@sender.test', to: ['b@example.net'] }, Buffer.from('Subject: x\r\n\r\ny\r\n'))).response);
      expect((await fetch(`${cli.httpUrl}/api/messages/${id}/release`, { method: 'POST' })).status).toBe(202);
      const delivery: Delivery = await deliveryWhen(events, id);
      expect([delivery.state, delivery.endReason, delivery.attempts.map((a) => a.error)]).toEqual(['failed', 'max-attempts', ['ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:1']]);
      const relay = await (await fetch(`${cli.httpUrl}/api/relay`)).text();
      expect(JSON.parse(relay).upstream).toEqual({ url: 'smtp://127.0.0.1:1', host: '127.0.0.1', port: 1, secure: false, starttls: 'off', tlsVerify: true, auth: true });
      for (const text of [help.stdout, cli.stderr(), relay, JSON.stringify(events.received)]) expect(text).not.toContain('hunter2');
      expect(cli.stderr()).toContain('relay: upstream smtp://127.0.0.1:1 with AUTH, STARTTLS off, certificate verified; auto-relay off');
    } finally {
      await events.close();
      await cli.stop();
    }
  });
});
