/**
 * Deleting updates the list: one message (button), all (after a confirmation that Escape and
 * Cancel dismiss), deletions made elsewhere (REST), and evictions by the store's bound.
 */
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { openInbox, rowBySubject, rows, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

async function subjects(page: import('playwright-core').Page): Promise<string[]> {
  return rows(page).getByTestId('row-subject').allTextContents();
}

describe('deleting', () => {
  const sink = useSink({ maxMessages: 4 });
  const browser = useBrowser();

  it('delete one and delete all (with confirmation) update the list', async () => {
    for (const subject of ['Alpha', 'Beta', 'Gamma']) await sendMail(sink(), { subject, text: subject });
    const { page, errors, dialogs } = await openInbox(browser(), sink());
    await expect.poll(() => subjects(page)).toEqual(['Gamma', 'Beta', 'Alpha']);

    await rowBySubject(page, 'Beta').click();
    await page.getByTestId('delete-button').click();
    await expect.poll(() => subjects(page)).toEqual(['Gamma', 'Alpha']);
    await expect(page.getByTestId('detail-subject').textContent()).resolves.toBe('Alpha'); // the next older one opens
    expect((await api<MessageList>(sink(), '/api/messages')).messages.map((m) => m.subject)).toEqual(['Gamma', 'Alpha']);

    const dialog = page.getByTestId('confirm-dialog');
    await page.getByTestId('delete-all-button').click();
    await expect(dialog.isVisible()).resolves.toBe(true);
    await expect(dialog.textContent()).resolves.toContain('Delete all 2 messages?');
    await expect(page.evaluate('document.activeElement?.dataset.testid')).resolves.toBe('confirm-cancel');
    await page.keyboard.press('Escape');
    await expect(dialog.isVisible()).resolves.toBe(false);
    await page.getByTestId('delete-all-button').click();
    await page.getByTestId('confirm-cancel').click();
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(2);

    await page.getByTestId('delete-all-button').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('empty-state').waitFor();
    expect((await api<MessageList>(sink(), '/api/messages')).total).toBe(0);
    await expect(page.getByTestId('message-count').textContent()).resolves.toBe('0 messages');
    expect(dialogs).toEqual([]); // a styled <dialog>, never window.confirm
    expect(errors).toEqual([]);
  });

  it('deletions over REST and evictions disappear live', async () => {
    const { page, errors } = await openInbox(browser(), sink());
    for (const subject of ['One', 'Two', 'Three', 'Four']) await sendMail(sink(), { subject, text: subject });
    await expect.poll(() => subjects(page)).toEqual(['Four', 'Three', 'Two', 'One']);
    await sendMail(sink(), { subject: 'Five', text: 'evicts One' });
    await expect.poll(() => subjects(page)).toEqual(['Five', 'Four', 'Three', 'Two']);
    const three = (await api<MessageList>(sink(), '/api/messages')).messages.find((m) => m.subject === 'Three')!;
    await api(sink(), `/api/messages/${three.id}`, { method: 'DELETE' });
    await expect.poll(() => subjects(page)).toEqual(['Five', 'Four', 'Two']);
    await expect(page.getByTestId('message-count').textContent()).resolves.toBe('3 messages');
    expect(errors).toEqual([]);
  });
});
