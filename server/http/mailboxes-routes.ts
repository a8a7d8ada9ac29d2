import { Router } from 'express';
import type { MailboxList } from '../contract.js';
import { listMailboxes } from '../core/mailboxes.js';
import type { Store } from '../core/store.js';

/**
 * `GET /api/mailboxes`: every mailbox of the stored messages (lowercased envelope recipients,
 * `+tag`s folded into the base address) with message and unread counts and its tags, sorted.
 * Derived from the store on each request, so it follows deletes and eviction.
 */
export function mailboxesRouter(store: Store): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    const mailboxes = listMailboxes(store.newestFirst());
    const body: MailboxList = { total: mailboxes.length, mailboxes };
    res.json(body);
  });
  return router;
}
