/**
 * Refused attempts in the fault panel: a real SMTP client (nodemailer) refused at RCPT TO by a rule
 * shows up live (`rejection.recorded`) with the exact reply line, the envelope so far, the client
 * and the rule; its SMTP transcript opens (and says so once the sink no longer keeps it); an event
 * lost on the way comes back through the resync; a built-in limit is named as such; Clear empties
 * the log (`DELETE /api/rejections`). At 1400×900 and on a 390×844 phone.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FaultRule, Rejection } from '../../server/contract.js';
import type { Sink } from '../../server/sink.js';
import { SCREENSHOTS, openInbox, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';
import { transport } from '../helpers/smtp.js';

const json = (body: unknown, method = 'POST'): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function rejectionsOf(sink: Sink): Promise<{ total: number; rejections: Rejection[] }> {
  return api(sink, '/api/rejections');
}

/** Sends to two recipients of which the sink refuses one: nodemailer delivers to the other and reports the refusal. */
async function partlyRefused(sink: Sink): Promise<{ accepted: string[]; rejectedErrors: { response?: string; responseCode?: number }[] }> {
  const t = transport(sink);
  try {
    return (await t.sendMail({ from: 'shop@example.com', to: ['ok@example.org', 'ghost@blocked.example'], subject: 'Refused', text: 'x' })) as never;
  } finally {
    t.close();
  }
}

/** Sends one message expected to be refused; resolves to nodemailer's error. */
async function refused(sink: Sink, mail: Parameters<typeof sendMail>[1]): Promise<Error & { responseCode?: number; response?: string }> {
  return sendMail(sink, mail).then(
    () => {
      throw new Error(`"${mail.subject}" was accepted`);
    },
    (error: Error & { responseCode?: number; response?: string }) => error,
  );
}

describe('refused attempts in the inbox', () => {
  const sink = useSink({ maxMessageSize: 2048 });
  const browser = useBrowser();

  for (const viewport of [
    { width: 1400, height: 900 },
    { width: 390, height: 844 },
  ]) {
    it(`shows a refused RCPT TO live with reply and envelope, opens its transcript, and clears (${viewport.width}×${viewport.height})`, async () => {
      await api(sink(), '/api/rejections', { method: 'DELETE' });
      const { rules } = await api<{ rules: FaultRule[] }>(sink(), '/api/faults', json([
        { stage: 'rcptTo', match: { rcptTo: '*@elsewhere.example' }, reply: { code: 550 } },
        { stage: 'rcptTo', match: { rcptTo: '*@blocked.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such user here' } },
      ]));
      const [other, rule] = rules as [FaultRule, FaultRule];
      expect(rule.description).toBe('rcptTo matching *@blocked.example → 550 5.1.1');
      const { page, errors, dialogs } = await openInbox(browser(), sink(), { viewport });
      await page.getByTestId('faults-toggle').click();
      const tab = page.getByRole('tab', { name: 'Refused attempts (0)' });
      await tab.click();
      await expect(page.getByTestId('rejection-count').textContent()).resolves.toBe('No refused attempts.');

      const sent = await partlyRefused(sink());
      expect(sent.accepted).toEqual(['ok@example.org']);
      expect(sent.rejectedErrors.map(({ response, responseCode }) => ({ response, responseCode }))).toEqual([{ response: '550 5.1.1 No such user here', responseCode: 550 }]);
      const item = page.getByTestId('rejection');
      await item.waitFor();
      await expect(page.getByRole('tab', { name: 'Refused attempts (1)' }).getAttribute('aria-selected')).resolves.toBe('true');
      const [logged] = (await rejectionsOf(sink())).rejections;
      expect(logged).toMatchObject({ stage: 'rcptTo', ruleId: rule.id, reply: '550 5.1.1 No such user here', argument: 'ghost@blocked.example', envelope: { mailFrom: 'shop@example.com' } });
      await expect(item.getByTestId('rejection-reply').textContent()).resolves.toBe('550 5.1.1 No such user here');
      await expect(item.getByTestId('rejection-stage').textContent()).resolves.toBe('RCPT TO (each recipient): ghost@blocked.example');
      await expect(item.getByTestId('rejection-mail-from').textContent()).resolves.toBe('<shop@example.com>');
      await expect(item.getByTestId('rejection-rcpt-to').textContent()).resolves.toBe(logged!.envelope.rcptTo.map((to) => `<${to}>`).join(', '));
      expect(logged!.envelope.rcptTo[0]).toBe('ok@example.org');
      await expect(item.getByTestId('rejection-client').textContent()).resolves.toMatch(new RegExp(`^${logged!.envelope.remoteAddress.replaceAll('.', '\\.')} \\(HELO `));
      await expect(item.getByTestId('rejection-rule').textContent()).resolves.toBe('rcptTo matching *@blocked.example → 550 5.1.1 (now rule 2)');
      expect(logged!.ruleDescription).toBe('rcptTo matching *@blocked.example → 550 5.1.1');

      // Its transcript: the refused command and the reply, as the client saw them.
      await item.getByRole('button', { name: 'Show SMTP transcript' }).click();
      const transcript = await item.getByTestId('transcript').textContent();
      expect(transcript).toContain('C: RCPT TO:<ghost@blocked.example>');
      expect(transcript).toContain('S: 550 5.1.1 No such user here');
      await page.screenshot({ path: path.join(SCREENSHOTS, `inbox-rejections-${viewport.width}.png`) });

      // Moved up, edited and disabled since: the attempt keeps the rule as it was when it fired.
      await api(sink(), '/api/faults/order', json({ ids: [rule.id, other.id] }, 'PUT'));
      await api(sink(), `/api/faults/${rule.id}`, json({ stage: 'rcptTo', match: { rcptTo: '*@blocked.example' }, reply: { code: 553 }, times: 2, enabled: false }, 'PUT'));
      await expect.poll(() => item.getByTestId('rejection-rule').textContent()).toBe('rcptTo matching *@blocked.example → 550 5.1.1 (now rule 1)');
      await api(sink(), `/api/faults/${rule.id}`, { method: 'DELETE' });
      await expect.poll(() => item.getByTestId('rejection-rule').textContent()).toBe('rcptTo matching *@blocked.example → 550 5.1.1 (rule removed since)');

      await page.getByRole('button', { name: 'Clear' }).click();
      await expect.poll(() => item.count()).toBe(0);
      await page.getByRole('tab', { name: 'Refused attempts (0)' }).waitFor();
      expect((await rejectionsOf(sink())).total).toBe(0);
      await api(sink(), `/api/faults/${other.id}`, { method: 'DELETE' });
      expect({ errors, dialogs }).toEqual({ errors: [], dialogs: [] });
      await page.close();
    });
  }

  it('gets a lost event back through the resync, names a built-in limit, and says when a transcript is gone', async () => {
    await api(sink(), '/api/rejections', { method: 'DELETE' });
    const { page, context, errors } = await openInbox(browser(), sink());
    let dropped = 0;
    await context.routeWebSocket(/\/api\/events$/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (typeof message === 'string' && message.includes('"type":"rejection.recorded"') && dropped === 0) {
          dropped += 1;
          return;
        }
        ws.send(message);
      });
    });
    await page.reload();
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
    await page.getByTestId('faults-toggle').click();
    await page.getByRole('tab', { name: 'Refused attempts (0)' }).click();

    // Too big: the sink's size limit refuses it (552), no rule involved. Its event is lost on the way.
    const big = await refused(sink(), { subject: 'Too big', text: 'y'.repeat(4096) });
    expect(big.responseCode).toBe(552);
    await expect.poll(() => dropped).toBe(1);
    await expect(page.getByTestId('rejection').count()).resolves.toBe(0);

    // The next event shows the gap: the page reloads the log and both are there.
    await sendMail(sink(), { subject: 'Accepted', text: 'fine' });
    await expect.poll(() => page.getByTestId('rejection').count()).toBe(1);
    const item = page.getByTestId('rejection');
    const [logged] = (await rejectionsOf(sink())).rejections;
    await expect(item.getByTestId('rejection-reply').textContent()).resolves.toBe(logged!.reply);
    expect(logged!.reply).toMatch(/^552 /);
    await expect(item.getByTestId('rejection-rule').textContent()).resolves.toBe('built-in limit');

    // Deleting every message forgets the closed sessions' transcripts: the panel says it is gone.
    await api(sink(), '/api/messages', { method: 'DELETE' });
    expect((await fetch(`${sink().httpUrl}/api/transcripts/${logged!.transcriptId}`)).status).toBe(404);
    await item.getByRole('button', { name: 'Show SMTP transcript' }).click();
    await expect(item.getByTestId('transcript').textContent()).resolves.toBe('This transcript is gone: the sink no longer keeps this session.');
    expect(errors).toEqual([]);
    await page.close();
  });
});
