/**
 * Enhanced status codes (RFC 3463) for SMTP reply codes (RFC 5321 §4.2), the defaults used when a
 * reply names none: mailsink's fault rules without `enhancedCode`, and smtp-server's own replies
 * (see server/smtp/replies.ts). Pure data, no transport.
 */

/** The default enhanced code per reply code; the text says which RFC 3463 subject/detail it is. */
const DEFAULT_ENHANCED_CODES: Readonly<Record<number, string>> = {
  200: '2.0.0',
  211: '2.0.0',
  214: '2.0.0',
  220: '2.0.0', // a reply to STARTTLS; the greeting carries none (RFC 2034 §3)
  221: '2.0.0',
  235: '2.7.0', // RFC 4954 §6: authentication succeeded
  250: '2.0.0',
  251: '2.1.5',
  252: '2.0.0',
  421: '4.3.2', // X.3.2 system not accepting network messages ("Service not available"); idle timeout is 4.4.2 (replies.ts)
  450: '4.2.0', // X.2.0 other or undefined mailbox status
  451: '4.3.0', // X.3.0 other or undefined mail system status
  452: '4.3.1', // X.3.1 mail system full
  454: '4.7.0', // RFC 4954 §6: temporary authentication failure
  500: '5.5.2', // X.5.2 syntax error
  501: '5.5.4', // X.5.4 invalid command arguments
  502: '5.5.1', // X.5.1 invalid command
  503: '5.5.1',
  504: '5.5.4', // RFC 4954 §4: unrecognized authentication type
  521: '5.3.2', // X.3.2 system not accepting network messages
  530: '5.7.0', // RFC 4954 §6: authentication required
  534: '5.7.9', // RFC 4954 §6: mechanism too weak
  535: '5.7.8', // RFC 4954 §6: credentials invalid
  538: '5.7.11', // RFC 5248: encryption required for requested authentication mechanism
  550: '5.1.1', // X.1.1 bad destination mailbox address
  551: '5.1.6', // X.1.6 destination mailbox has moved
  552: '5.3.4', // X.3.4 message too big for system
  553: '5.1.3', // X.1.3 bad destination mailbox address syntax
  554: '5.0.0',
  555: '5.5.4',
};

/** `2.1.5 …`: a reply text that already begins with an enhanced status code. */
const LEADING_ENHANCED_CODE = /^[245]\.\d{1,3}\.\d{1,3}(?: |$)/;

/**
 * The enhanced status code (RFC 3463) to put before the text of a reply with `replyCode`: the
 * table above, else `2.0.0`, `4.0.0` or `5.0.0` by class. `null` for 1xx and 3xx replies (a `354`
 * or `334` carries none, RFC 2034 §4).
 */
export function defaultEnhancedCode(replyCode: number): string | null {
  const known = DEFAULT_ENHANCED_CODES[replyCode];
  if (known) return known;
  const replyClass = Math.floor(replyCode / 100);
  return replyClass === 2 || replyClass === 4 || replyClass === 5 ? `${replyClass}.0.0` : null;
}

/** Whether a reply text already begins with an enhanced status code (`5.1.1 …`). */
export function hasEnhancedCode(text: string): boolean {
  return LEADING_ENHANCED_CODE.test(text);
}
