/**
 * The "Test a server" panel: off (with the reason) unless the sink runs with --enable-probe; with
 * it, runs a probe against a second sink whose fault rule refuses a recipient and shows the same
 * report the API gives: stages in order, the refused stage with its reply and explanation, TLS,
 * and a transcript with the password masked.
 */
import { describe, expect, it } from 'vitest';
import { openInbox, useBrowser } from '../helpers/inbox-page.js';
import { useSink } from '../helpers/sink.js';
import { useTmpFiles } from '../helpers/tmp-files.js';

describe('Test a server panel', () => {
  const write = useTmpFiles();
  const disabled = useSink();
  const enabled = useSink({ enableProbe: true });
  const target = useSink({
    authUsers: write('users', 'dave:correct-horse\n'),
    faults: [{ stage: 'rcptTo', match: { rcptTo: '*@nowhere.example' }, reply: { code: 550, enhancedCode: '5.1.1', text: 'No such mailbox' } }],
  });
  const browser = useBrowser();

  it('says how to turn probing on when it is off', async () => {
    const { page, errors } = await openInbox(browser(), disabled());
    await page.getByTestId('probe-toggle').click();
    await expect(page.getByTestId('probe-disabled').textContent()).resolves.toContain('--enable-probe');
    await expect(page.getByTestId('probe-run').isDisabled()).resolves.toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs a probe and shows each stage, the refused recipient explained, and a masked transcript', async () => {
    const { page, errors } = await openInbox(browser(), enabled());
    await page.getByTestId('probe-toggle').click();
    const panel = page.getByTestId('probe-panel');
    await expect.poll(() => panel.getByTestId('probe-run').isDisabled()).toBe(false);
    await panel.getByTestId('probe-target').fill(`smtp://127.0.0.1:${target().smtpPort}`);
    await panel.getByTestId('probe-to').fill('someone@nowhere.example');
    await panel.getByTestId('probe-user').fill('dave');
    await panel.getByTestId('probe-pass').fill('correct-horse');
    await panel.getByTestId('probe-run').click();
    const report = panel.getByTestId('probe-report');
    await report.waitFor();
    const stages = await report.getByTestId('probe-stage').evaluateAll((rows) => rows.map((row) => `${row.getAttribute('data-stage')}:${row.getAttribute('data-ok')}`));
    expect(stages).toEqual(['connect:true', 'banner:true', 'ehlo:true', 'starttls:true', 'ehlo:true', 'auth:true', 'mailFrom:true', 'rcptTo:false', 'quit:true']);
    await expect(report.getByTestId('probe-result').textContent()).resolves.toMatch(new RegExp(`^smtp://127\\.0\\.0\\.1:${target().smtpPort}: rcptTo failed · 1 fail, \\d+ warn, \\d+ pass · exit 17 · [\\d,]+ ms$`));
    const refused = report.locator('[data-testid="probe-finding"][data-level="fail"]');
    await expect(refused.textContent()).resolves.toContain('RCPT TO:<someone@nowhere.example> refused: 550 5.1.1 No such mailbox (Mailbox unavailable)');
    await expect(refused.textContent()).resolves.toContain('What to do: Check the address for typos');
    await expect(report.getByTestId('probe-tls').textContent()).resolves.toMatch(/^TLS \(starttls\): TLSv1\.3 · TLS_AES_256_GCM_SHA384 · certificate mailsink, issued by mailsink \(self-signed\), \d+ days left$/);
    const transcript = await report.getByTestId('probe-transcript').textContent();
    expect(transcript).toContain('C: AUTH PLAIN ********');
    expect(transcript).not.toContain('correct-horse');
    expect(errors).toEqual([]);
    await page.close();
  });
});
