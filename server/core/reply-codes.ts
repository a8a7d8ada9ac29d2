/**
 * One table of SMTP reply codes (RFC 5321 §4.2) with their RFC 3463 enhanced status codes: what
 * each means, its likely cause and what to do. `mailsink probe` explains every non-2xx reply from
 * it, and the fault panel's presets are the entries marked `preset`. Pure data and functions, no
 * imports: the web inbox imports it as it is.
 */

/** One reply a server may send. */
export interface ReplyCodeInfo {
  /** Three-digit reply code, e.g. `550`. */
  readonly code: number;
  /** RFC 3463 enhanced status code usually sent with it, e.g. `5.1.1`. */
  readonly enhancedCode: string;
  /** A few words, e.g. `Mailbox unavailable`. */
  readonly label: string;
  /** The likely cause, one sentence. */
  readonly cause: string;
  /** What to do about it, one sentence. */
  readonly action: string;
  /** Offered as a preset in the fault panel. */
  readonly preset?: true;
}

/** Replies in code order; where one code has several enhanced codes, the most common comes first. */
export const REPLY_CODES: readonly ReplyCodeInfo[] = [
  { code: 421, enhancedCode: '4.3.2', label: 'Service not available, closing', preset: true, cause: 'The server is shutting down, overloaded, or refusing this client for now, and closes the connection.', action: 'Retry later with backoff (a well-behaved client queues the message); if it persists, check the server load and connection limits.' },
  { code: 421, enhancedCode: '4.4.2', label: 'Idle timeout, closing', cause: 'The client was silent longer than the server allows and was disconnected.', action: 'Send commands promptly, or raise the server idle timeout; reconnect and retry.' },
  { code: 421, enhancedCode: '4.7.0', label: 'Too many connections or errors, closing', cause: 'The server limits connections or failed attempts per client address.', action: 'Open fewer parallel connections, reuse one, or wait before retrying.' },
  { code: 450, enhancedCode: '4.2.1', label: 'Mailbox busy', preset: true, cause: 'The mailbox is temporarily unavailable (busy, locked, or greylisting).', action: 'Retry later: greylisting accepts the same message on a retry after a few minutes.' },
  { code: 451, enhancedCode: '4.3.0', label: 'Local error', preset: true, cause: 'The server hit a temporary local problem (storage, database, policy service down).', action: 'Retry later; if it persists, check the server logs and its backends.' },
  { code: 452, enhancedCode: '4.5.3', label: 'Too many recipients', preset: true, cause: 'The server takes no more recipients for this message.', action: 'Send the remaining recipients in another transaction.' },
  { code: 452, enhancedCode: '4.3.1', label: 'Insufficient storage', cause: 'The server is short of disk space or queue room.', action: 'Retry later; the server operator must free space.' },
  { code: 454, enhancedCode: '4.7.0', label: 'TLS or AUTH temporarily unavailable', cause: 'STARTTLS or the authentication backend failed on the server side.', action: 'Retry later; check the server certificate, key and SASL backend.' },
  { code: 500, enhancedCode: '5.5.2', label: 'Syntax error, command unrecognised', cause: 'The server does not know the command, or the line was malformed.', action: 'Check the command and that the client waits for replies it must wait for (pipelining).' },
  { code: 501, enhancedCode: '5.5.4', label: 'Syntax error in parameters', cause: 'An argument was malformed, e.g. an address without angle brackets or a bad ESMTP parameter.', action: 'Fix the address or parameter syntax (RFC 5321 §4.1.2).' },
  { code: 502, enhancedCode: '5.5.1', label: 'Command not implemented', cause: 'The server does not implement the command (e.g. VRFY or an extension it did not offer).', action: 'Use only extensions listed in the EHLO reply.' },
  { code: 503, enhancedCode: '5.5.1', label: 'Bad sequence of commands', cause: 'A command came out of order, e.g. RCPT TO before MAIL FROM, or MAIL before required AUTH.', action: 'Follow the EHLO → (STARTTLS → EHLO) → AUTH → MAIL → RCPT → DATA order.' },
  { code: 504, enhancedCode: '5.5.4', label: 'Parameter not implemented', cause: 'The command parameter (e.g. an AUTH mechanism) is not supported.', action: 'Choose a mechanism or parameter the server offers in its EHLO reply.' },
  { code: 530, enhancedCode: '5.7.0', label: 'Authentication or TLS required', cause: 'The server requires STARTTLS or AUTH before this command.', action: 'Enable STARTTLS and/or authentication in the client settings.' },
  { code: 534, enhancedCode: '5.7.9', label: 'Authentication mechanism too weak', cause: 'The server refuses this AUTH mechanism (e.g. PLAIN without TLS).', action: 'Use TLS first, or a stronger mechanism the server offers.' },
  { code: 535, enhancedCode: '5.7.8', label: 'Authentication failed', preset: true, cause: 'The user name or password is wrong, or the account may not send (app password or OAuth required by some providers).', action: 'Check the credentials, the mechanism, and whether the provider needs an app password.' },
  { code: 538, enhancedCode: '5.7.11', label: 'Encryption required for this mechanism', cause: 'The AUTH mechanism may only be used over TLS.', action: 'Use STARTTLS or implicit TLS before AUTH.' },
  { code: 550, enhancedCode: '5.1.1', label: 'Mailbox unavailable', preset: true, cause: 'The recipient does not exist on this server (or the server refuses it by policy).', action: 'Check the address for typos; remove it from the list if the mailbox is gone.' },
  { code: 550, enhancedCode: '5.7.1', label: 'Delivery not authorised', cause: 'Policy refusal: relaying denied, sender blocked, or the client address is listed.', action: 'Authenticate to relay, send from an allowed address, or ask the operator to allow the client.' },
  { code: 551, enhancedCode: '5.1.6', label: 'User not local', cause: 'The mailbox has moved and the server does not forward.', action: 'Update the recipient address.' },
  { code: 552, enhancedCode: '5.3.4', label: 'Message too big', preset: true, cause: 'The message exceeds the size the server accepts (see SIZE in its EHLO reply).', action: 'Send a smaller message: shrink or link attachments.' },
  { code: 552, enhancedCode: '5.2.2', label: 'Mailbox full', cause: 'The recipient is over quota.', action: 'The recipient must free space; retry later or tell them out of band.' },
  { code: 553, enhancedCode: '5.1.3', label: 'Bad address syntax', preset: true, cause: 'The address is malformed or the mailbox name is not allowed.', action: 'Fix the address (RFC 5321 §4.1.2 syntax).' },
  { code: 553, enhancedCode: '5.7.1', label: 'Sender address rejected', cause: 'The authenticated user may not send as this MAIL FROM address.', action: 'Send from an address the account owns.' },
  { code: 554, enhancedCode: '5.7.1', label: 'Transaction failed', preset: true, cause: 'The server refused the message or the client for policy reasons (spam, relay denied, blocklist).', action: 'Read the reply text; check SPF/DKIM/DMARC of the sender domain and the client address reputation.' },
  { code: 554, enhancedCode: '5.3.0', label: 'Transaction failed', cause: 'A permanent failure the server does not classify further.', action: 'Read the reply text and the server logs.' },
  { code: 555, enhancedCode: '5.5.4', label: 'MAIL FROM/RCPT TO parameters not recognised', cause: 'An ESMTP parameter (SIZE, BODY, SMTPUTF8 …) is not supported.', action: 'Send only parameters for extensions the server offered.' },
];

/** A reply's explanation: the table entry that fits best, or one made from the code's class. */
export interface ReplyExplanation {
  readonly code: number;
  readonly enhancedCode: string | null;
  readonly label: string;
  readonly cause: string;
  readonly action: string;
}

/**
 * Explains a reply: the entry with the same code and enhanced code, else the first with the same
 * code, else a description from the code's first digit (RFC 5321 §4.2.1) and the enhanced code's
 * class and subject (RFC 3463 §3).
 * @param code - The three-digit reply code.
 * @param enhancedCode - `x.y.z` if the reply had one, else `null`.
 */
export function explainReply(code: number, enhancedCode: string | null = null): ReplyExplanation {
  const exact = REPLY_CODES.find((entry) => entry.code === code && entry.enhancedCode === enhancedCode);
  const sameCode = exact ?? REPLY_CODES.find((entry) => entry.code === code);
  if (sameCode) return { code, enhancedCode, label: sameCode.label, cause: sameCode.cause, action: sameCode.action };
  const kind = Math.floor(code / 100);
  const subject = enhancedCode ? ENHANCED_SUBJECTS[enhancedCode.split('.')[1] ?? ''] : undefined;
  if (kind === 2 || kind === 3) return { code, enhancedCode, label: kind === 2 ? 'Success' : 'Intermediate reply', cause: 'The command was accepted.', action: 'Nothing to do.' };
  const transient = kind === 4;
  return {
    code,
    enhancedCode,
    label: transient ? 'Temporary failure' : 'Permanent failure',
    cause: `${transient ? 'A temporary' : 'A permanent'} failure${subject ? ` (${subject})` : ''}.`,
    action: transient ? 'Retry later; a well-behaved client queues the message.' : 'Do not retry unchanged; read the reply text and fix the cause.',
  };
}

/** RFC 3463 §3 subjects (the middle digit of an enhanced status code). */
const ENHANCED_SUBJECTS: Readonly<Record<string, string>> = {
  '0': 'other or undefined status',
  '1': 'addressing status',
  '2': 'mailbox status',
  '3': 'mail system status',
  '4': 'network and routing status',
  '5': 'mail delivery protocol status',
  '6': 'message content or media status',
  '7': 'security or policy status',
};

/**
 * Splits a reply's text into its enhanced status code and the rest (RFC 2034 §4: the code follows
 * the reply code and a space). `null` code when the text does not start with `x.y.z`.
 */
export function splitEnhancedCode(text: string): { enhancedCode: string | null; text: string } {
  const match = /^([245]\.\d{1,3}\.\d{1,3})(?:\s+|$)(.*)$/s.exec(text);
  return match ? { enhancedCode: match[1]!, text: match[2]! } : { enhancedCode: null, text };
}

/** Standard reply texts (RFC 5321 §4.2.2–4.2.3, RFC 4954 for 530/535). */
const REPLY_TEXTS: Record<number, string> = {
  421: 'Service not available, closing transmission channel',
  450: 'Requested mail action not taken: mailbox unavailable',
  451: 'Requested action aborted: local error in processing',
  452: 'Requested action not taken: insufficient system storage',
  454: 'Temporary authentication failure',
  500: 'Syntax error, command unrecognized',
  501: 'Syntax error in parameters or arguments',
  502: 'Command not implemented',
  503: 'Bad sequence of commands',
  530: 'Authentication required',
  535: 'Authentication credentials invalid',
  550: 'Requested action not taken: mailbox unavailable',
  551: 'User not local',
  552: 'Requested mail action aborted: exceeded storage allocation',
  553: 'Requested action not taken: mailbox name not allowed',
  554: 'Transaction failed',
};

/**
 * The text a fault rule's reply without its own `text` is sent with (RFC 5321 §4.2.2–4.2.3): the
 * standard text of the reply code, else `Temporary failure` (4xx) or `Permanent failure` (5xx).
 * @param code - The three-digit reply code.
 */
export function standardReplyText(code: number): string {
  return REPLY_TEXTS[code] ?? (code < 500 ? 'Temporary failure' : 'Permanent failure');
}
