/**
 * The event stream: after the server restarts the page reconnects and refetches (the old mail is
 * gone, the new one shows); a `seq` gap (an event lost on the way, simulated by dropping one
 * WebSocket frame) makes the page refetch, so the lost message still appears.
 */
import { describe, expect, it } from 'vitest';
import { openInbox, rowBySubject, rows, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { startTestSink, useSink } from '../helpers/sink.js';

describe('event stream recovery', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('reconnects after a server restart and refetches', async () => {
    const first = await startTestSink();
    let second: Awaited<ReturnType<typeof startTestSink>> | undefined;
    try {
      const { page, errors } = await openInbox(browser(), first);
      await sendMail(first, { subject: 'Before restart', text: 'x' });
      await rowBySubject(page, 'Before restart').waitFor();
      await first.stop();
      await page.locator('[data-testid="connection-status"][data-status="closed"]').waitFor();
      second = await startTestSink({ httpPort: first.httpPort, smtpPort: first.smtpPort });
      await sendMail(second, { subject: 'After restart', text: 'x' });
      await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor({ timeout: 15_000 });
      await expect.poll(() => rows(page).getByTestId('row-subject').allTextContents()).toEqual(['After restart']);
      expect(errors).toEqual([]);
    } finally {
      await first.stop();
      await second?.stop();
    }
  });

  it('refetches when a seq gap shows an event was lost', async () => {
    const { page, context, errors } = await openInbox(browser(), sink());
    // What happened, in order: the dropped frame, the page's list fetches, the frame after the gap.
    const timeline: string[] = [];
    let dropped = 0;
    await context.routeWebSocket(/\/api\/events$/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (typeof message === 'string' && message.includes('"type":"message.received"') && message.includes('Lost in transit')) {
          dropped += 1;
          timeline.push('dropped');
          return;
        }
        if (typeof message === 'string' && message.includes('After the gap')) timeline.push('gap frame');
        ws.send(message);
      });
    });
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/api/messages') timeline.push('list fetch');
    });
    await page.reload();
    await page.locator('[data-testid="connection-status"][data-status="open"]').waitFor();
    await page.waitForLoadState('networkidle'); // the refetches after load and hello are done

    await sendMail(sink(), { subject: 'Lost in transit', text: 'x' });
    await expect.poll(() => dropped).toBe(1);
    await expect(rowBySubject(page, 'Lost in transit').count()).resolves.toBe(0);

    await sendMail(sink(), { subject: 'After the gap', text: 'x' });
    await expect.poll(() => rows(page).getByTestId('row-subject').allTextContents()).toEqual(['After the gap', 'Lost in transit']);
    // Nothing but the gap brought it in: no list fetch between the drop and the next frame, one after.
    const sinceDrop = timeline.slice(timeline.indexOf('dropped'));
    expect(sinceDrop.slice(0, 3)).toEqual(['dropped', 'gap frame', 'list fetch']);
    expect(errors).toEqual([]);
  });
});
