/**
 * The search box narrows the list through the API's `query` parameter (words, "phrases", from:,
 * to:, subject:, is:read, is:unread, has:attachment, a leading - negates), stays live while a
 * search is active, reports a malformed query, and "Delete matching" deletes only the matches.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { MessageList } from '../../server/contract.js';
import { openInbox, rows, sendMail, useBrowser } from '../helpers/inbox-page.js';
import { api, useSink } from '../helpers/sink.js';

const subjects = (page: Page) => rows(page).getByTestId('row-subject').allTextContents();

async function search(page: Page, query: string): Promise<void> {
  const input = page.getByTestId('search-input');
  await input.fill(query);
  await input.press('Enter');
}

describe('search', () => {
  const sink = useSink();
  const browser = useBrowser();

  it('narrows the list with the query grammar', async () => {
    await sendMail(sink(), { from: 'Alice <alice@example.com>', subject: 'Quarterly report', text: 'numbers inside', attachments: [{ filename: 'report.csv', content: 'a,b\n1,2\n' }] });
    await sendMail(sink(), { from: 'Bob <bob@example.com>', to: 'team@example.org', subject: 'Lunch on Friday', text: 'pizza or sushi' });
    await sendMail(sink(), { from: 'Alice <alice@example.com>', subject: 'Password reset', text: 'click the reset link' });
    await sendMail(sink(), { from: 'noreply@shop.example', subject: 'Your order shipped', text: 'tracking number 123' });
    const lunch = (await api<MessageList>(sink(), '/api/messages?query=subject:lunch')).messages[0]!;
    await api(sink(), `/api/messages/${lunch.id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"read":true}' });

    const { page, errors } = await openInbox(browser(), sink());
    const all = ['Your order shipped', 'Password reset', 'Lunch on Friday', 'Quarterly report'];
    await expect.poll(() => subjects(page)).toEqual(all);

    const cases: [string, string[]][] = [
      ['alice', ['Password reset', 'Quarterly report']],
      ['from:bob', ['Lunch on Friday']],
      ['to:team@example.org', ['Lunch on Friday']],
      ['subject:report', ['Quarterly report']],
      ['"reset link"', ['Password reset']],
      ['is:unread', ['Your order shipped', 'Password reset', 'Quarterly report']],
      ['is:read', ['Lunch on Friday']],
      ['has:attachment', ['Quarterly report']],
      ['-from:alice', ['Your order shipped', 'Lunch on Friday']],
      ['from:alice -has:attachment', ['Password reset']],
    ];
    for (const [query, expected] of cases) {
      await search(page, query);
      await expect.poll(() => subjects(page), { message: query }).toEqual(expected);
      await expect(page.getByTestId('message-count').textContent()).resolves.toBe(`${expected.length} matching`);
    }

    await search(page, 'no such words');
    await page.getByTestId('no-results').waitFor();
    await search(page, '"unterminated');
    await expect(page.getByTestId('list-error').textContent()).resolves.toMatch(/^Search failed: .+/);

    await page.getByTestId('search-input').press('Escape');
    await expect.poll(() => subjects(page)).toEqual(all);
    await expect(page.getByTestId('search-input').inputValue()).resolves.toBe('');

    // Typing (debounced, no Enter) also searches; `/` focuses the box.
    await page.locator('body').click({ position: { x: 5, y: 790 } });
    await page.keyboard.press('/');
    await page.keyboard.type('pizza');
    await expect.poll(() => subjects(page)).toEqual(['Lunch on Friday']);
    expect(errors).toEqual([]);
  });

  it('stays live while searching, and deletes only the matches', async () => {
    const { page, errors } = await openInbox(browser(), sink());
    await search(page, 'from:alice');
    await expect.poll(() => subjects(page)).toEqual(['Password reset', 'Quarterly report']);
    await sendMail(sink(), { from: 'Carol <carol@example.com>', subject: 'Not from Alice', text: 'x' });
    await sendMail(sink(), { from: 'Alice <alice@example.com>', subject: 'Alice again', text: 'x' });
    await expect.poll(() => subjects(page)).toEqual(['Alice again', 'Password reset', 'Quarterly report']);

    await page.getByTestId('delete-all-button').click();
    await expect(page.getByTestId('confirm-dialog').textContent()).resolves.toContain('matching “from:alice”');
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('no-results').waitFor();
    const left = (await api<MessageList>(sink(), '/api/messages')).messages.map((m) => m.subject);
    expect(left).toEqual(['Not from Alice', 'Your order shipped', 'Lunch on Friday']);
    await page.getByTestId('search-input').press('Escape');
    await expect.poll(() => subjects(page)).toEqual(left);
    expect(errors).toEqual([]);
  });
});
