/**
 * `--release-allow` from the command line (the built `dist/server/main.js`): a bad value exits 1 with
 * one line naming it; a listed upstream receives a release made through the unchanged `mailhog` client.
 */
import type { IncomingMessage } from 'node:http';
import mailhog from 'mailhog';
import nodemailer from 'nodemailer';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../helpers/cli.js';
import { PLAIN } from '../helpers/mailhog-fixtures.js';
import { useSink } from '../helpers/sink.js';

describe('mailsink --release-allow', () => {
  const upstream = useSink();

  it('a malformed value exits 1 with one line naming the option', async () => {
    const result = await runCli(['--release-allow', 'smtp.example.org']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual(['mailsink: invalid --release-allow: "smtp.example.org": expected HOST:PORT such as 127.0.0.1:2525 or [::1]:2525']);
  });

  it('lets a release through to the listed server only', async () => {
    const cli = await startCli(['--release-allow', `127.0.0.1:${upstream().smtpPort}`]);
    try {
      const port = Number(new URL(cli.httpUrl).port);
      const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: cli.smtpPort, secure: false, ignoreTLS: true });
      await smtp.sendMail({ envelope: { from: 'bounce@sender.example', to: ['erin@example.org'] }, raw: Buffer.from(PLAIN) });
      smtp.close();
      const client = mailhog({ host: '127.0.0.1', port });
      const [mail] = (await client.messages())!.items;
      const res = (await client.releaseMessage(mail!.ID, { host: '127.0.0.1', port: String(upstream().smtpPort), email: 'target@example.net' })) as IncomingMessage;
      expect(res.statusCode).toBe(200);
      const list = (await (await fetch(`${upstream().httpUrl}/api/messages`)).json()) as { messages: { id: string; envelope: { rcptTo: string[] } }[] };
      expect(list.messages.map((m) => m.envelope.rcptTo)).toEqual([['target@example.net']]);
      expect(await (await fetch(`${upstream().httpUrl}/api/messages/${list.messages[0]!.id}/raw`)).text()).toBe(PLAIN);
    } finally {
      await cli.stop();
    }
  });
});
