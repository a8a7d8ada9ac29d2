/**
 * The one table of how mailsink's SMTP servers word replies: every reply but the greeting and the
 * answers to HELO/EHLO (RFC 2034 §3) carries an enhanced status code (RFC 3463), mailsink's own
 * (they already begin with one) and those smtp-server writes itself (`250 Accepted`, `221 Bye`,
 * `503 Error: need MAIL command` …), which get one here instead of at each of its write sites. It is
 * applied by the session observer (server/smtp/hooks.ts), so only mailsink's servers are affected.
 */
import { defaultEnhancedCode, hasEnhancedCode } from '../core/enhanced-codes.js';
import { LIMIT_REPLIES } from './session.js';

/** A reply line: code and the text after it. */
export interface Reply {
  code: number;
  text: string;
}

/** smtp-server's fixed replies that mailsink words differently (whole lines, `code text`). */
const REWORDED = new Map<string, Reply>([
  ['421 Timeout - closing connection', LIMIT_REPLIES.idleTimeout],
  ['421 Error: Command line too long', LIMIT_REPLIES.lineTooLong],
  ['421 Server shutting down', { code: 421, text: '4.3.2 Server shutting down' }],
  ['421 Error: too many unauthenticated commands', { code: 421, text: '4.7.0 Error: too many unauthenticated commands' }],
  ['421 Error: too many unrecognized commands', { code: 421, text: '4.5.0 Error: too many unrecognized commands' }],
  ['538 Error: Must issue a STARTTLS command first', LIMIT_REPLIES.tlsRequired],
  // RFC 4954 §4: a response that is not valid base64 is answered 501 5.5.2.
  ['501 Error: invalid userdata', { code: 501, text: '5.5.2 Error: invalid userdata' }],
]);

/**
 * The enhanced code smtp-server's own `send()` context names (its internal labels for the reply
 * of `MAIL FROM`, `RCPT TO` …), where it is more precise than the default of the reply code.
 */
const BY_CONTEXT: Readonly<Record<string, string>> = {
  MAIL_FROM_OK: '2.1.0', // X.1.0 other address status: sender accepted
  RCPT_TO_OK: '2.1.5', // X.1.5 destination address valid
  SENDER_SYNTAX_ERROR: '5.1.7', // X.1.7 bad sender's mailbox address syntax
  MAILBOX_SYNTAX_ERROR: '5.1.3', // X.1.3 bad destination mailbox address syntax
  TOO_MANY_RECIPIENTS: '4.5.3', // X.5.3 too many recipients
  MESSAGE_TOO_BIG: '5.3.4', // X.3.4 message too big for system
  NOT_AUTHORIZED: '5.7.1', // X.7.1 delivery not authorized
};

/**
 * The reply mailsink's servers send in place of `code text`, or `undefined` to send it as is.
 * `context` is the third argument of smtp-server's `send()`: `false` marks the greeting and the
 * answers to HELO/EHLO, which keep their text (RFC 2034 §3); so do 3xx replies (`354`, `334`),
 * several lines (EHLO) and a text that already begins with an enhanced code.
 */
export function mailsinkReply(code: number, text: string | readonly string[] | undefined, context: unknown): Reply | undefined {
  if (typeof text !== 'string' || context === false) return undefined;
  const reworded = REWORDED.get(`${code} ${text}`);
  if (reworded) return reworded;
  if (hasEnhancedCode(text)) return undefined;
  const byContext = typeof context === 'string' ? BY_CONTEXT[context] : undefined;
  const enhancedCode = byContext?.[0] === String(code)[0] ? byContext : defaultEnhancedCode(code);
  if (!enhancedCode) return undefined;
  return { code, text: text === '' ? enhancedCode : `${enhancedCode} ${text}` };
}
