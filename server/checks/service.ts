/**
 * The per-message checks of one sink: authentication (DKIM, ARC, DMARC, SPF), HTML compatibility,
 * links, List-Unsubscribe and spam score. Nothing here runs on the ingest path: a check runs when
 * the API asks for it, on the message's stored raw bytes and its parse, and its result is cached
 * per message (and per option set) until the message is deleted, evicted or the store cleared.
 * Link checks are never cached (they are asked for to see the links' state now).
 */
import type { EventBus } from '../core/events.js';
import type { MessageParsing } from '../core/message-parsing.js';
import type { ParseResult } from '../core/parse.js';
import type { Store, StoredMessage } from '../core/store.js';
import type { Logger } from '../log.js';
import { checkAuth } from './auth.js';
import type { AuthOptions } from './auth.js';
import { checkHtml } from './html.js';
import { checkLinks } from './links.js';
import type { LinkOptions } from './links.js';
import { checkListUnsubscribe } from './list-unsubscribe.js';
import { checkSpam } from './spam.js';
import type { AuthCheck, CheckKind, HtmlCheck, LinkCheck, ListUnsubscribeCheck, SpamCheck } from './types.js';
import type { CheckSettings } from './settings.js';

/** A stored message with its parse: what every check reads. */
export interface CheckInput {
  message: StoredMessage;
  parse: ParseResult;
}

/** Most cached results kept (over all messages and kinds); the oldest go first. */
const MAX_CACHED = 2000;

/** Runs and caches the checks of stored messages. One per sink; see {@link CheckService.close}. */
export class CheckService {
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly deps: { store: Store; parsing: MessageParsing; events: EventBus; settings: CheckSettings; log: Logger },
  ) {
    this.unsubscribe = deps.events.subscribe((event) => {
      if (event.type === 'message.deleted') for (const id of event.ids) this.forget(id);
      else if (event.type === 'store.cleared') this.cache.clear();
    });
  }

  /** The settings the checks run with (`--dns-records`, `--spf-client-ip`, `--spamassassin`, …). */
  get settings(): CheckSettings {
    return this.deps.settings;
  }

  /** DKIM, ARC, DMARC and SPF results (cached per message and client address). */
  auth(message: StoredMessage, options: AuthOptions = {}): Promise<AuthCheck> {
    return this.cached(message, 'auth', JSON.stringify(options), (input) => checkAuth(input, this.deps.settings, options));
  }

  /** HTML and CSS features of the HTML body and their support per mail client (cached). */
  html(message: StoredMessage): Promise<HtmlCheck> {
    return this.cached(message, 'html', '', (input) => checkHtml(input));
  }

  /** Presence and form of `List-Unsubscribe` and RFC 8058 one-click (cached). */
  listUnsubscribe(message: StoredMessage): Promise<ListUnsubscribeCheck> {
    return this.cached(message, 'list-unsubscribe', '', (input) => checkListUnsubscribe(input));
  }

  /** The status of every link and image URL now (never cached). */
  async links(message: StoredMessage, options: LinkOptions = {}): Promise<LinkCheck> {
    return checkLinks(await this.input(message), this.deps.settings, options);
  }

  /** SpamAssassin's score (cached); needs `--spamassassin`. */
  spam(message: StoredMessage): Promise<SpamCheck> {
    return this.cached(message, 'spam', '', (input) => checkSpam(input, this.deps.settings));
  }

  /** Stops following store events; cached results are dropped. */
  close(): void {
    this.unsubscribe();
    this.cache.clear();
  }

  private async input(message: StoredMessage): Promise<CheckInput> {
    return { message, parse: await this.deps.parsing.parsed(message) };
  }

  private cached<T>(message: StoredMessage, kind: CheckKind, variant: string, run: (input: CheckInput) => Promise<T>): Promise<T> {
    const key = `${message.id}\u0000${kind}\u0000${variant}`;
    const hit = this.cache.get(key) as Promise<T> | undefined;
    if (hit) {
      this.cache.delete(key); // most recently used last
      this.cache.set(key, hit);
      return hit;
    }
    const result = this.input(message).then(run);
    this.cache.set(key, result);
    result.catch(() => this.cache.get(key) === result && this.cache.delete(key)); // a failure is not cached
    while (this.cache.size > MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    return result;
  }

  private forget(id: string): void {
    const prefix = `${id}\u0000`;
    for (const key of this.cache.keys()) if (key.startsWith(prefix)) this.cache.delete(key);
  }
}
