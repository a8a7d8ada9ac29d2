/**
 * Typed fetch client for the mailsink REST API. The UI is served by the same HTTP server as the
 * API, so every path is absolute from the origin root (`/api/...`).
 */
import type { ApiErrorBody, AuthCheck, FaultRule, FaultRuleInput, Health, HtmlCheck, LinkCheck, ListUnsubscribeCheck } from '../../server/contract.js';
import type { Delivery, MessageDetail, MessageList, MessageSummary, ProbeReport, RelayStatus, SpamCheck, Transcript } from '../../server/contract.js';

const API_ROOT = '/api';

/** A failed API call: HTTP `status` (0 when the server could not be reached) and the server's error `code`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** True for the rejection of an aborted fetch: such errors are expected and never shown. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** One line for the user describing `error`. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.status === 0 ? error.message : `${error.message} (${error.status})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One line for a failed check: a check that is off (409 `check_unavailable`) shows the server's
 * message alone, which names the option that turns it on; other failures as {@link errorText}.
 */
export function checkErrorText(error: unknown): string {
  return error instanceof ApiError && error.code === 'check_unavailable' ? asSentence(error.message) : errorText(error);
}

/** A server message shown on its own, as a sentence: its first letter capitalised (`the link check is off: …` → `The link check is off: …`). */
export function asSentence(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}

/** Path of a message resource: `/api/messages/<id><suffix>`. */
export function messagePath(id: string, suffix = ''): string {
  return `${API_ROOT}/messages/${encodeURIComponent(id)}${suffix}`;
}

/** Path that downloads the exact raw bytes of a message as `<id>.eml`. */
export function rawDownloadPath(id: string): string {
  return messagePath(id, '/raw?download=1');
}

/** Absolute `ws:`/`wss:` URL of the event stream for a page at `page` (pass `window.location`). */
export function eventsUrl(page: { readonly href: string; readonly protocol: string }): string {
  const url = new URL(`${API_ROOT}/events`, page.href);
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

async function readApiError(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as Partial<ApiErrorBody> | null;
  const error = body?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(response.status, error.code, error.message, error.field);
  }
  return new ApiError(response.status, 'http_error', `HTTP ${response.status} ${response.statusText}`.trim());
}

/** fetch() that throws {@link ApiError} for network failures and non-2xx responses (aborts pass through). */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new ApiError(0, 'network_error', 'Cannot reach the mailsink server');
  }
  if (!response.ok) throw await readApiError(response);
  return response;
}

/** `GET path` as JSON; throws {@link ApiError} as {@link request}. */
export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const response = await request(path, { signal, headers: { accept: 'application/json' } });
  return (await response.json()) as T;
}

/**
 * Sends `body` as JSON with `method` and resolves to the parsed JSON answer.
 * @throws ApiError for a non-2xx answer (a 400 names the offending `field`) or an unreachable server.
 */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const response = await request(path, {
    method,
    headers: { accept: 'application/json', 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  return (await response.json()) as T;
}

async function getText(path: string, signal?: AbortSignal): Promise<string> {
  const response = await request(path, { signal });
  return await response.text();
}

/** `GET /api/health`. */
export function getHealth(signal?: AbortSignal): Promise<Health> {
  return getJson<Health>(`${API_ROOT}/health`, signal);
}

/** Paging of {@link listMessages}: `limit` 1–1000, `offset` ≥ 0, and a search `query` (`""` for all). */
export interface ListOptions {
  limit: number;
  offset?: number;
  query?: string;
  signal?: AbortSignal;
}

/** `GET /api/messages`: summaries, newest first, matching `query` (the server's search grammar). */
export function listMessages({ limit, offset = 0, query = '', signal }: ListOptions): Promise<MessageList> {
  const params = new URLSearchParams({ limit: String(limit), offset: String(offset) });
  if (query.trim() !== '') params.set('query', query);
  return getJson<MessageList>(`${API_ROOT}/messages?${params}`, signal);
}

/**
 * Unread messages in the store (`total` of the `is:unread` search), or among those `query` matches
 * (`is:unread` put before the query's terms: every term must hold, see server/core/query.ts).
 * Rejects with `ApiError` (400) for an invalid query.
 */
export async function countUnreadMessages(signal?: AbortSignal, query = ''): Promise<number> {
  return (await listMessages({ limit: 1, query: query.trim() === '' ? 'is:unread' : `is:unread ${query}`, signal })).total;
}

/** `GET /api/messages/:id`: full detail; never changes the read state. */
export function getMessage(id: string, signal?: AbortSignal): Promise<MessageDetail> {
  return getJson<MessageDetail>(messagePath(id), signal);
}

/** `GET /api/messages/:id/raw`: the raw message decoded as UTF-8 for display. */
export function getMessageRaw(id: string, signal?: AbortSignal): Promise<string> {
  return getText(messagePath(id, '/raw'), signal);
}

/** `GET /api/messages/:id/transcript`: the SMTP session that produced the message. */
export function getTranscript(id: string, signal?: AbortSignal): Promise<Transcript> {
  return getJson<Transcript>(messagePath(id, '/transcript'), signal);
}

/**
 * `GET /api/messages/:id/checks/auth`: DKIM, ARC, DMARC and SPF (cached by the server, cheap).
 * Throws {@link ApiError}; its message is the server's (shown as is).
 */
export function getAuthCheck(id: string, signal?: AbortSignal): Promise<AuthCheck> {
  return getJson<AuthCheck>(messagePath(id, '/checks/auth'), signal);
}

/** `GET /api/messages/:id/checks/html`: HTML and CSS support per mail client (caniemail). */
export function getHtmlCheck(id: string, signal?: AbortSignal): Promise<HtmlCheck> {
  return getJson<HtmlCheck>(messagePath(id, '/checks/html'), signal);
}

/** `GET /api/messages/:id/checks/list-unsubscribe`: `List-Unsubscribe` and RFC 8058 one-click. */
export function getListUnsubscribeCheck(id: string, signal?: AbortSignal): Promise<ListUnsubscribeCheck> {
  return getJson<ListUnsubscribeCheck>(messagePath(id, '/checks/list-unsubscribe'), signal);
}

/**
 * `GET /api/messages/:id/checks/links`: makes the server fetch every URL the message names, now.
 * Throws {@link ApiError} 409 `check_unavailable` when the sink runs without `--enable-link-check`.
 */
export function getLinkCheck(id: string, signal?: AbortSignal): Promise<LinkCheck> {
  return getJson<LinkCheck>(messagePath(id, '/checks/links'), signal);
}

/**
 * `GET /api/messages/:id/checks/spam`: SpamAssassin's score. Throws {@link ApiError} 409
 * `check_unavailable` without `--spamassassin`, 502 `check_failed` when spamd fails.
 */
export function getSpamCheck(id: string, signal?: AbortSignal): Promise<SpamCheck> {
  return getJson<SpamCheck>(messagePath(id, '/checks/spam'), signal);
}

/** `PATCH /api/messages/:id` with `{read}`; resolves to the updated summary. */
export async function setMessageRead(id: string, read: boolean): Promise<MessageSummary> {
  return sendJson<MessageSummary>('PATCH', messagePath(id), { read });
}

/** `DELETE /api/messages/:id`. */
export async function deleteMessage(id: string): Promise<void> {
  await request(messagePath(id), { method: 'DELETE' });
}

/** `DELETE /api/messages`: empties the store, or deletes only the messages matching `query`. */
export async function deleteAllMessages(query = ''): Promise<void> {
  const suffix = query.trim() === '' ? '' : `?${new URLSearchParams({ query })}`;
  await request(`${API_ROOT}/messages${suffix}`, { method: 'DELETE' });
}

/** `GET /api/faults` (the shape of `server/http/faults-routes.ts`). */
export interface FaultList {
  seed: number;
  rules: FaultRule[];
}

/** `GET /api/faults`: fault rules in check order. */
export function getFaults(signal?: AbortSignal): Promise<FaultList> {
  return getJson<FaultList>(`${API_ROOT}/faults`, signal);
}

/** `POST /api/faults` with one rule; a 400 names the offending `field`. */
export async function addFaultRule(rule: FaultRuleInput): Promise<FaultRule[]> {
  return (await sendJson<{ rules: FaultRule[] }>('POST', `${API_ROOT}/faults`, rule)).rules;
}

/** `DELETE /api/faults/:id`. */
export async function deleteFaultRule(id: string): Promise<void> {
  await request(`${API_ROOT}/faults/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Body of `POST /api/probe` (the server validates it and names the field at fault). */
export interface ProbeRequest {
  target: string;
  starttls: 'require' | 'try' | 'never';
  auth: { user: string; pass: string } | null;
  from?: string;
  to?: string[];
  send: boolean;
  openRelay: boolean;
  dns: { domain: string } | null;
}

/** `GET /api/probe`: whether the sink was started with `--enable-probe`. */
export async function getProbeStatus(signal?: AbortSignal): Promise<boolean> {
  return (await getJson<{ enabled: boolean }>(`${API_ROOT}/probe`, signal)).enabled;
}

/** `POST /api/probe`: runs `mailsink probe` on the server and resolves with its report. */
export async function runProbe(body: ProbeRequest, signal?: AbortSignal): Promise<ProbeReport> {
  return sendJson<ProbeReport>('POST', `${API_ROOT}/probe`, body, signal);
}

/** `GET /api/relay`. */
export function relay(signal?: AbortSignal): Promise<RelayStatus> {
  return getJson<RelayStatus>(`${API_ROOT}/relay`, signal);
}

/** `GET /api/messages/:id/delivery`; `null` on a 404 (`no_delivery`: never queued; or a server without relay). */
export async function delivery(id: string, signal?: AbortSignal): Promise<Delivery | null> {
  return getJson<Delivery>(messagePath(id, '/delivery'), signal).catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  });
}

/**
 * `POST /api/messages/:id/release`: queues the message for the upstream, to `to` or (omitted) its
 * envelope recipients. Throws {@link ApiError} 409 `relay_not_configured` / `delivery_in_progress`, 400 naming `to`.
 */
export async function release(id: string, to?: readonly string[]): Promise<Delivery> {
  return sendJson<Delivery>('POST', messagePath(id, '/release'), to === undefined ? {} : { to });
}
