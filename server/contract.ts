/**
 * The wire contract of mailsink: JSON-safe shapes of every REST response and WebSocket event,
 * shared by the server, the typed client and the web UI (the UI imports it with `import type`).
 *
 * Conventions: sizes are in bytes (`sizeBytes`), times are ISO 8601 UTC strings, ids are URL-safe.
 * Error bodies are `{ "error": { "code", "message", "field"? } }` (see {@link ApiErrorBody}).
 */
import type { Delivery } from './relay/types.js';

/** A mailbox from an address header (RFC 5322 §3.4), with any RFC 2047 encoded words decoded. */
export interface Address {
  /** Display name, decoded; `""` when absent. */
  name: string;
  /** `local@domain` as written (quoted local parts keep their quotes, Unicode kept as is). */
  address: string;
}

/**
 * The SMTP envelope as the client sent it (RFC 5321 §3.3), kept apart from the message headers:
 * Bcc-only recipients appear only here.
 */
export interface Envelope {
  /** Reverse-path from `MAIL FROM`; `""` for the null sender `<>`. */
  mailFrom: string;
  /** Every `RCPT TO` forward-path that was accepted, in command order. */
  rcptTo: string[];
  /** ESMTP parameters of `MAIL FROM` (e.g. `{ BODY: "8BITMIME", SMTPUTF8: true, SIZE: "1234" }`). */
  mailParams: Record<string, string | true>;
  /** Name given in `EHLO`/`HELO`. */
  heloName: string;
  /** Client IP address. */
  remoteAddress: string;
  /** Client TCP port. */
  remotePort: number;
  /** Whether the session ran over TLS. */
  secure: boolean;
  /** User name from SMTP AUTH (RFC 4954), or `null` when the client did not authenticate. */
  authUser: string | null;
}

/** One header field in original order: name as written, value unfolded but not decoded. */
export interface HeaderField {
  name: string;
  /** The value as written, unfolded; encoded words (RFC 2047) left as they are. */
  value: string;
  /** The value as people read it: encoded words (RFC 2047) decoded in their charset, other 8-bit bytes as UTF-8. */
  decoded: string;
}

/** Metadata of one non-body MIME part (attachment, inline image, calendar part …). */
export interface AttachmentMeta {
  /**
   * MIME part path such as `"2"` or `"1.2"` (`"1"` when the whole body is this part), or `"uu-N"` for
   * the N-th uuencoded file (`begin … end`) found in the text body: stable for a given raw message.
   */
  partId: string;
  /** File name as declared by the message (`Content-Disposition` filename or `Content-Type` name), decoded; `null` if none. */
  filename: string | null;
  /** A name that is safe in a path or header: no directories, control characters or quotes; always present. */
  safeFilename: string;
  /** Declared media type, lowercased, without parameters (e.g. `text/calendar`). */
  contentType: string;
  /** Parameters of the `Content-Type` header (e.g. `{ charset: "utf-8", method: "REQUEST" }`). */
  contentTypeParams: Record<string, string>;
  /** `Content-ID` without angle brackets, or `null`. */
  contentId: string | null;
  /** `Content-Disposition` type, or `null` when the part has none. */
  disposition: 'attachment' | 'inline' | null;
  /** True for parts shown inside the body (multipart/related or inline disposition with a Content-ID). */
  inline: boolean;
  /** Decoded size in bytes. */
  sizeBytes: number;
  /** Hex sha256 of the decoded bytes. */
  sha256: string;
  /** Path of the download endpoint, relative to the HTTP root. */
  url: string;
}

/** What lists and events carry: never bodies. */
export interface MessageSummary {
  id: string;
  /** Arrival order, rising, never reused. */
  seq: number;
  /** When the final `.` of DATA was received (ISO 8601 UTC). */
  receivedAt: string;
  /** `MAIL FROM` and accepted `RCPT TO`s. */
  envelope: Pick<Envelope, 'mailFrom' | 'rcptTo'>;
  /** Header `Message-ID` without angle brackets, or `null`. */
  messageId: string | null;
  /** Decoded subject; `""` when the header is absent. */
  subject: string;
  from: Address[];
  to: Address[];
  cc: Address[];
  /** Header `Date` as ISO 8601, or `null` when absent or invalid. */
  date: string | null;
  /** First ~200 characters of the text body, whitespace collapsed. */
  snippet: string;
  /** Raw size in bytes (exactly the DATA received after dot-unstuffing). */
  sizeBytes: number;
  /** Number of real attachments (inline/related parts not counted). */
  attachmentCount: number;
  read: boolean;
  /**
   * Tags, sorted case-insensitively: from the `X-Tags` header and recipients' `+sub-addresses` on
   * arrival, then as set with `PATCH /api/messages/:id` `{ tags }` (or Mailpit's `/api/v1/tags`).
   */
  tags: string[];
  /** Why the message could not be parsed, or `null`. The raw bytes are kept either way. */
  parseError: string | null;
}

/** Full view of one message (`GET /api/messages/:id`). */
export interface MessageDetail extends MessageSummary {
  envelope: Envelope;
  /** Envelope recipients not named in To or Cc (typically Bcc). */
  bccOnly: string[];
  bcc: Address[];
  replyTo: Address[];
  /** Header fields in original order. */
  headers: HeaderField[];
  /** Plain-text body, or `null`. */
  text: string | null;
  /** HTML body with `cid:` references rewritten to attachment URLs, or `null`. */
  html: string | null;
  /** Every non-body part, inline ones included. */
  attachments: AttachmentMeta[];
}

/** `GET /api/messages` */
export interface MessageList {
  /** Messages matching in the store. */
  total: number;
  /** Messages in this page. */
  count: number;
  messages: MessageSummary[];
}

/** `GET /api/health` */
export interface Health {
  status: 'ok';
  version: string;
  smtpPort: number;
  httpPort: number;
  messages: number;
  /** Every plain SMTP port (`--smtp-port`, repeatable), `smtpPort` first; each offers STARTTLS. */
  smtpPorts: number[];
  /** The implicit-TLS SMTP port (`--smtps-port`), or `null` when there is none. */
  smtpsPort: number | null;
  /** Which on-request checks are on: `links` with `--enable-link-check`, `spam` with `--spamassassin` (off: their routes answer 409 `check_unavailable`). */
  checks: { links: boolean; spam: boolean };
}

/** Error body of every 4xx/5xx JSON response. */
export interface ApiErrorBody {
  error: {
    /** Machine-readable code such as `not_found`, `invalid_request`. */
    code: string;
    message: string;
    /** Name of the offending query/body field, when one is at fault. */
    field?: string;
    /** Structured facts about the failure, e.g. for a `wait_timeout`: `query`, `after`, `count`, `matched`, `timeoutMs`. */
    details?: Record<string, string | number>;
  };
}

/** A mailbox (`GET /api/mailboxes`): one lowercased envelope recipient, `+tag`s folded in. */
export interface Mailbox {
  /** e.g. `alice@example.org` for mail to `Alice+signup@Example.org`. */
  mailbox: string;
  /** Stored messages with a recipient in this mailbox. */
  count: number;
  /** Of those, the ones not marked read. */
  unread: number;
  /** Sub-addresses seen (`signup`), each with its message count; sorted by tag. */
  tags: { tag: string; count: number }[];
}

/** `GET /api/mailboxes` */
export interface MailboxList {
  /** Number of mailboxes. */
  total: number;
  /** Sorted by `mailbox`. */
  mailboxes: Mailbox[];
}

/** A link found in a message (`GET /api/messages/:id/links`). */
export interface MessageLink {
  /** The URL as written (character references decoded), e.g. `https://app.example/reset?t=abc`. */
  url: string;
  /** Anchor text (or image `alt`) of the first HTML link to it, whitespace collapsed; `""` for links only in the text body. */
  text: string;
  /** The bodies it appears in, HTML first. */
  sources: ('html' | 'text')[];
}

/** `GET /api/messages/:id/links` */
export interface LinkList {
  count: number;
  /** Every distinct URL, in order of first appearance (HTML body first, then text body). */
  links: MessageLink[];
}

/** `GET /api/messages/wait` */
export interface WaitResult {
  /** `seq` of the last message returned: pass it as `after` to wait for the next ones. */
  cursor: number;
  count: number;
  /** The first `count` matching messages with `seq > after`, oldest first. */
  messages: MessageSummary[];
}

/** `GET /api/messages/cursor` */
export interface Cursor {
  /** `seq` of the newest message ever stored (0 before the first), deleted or not. */
  cursor: number;
}

/** SMTP stage a fault rule applies to: the greeting, AUTH, `MAIL FROM`, each `RCPT TO`, end of DATA. */
export type FaultStage = 'connect' | 'auth' | 'mailFrom' | 'rcptTo' | 'data';

/** What a fault rule matches on; every given field must hold. Patterns are globs (`*@bounce.example`) or `/regex/flags` in RE2 syntax (no backreferences or lookaround), matched in linear time. */
export interface FaultMatch {
  mailFrom?: string;
  /** At `rcptTo`: the recipient of this command; at `data`: any accepted recipient. */
  rcptTo?: string;
  authUser?: string;
  remoteAddress?: string;
  /** Decoded subject; `data` stage only. */
  subject?: string;
  /** Fire only on every n-th matching command (1 = every one). */
  nth?: number;
}

/** The reply a rule sends instead of the normal one. */
export interface FaultReply {
  /** 400–599. 421 closes the connection after the reply (RFC 5321 §3.8). */
  code: number;
  /** RFC 3463 enhanced status code, e.g. `5.1.1`. */
  enhancedCode?: string;
  /** Reply text; a standard text for the code when omitted. */
  text?: string;
}

/** A rule as given to `POST /api/faults`, `--faults-file` or `startSink({ faults })`. */
export interface FaultRuleInput {
  stage: FaultStage;
  match?: FaultMatch;
  /** Error reply to send; omit for a delay-only or disconnect rule. */
  reply?: FaultReply;
  /** Wait this many ms before replying (or before going on normally when there is no `reply`). */
  delayMs?: number;
  /** Drop the TCP connection without any reply. */
  disconnect?: boolean;
  /** Fire this many times, then retire; omitted = until removed. */
  times?: number;
  /** Chance (0–1) that a matching command fires, drawn from the sink's seeded generator (`--fault-seed`). */
  probability?: number;
  /** `false` keeps the rule in the list but skips it entirely (no `matched`/`hits` counted); default `true`. */
  enabled?: boolean;
}

/** A rule as the sink holds it. */
export interface FaultRule extends FaultRuleInput {
  id: string;
  /** ISO 8601 UTC. */
  createdAt: string;
  /** Times it fired. */
  hits: number;
  /** Commands it matched (fired or not, e.g. skipped by `nth` or `probability`). */
  matched: number;
  /** False once `times` is used up (independent of `enabled`). */
  active: boolean;
  /** Whether the rule is checked at all (`PATCH /api/faults/:id`). */
  enabled: boolean;
  /** One human line, e.g. `rcptTo matching *@bounce.example → 550 5.1.1, 1 of 1 left`. */
  description: string;
  /** When the rule last fired on this instance (kept across edits), or `null` if it has not. */
  lastFired: FaultFiring | null;
}

/** The last firing of a fault rule (`FaultRule.lastFired`). */
export interface FaultFiring {
  /** ISO 8601 UTC. */
  time: string;
  /** The reply code sent, or `null` for a delay-only or disconnect rule. */
  code: number | null;
  /** Whether the connection was dropped. */
  disconnect: boolean;
  /** The client it fired for. */
  remoteAddress: string;
}

/** `PATCH /api/messages` (bulk): messages changed, and given ids that match no message. */
export interface BulkUpdateResult {
  /** Messages whose read flag or tags changed (those already so are not counted). */
  updated: number;
  missing: string[];
}

/** `DELETE /api/messages` with ids. */
export interface BulkDeleteResult {
  deleted: number;
  missing: string[];
}

/** One tag in use and how many stored messages carry it. */
export interface TagCount {
  name: string;
  count: number;
}

/** `GET /api/tags`: sorted by name, case-insensitively. */
export interface TagCountList {
  tags: TagCount[];
}

/** One refused SMTP attempt (`GET /api/rejections`). */
export interface Rejection {
  id: string;
  /** ISO 8601 UTC. */
  time: string;
  stage: FaultStage;
  /** The rule that fired, or `null` for a built-in limit (e.g. 552 for size). */
  ruleId: string | null;
  /** The rule's description as it was when it fired (it may be edited, moved or removed since), or `null` for a built-in limit. */
  ruleDescription: string | null;
  /** The reply line as sent (`550 5.1.1 Recipient address rejected`), or `null` when the connection was dropped. */
  reply: string | null;
  disconnected: boolean;
  /** The argument of the refused command: the address for `mailFrom`/`rcptTo`, the user for `auth`. */
  argument: string | null;
  /** The envelope as far as it got. */
  envelope: Pick<Envelope, 'mailFrom' | 'rcptTo' | 'heloName' | 'remoteAddress' | 'authUser'>;
  /** Id of the SMTP session's transcript: `GET /api/transcripts/:id` (a `404` once it is no longer kept). */
  transcriptId: string | null;
}

/** Who wrote a transcript line: the client (a command), the server (a reply line), or mailsink noting an event (TLS, message data). */
export type TranscriptDirection = 'client' | 'server' | 'note';

/** One line of an SMTP session transcript. */
export interface TranscriptLine {
  /** Milliseconds since the session started. */
  offsetMs: number;
  direction: TranscriptDirection;
  /**
   * The line without CRLF. AUTH secrets are masked (`AUTH PLAIN ***`, and `***` for each line of
   * an AUTH exchange); message data is never recorded, only a note with its size.
   */
  text: string;
}

/** The commands and replies of one SMTP session (`GET /api/messages/:id/transcript`, `GET /api/transcripts/:id`). */
export interface Transcript {
  /** SMTP session id (also `Rejection.transcriptId`). */
  id: string;
  /** ISO 8601 UTC. */
  startedAt: string;
  /** ISO 8601 UTC, or `null` while the session is open. */
  endedAt: string | null;
  remoteAddress: string;
  remotePort: number;
  /** The mailsink port the client connected to. */
  localPort: number;
  /** Whether the session ran over TLS (implicit TLS, or after STARTTLS). */
  secure: boolean;
  /** Messages this session produced, in order (deleted ones included). */
  messageIds: string[];
  lines: TranscriptLine[];
  /** Lines past the per-session limit, counted but not kept. */
  droppedLines: number;
}

/**
 * Events on `WS /api/events`. `seq` rises by one per event; a client that sees a gap refetches.
 * The SMTP `250` is sent after the message is stored; reads wait for its parse, and
 * `message.received` comes once it is parsed (usually within a millisecond of the `250`, before or
 * after it reaches the client), in arrival order; a message evicted before that is only announced
 * as deleted. `message.delivery` carries a relay delivery each time it is queued, attempted or ended.
 */
export type SinkEvent =
  | { type: 'hello'; seq: number; version: string; messages: number }
  | { type: 'message.received'; seq: number; message: MessageSummary }
  | { type: 'message.updated'; seq: number; message: MessageSummary }
  | { type: 'message.deleted'; seq: number; ids: string[]; reason: 'api' | 'evicted' }
  | { type: 'store.cleared'; seq: number }
  | { type: 'fault.triggered'; seq: number; ruleId: string; stage: FaultStage; code: number | null; disconnect: boolean; remoteAddress: string }
  | { type: 'faults.changed'; seq: number; rules: FaultRule[] }
  | { type: 'message.delivery'; seq: number; delivery: Delivery }
  | { type: 'rejection.recorded'; seq: number; rejection: Rejection };

/** A {@link SinkEvent} without its sequence number, as produced before publication. */
export type SinkEventInput = SinkEvent extends infer E ? (E extends { seq: number } ? Omit<E, 'seq'> : never) : never;

/** The report of `POST /api/probe` and `mailsink probe --json` (see server/probe/report.ts). */
export type { ProbeReport, ProbeStage, ProbeFinding, ProbeTls, ProbeCertificate, ProbeCapabilities, ProbeDns } from './probe/report.js';

/** Results of the per-message checks (`GET /api/messages/:id/checks/*`); see `server/checks/`. */
export type * from './checks/types.js';
export type { Delivery, DeliveryAttempt, DeliveryState, DeliveryTranscriptLine, RefusedRecipient, RelayStatus, StarttlsMode } from './relay/types.js';
