/**
 * swaks (a client we did not write) sees the exact reply line of a rule at each stage, enhanced
 * code and text included, and reports the failure the way it documents its exit codes
 * (21 banner, 23 MAIL FROM, 24 no recipient accepted, 26 after DATA, 28 AUTH, 6 connection dropped).
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { MessageDetail } from '../../server/contract.js';
import { api, useSink } from '../helpers/sink.js';

const SWAKS = '/usr/bin/swaks';

/** Runs swaks against the sink; resolves with its exit code and the server lines it flagged as errors (`<** `). */
function swaks(port: number, args: string[]): Promise<{ exitCode: number; errorLines: string[]; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(SWAKS, ['--server', '127.0.0.1', '--port', String(port), '--timeout', '10', '--helo', 'client.example', ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return reject(err);
      const output = stdout + stderr;
      const errorLines = output.split('\n').filter((line) => line.startsWith('<** ')).map((line) => line.slice(4));
      resolve({ exitCode: err ? (err.code as number) : 0, errorLines, output });
    });
  });
}

describe('swaks', () => {
  const sink = useSink({
    faults: [
      { stage: 'connect', match: { remoteAddress: '127.0.0.2' }, reply: { code: 421, enhancedCode: '4.3.2', text: 'Too many connections, try again later' } },
      { stage: 'auth', match: { authUser: 'blocked' }, reply: { code: 535, enhancedCode: '5.7.8' } },
      { stage: 'mailFrom', match: { mailFrom: '*@greylist.example' }, reply: { code: 451, enhancedCode: '4.7.1', text: 'Greylisted, try again in 5 minutes' } },
      { stage: 'rcptTo', match: { rcptTo: '*@bounce.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'Recipient address rejected' } },
      { stage: 'data', match: { subject: '*[spam]*' }, reply: { code: 554, enhancedCode: '5.7.1', text: 'Message content rejected' } },
      { stage: 'rcptTo', match: { rcptTo: '*@drop.example' }, disconnect: true },
    ],
  });

  const cases: Array<[string, string[], string[], number]> = [
    ['connect', ['--local-interface', '127.0.0.2', '--to', 'a@example.org'], ['421 4.3.2 Too many connections, try again later'], 21],
    ['auth', ['--to', 'a@example.org', '--auth', 'PLAIN', '--auth-user', 'blocked', '--auth-password', 'secret'], ['535 5.7.8 Authentication credentials invalid'], 28],
    ['mailFrom', ['--from', 'app@greylist.example', '--to', 'a@example.org'], ['451 4.7.1 Greylisted, try again in 5 minutes'], 23],
    ['rcptTo', ['--to', 'nobody@bounce.example'], ['550 5.1.1 Recipient address rejected'], 24],
    ['data', ['--to', 'a@example.org', '--header', 'Subject: cheap [spam] offer'], ['554 5.7.1 Message content rejected'], 26],
    ['disconnect', ['--to', 'a@drop.example'], [], 6],
  ];

  it.concurrent.for(cases)('%s: swaks sees the exact reply line and exits with its code for that step', async ([, args, lines, exitCode], { expect }) => {
    const result = await swaks(sink().smtpPort, args);
    expect({ errorLines: result.errorLines, exitCode: result.exitCode }, result.output).toEqual({ errorLines: lines, exitCode });
  });

  it('one refused recipient of two: swaks sees the 550 and the message is stored for the other', async () => {
    const result = await swaks(sink().smtpPort, ['--from', 'app@example.com', '--to', 'ok@example.org,nobody@bounce.example', '--header', 'Subject: partial']);
    expect({ errorLines: result.errorLines, exitCode: result.exitCode }, result.output).toEqual({ errorLines: ['550 5.1.1 Recipient address rejected'], exitCode: 0 });
    expect(result.output).toMatch(/<- {2}250 2\.0\.0 Ok: queued as \S+/);
    const message = await api<MessageDetail>(sink(), '/api/messages/latest');
    expect(message).toMatchObject({ subject: 'partial', envelope: { rcptTo: ['ok@example.org'] } });
  });
});
