/**
 * Typed client of the mailsink REST API, exported as `mailsink/client`. Uses only `fetch`, `URL`
 * and `TextDecoder` (no Node built-ins), so it runs in Node 18+ and in browsers (same origin as the
 * sink: the API sends no CORS headers). Every failure is a {@link MailsinkError} saying which
 * request failed and why.
 *
 * @example
 * const mail = createClient('http://127.0.0.1:8025');
 * const [message] = await mail.waitFor('mailbox:alice@example.org subject:reset');
 * const reset = (await mail.links(message.id)).find((link) => link.text === 'Reset password');
 */
import { findCodes, MailsinkApiError, MailsinkConnectionError, MailsinkTimeoutError } from './client-errors.js';
import type {
  ApiErrorBody, Cursor, FaultRule, FaultRuleInput, Health, LinkList, Mailbox, MailboxList, MessageDetail, MessageLink, MessageList, MessageSummary, WaitResult,
} from './contract.js';

export { findCodes, MailsinkApiError, MailsinkConnectionError, MailsinkError, MailsinkTimeoutError, SIX_DIGIT_CODE } from './client-errors.js';
export type * from './contract.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** A `fetch` to use instead of the global one (e.g. one with a proxy agent). */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
}

/** Options of {@link MailsinkClient.waitFor}. */
export interface WaitOptions {
  /** Give up after this many ms with a {@link MailsinkTimeoutError}; server default 4000, max 300000. */
  timeoutMs?: number;
  /** Only messages with `seq` greater than this count; default 0 (any stored message). Use {@link MailsinkClient.cursor}. */
  after?: number;
  /** How many matching messages to wait for; default 1. */
  count?: number;
  /** Aborts the wait (the server forgets it). */
  signal?: AbortSignal;
}

/** An envelope for {@link MailsinkClient.importMessage}; omitted values come from the headers. */
export interface ImportEnvelope {
  mailFrom?: string;
  rcptTo?: string[];
}

/** Fault rules of the sink (`/api/faults`). */
export interface FaultsApi {
  /** Adds one rule or several, checked after the existing ones; returns them as stored (with `id`). @throws MailsinkApiError 400 naming the field of an invalid rule. */
  add(rules: FaultRuleInput | FaultRuleInput[]): Promise<FaultRule[]>;
  /** Removes one rule. @throws MailsinkApiError 404 when there is no such rule. */
  remove(id: string): Promise<void>;
  /** Removes every rule. */
  clear(): Promise<void>;
  /** Every rule in check order, with `hits` and `description`. */
  list(): Promise<FaultRule[]>;
}

/** A client bound to one sink's HTTP URL. Methods throw {@link MailsinkApiError} for an error status and {@link MailsinkConnectionError} when the sink cannot be reached. */
export class MailsinkClient {
  /** The sink's HTTP root, without a trailing slash, e.g. `http://127.0.0.1:8025`. */
  readonly baseUrl: string;
  /** Fault rules (`faults.add/remove/clear/list`). */
  readonly faults: FaultsApi;
  readonly #fetch: typeof fetch;
  readonly #headers: Record<string, string>;

  constructor(baseUrl: string, options: ClientOptions = {}) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#headers = { ...options.headers };
    this.faults = {
      add: async (rules) => (await this.#json<{ rules: FaultRule[] }>('POST', '/api/faults', { body: JSON.stringify(rules), type: 'application/json' })).rules,
      remove: async (id) => void (await this.#request('DELETE', `/api/faults/${encodeURIComponent(id)}`)),
      clear: async () => void (await this.#request('DELETE', '/api/faults')),
      list: async () => (await this.#json<{ rules: FaultRule[] }>('GET', '/api/faults')).rules,
    };
  }

  /** `GET /api/health`: version, bound ports and message count. */
  health(): Promise<Health> {
    return this.#json('GET', '/api/health');
  }

  /** Summaries of the messages matching `query` (search grammar; `""` = all), newest first, one page (`limit` default 50, max 1000). @throws MailsinkApiError 400 `invalid_query` naming the bad token. */
  list(query = '', page: { limit?: number; offset?: number } = {}): Promise<MessageList> {
    return this.#json('GET', `/api/messages${search({ query, limit: page.limit, offset: page.offset })}`);
  }

  /** The full message (`id` may be `latest`). Never marks it read. @throws MailsinkApiError 404 when there is no such message. */
  get(id: string): Promise<MessageDetail> {
    return this.#json('GET', messagePath(id));
  }

  /** The exact bytes received (DATA after dot-unstuffing). */
  async raw(id: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.#request('GET', `${messagePath(id)}/raw`)).arrayBuffer());
  }

  /** The HTML body with `cid:` references resolved to attachment URLs. @throws MailsinkApiError 404 `no_html` when it has none. */
  async html(id: string): Promise<string> {
    return (await this.#request('GET', `${messagePath(id)}/html`)).text();
  }

  /** The plain-text body. @throws MailsinkApiError 404 `no_text` when it has none. */
  async text(id: string): Promise<string> {
    return (await this.#request('GET', `${messagePath(id)}/text`)).text();
  }

  /** The decoded bytes of one MIME part (`AttachmentMeta.partId`, e.g. `"2"`). @throws MailsinkApiError 404 when there is no such part. */
  async attachment(id: string, partId: string): Promise<Uint8Array> {
    return new Uint8Array(await (await this.#request('GET', `${messagePath(id)}/attachments/${encodeURIComponent(partId)}`)).arrayBuffer());
  }

  /**
   * Waits until `count` messages matching `query` with `seq > after` are stored, and returns them
   * oldest first, at once if they are already there. The server is woken by the arrival; nothing polls.
   * @throws MailsinkTimeoutError (status 408) after `timeoutMs`, naming the query and how many matched.
   */
  async waitFor(query: string, options: WaitOptions = {}): Promise<MessageSummary[]> {
    const { timeoutMs, after, count, signal } = options;
    const result = await this.#json<WaitResult>('GET', `/api/messages/wait${search({ query, after, count, timeoutMs })}`, { signal });
    return result.messages;
  }

  /** Deletes the messages matching `query` (e.g. `mailbox:alice@example.org`), or all of them when omitted. */
  async clear(query?: string): Promise<void> {
    await this.#request('DELETE', `/api/messages${search({ query })}`);
  }

  /** The `seq` of the newest message stored so far; pass it as `after` to {@link waitFor} to ignore older mail. */
  async cursor(): Promise<number> {
    return (await this.#json<Cursor>('GET', '/api/messages/cursor')).cursor;
  }

  /** Every mailbox (lowercased envelope recipient with `+tag`s folded in) with its counts and tags. */
  async mailboxes(): Promise<Mailbox[]> {
    return (await this.#json<MailboxList>('GET', '/api/mailboxes')).mailboxes;
  }

  /** Every link in the HTML and text bodies with its anchor text, each URL once, in order. */
  async links(id: string): Promise<MessageLink[]> {
    return (await this.#json<LinkList>('GET', `${messagePath(id)}/links`)).links;
  }

  /**
   * One-time codes in the text body (the HTML body's text when there is none): every match of
   * `pattern` (its first group if it has one), each once, in order. Default: standalone 6-digit numbers.
   */
  async codes(id: string, pattern?: RegExp): Promise<string[]> {
    const message = await this.get(id);
    const text = message.text ?? (message.html === null ? '' : message.html.replace(/<[^>]*>/g, ' '));
    return findCodes(text, pattern);
  }

  /** Marks a message read or unread (the only call that changes `read`). */
  markRead(id: string, read = true): Promise<MessageSummary> {
    return this.#json('PATCH', messagePath(id), { body: JSON.stringify({ read }), type: 'application/json' });
  }

  /**
   * Replaces a message's tags (cleaned and deduplicated as `PATCH /api/messages/:id` does); answers the summary.
   * @throws MailsinkApiError 404 when there is no such message.
   */
  setTags(id: string, tags: readonly string[]): Promise<MessageSummary> {
    return this.#json('PATCH', messagePath(id), { body: JSON.stringify({ tags }), type: 'application/json' });
  }

  /** Deletes one message. @throws MailsinkApiError 404 when there is no such message. */
  async delete(id: string): Promise<void> {
    await this.#request('DELETE', messagePath(id));
  }

  /** Stores a message given as bytes or text (an .eml); the envelope comes from its headers unless given. @throws MailsinkApiError 400 when it names no recipient. */
  importMessage(raw: Uint8Array | string, envelope: ImportEnvelope = {}): Promise<MessageSummary> {
    const path = `/api/messages${search({ mailFrom: envelope.mailFrom, rcptTo: envelope.rcptTo?.join(',') })}`;
    return this.#json('POST', path, { body: raw, type: 'message/rfc822' });
  }

  async #json<T>(method: string, path: string, init: RequestOptions = {}): Promise<T> {
    return (await (await this.#request(method, path, init)).json()) as T;
  }

  async #request(method: string, path: string, { body, type, signal }: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...this.#headers };
    if (type) headers['content-type'] = type;
    let res: Response;
    try {
      res = await this.#fetch(this.baseUrl + path, { method, headers, body: body as RequestInit['body'], signal });
    } catch (err) {
      throw new MailsinkConnectionError(method, path, this.baseUrl, err);
    }
    if (res.ok) return res;
    const error = await errorBody(res);
    if (res.status === 408 && error.code === 'wait_timeout') throw new MailsinkTimeoutError(method, path, res.status, error);
    throw new MailsinkApiError(method, path, res.status, error);
  }
}

/**
 * A client for the sink at `baseUrl` (its HTTP root, e.g. `sink.httpUrl` or `http://127.0.0.1:8025`).
 * An in-process sink from `startSink()` already carries one as `sink.client`.
 */
export function createClient(baseUrl: string, options?: ClientOptions): MailsinkClient {
  return new MailsinkClient(baseUrl, options);
}

interface RequestOptions {
  body?: Uint8Array | string;
  type?: string;
  signal?: AbortSignal | undefined;
}

function messagePath(id: string): string {
  return `/api/messages/${encodeURIComponent(id)}`;
}

function search(params: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

async function errorBody(res: Response): Promise<ApiErrorBody['error']> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as Partial<ApiErrorBody>;
    if (parsed.error && typeof parsed.error.code === 'string') return parsed.error;
  } catch {
    // not JSON: fall through
  }
  return { code: `http_${res.status}`, message: text.slice(0, 200) || res.statusText };
}
