/**
 * Importing a message that did not come over SMTP (`POST /api/messages`, `mailsink import`): the
 * envelope is taken from the headers unless given, the way a submission agent would build it
 * (RFC 6409 §8.1): the sender from `Return-Path` or the first `From`, the recipients from To, Cc
 * and Bcc.
 */
import type { Envelope } from '../contract.js';
import type { MessageParsing } from './message-parsing.js';
import type { MessageFacts } from './parse.js';
import type { ParsePool } from './parse-pool.js';
import type { Store, StoredMessage } from './store.js';

/** Envelope values given by the caller; each one that is set wins over the headers. */
export interface GivenEnvelope {
  mailFrom?: string | undefined;
  rcptTo?: readonly string[] | undefined;
}

/** Thrown when no recipient is given and the headers name none. */
export class ImportEnvelopeError extends Error {
  readonly field = 'rcptTo';
  constructor(message: string) {
    super(message);
    this.name = 'ImportEnvelopeError';
  }
}

/**
 * The `MAIL FROM` and `RCPT TO`s for an imported message.
 * @throws ImportEnvelopeError when there is no recipient at all.
 */
export function envelopeFromHeaders(facts: Pick<MessageFacts, 'returnPath' | 'from' | 'to' | 'cc' | 'bcc'>, given: GivenEnvelope = {}): { mailFrom: string; rcptTo: string[] } {
  const mailFrom = given.mailFrom ?? facts.returnPath ?? facts.from[0]?.address ?? '';
  const fromHeaders = [...facts.to, ...facts.cc, ...facts.bcc].map((a) => a.address).filter((a) => a !== '');
  const rcptTo = [...new Set(given.rcptTo && given.rcptTo.length > 0 ? given.rcptTo : fromHeaders)];
  if (rcptTo.length === 0) throw new ImportEnvelopeError('no recipients: the message has no To, Cc or Bcc address; give rcptTo');
  return { mailFrom, rcptTo };
}

/** What {@link ingestMessage} stores with. */
export interface IngestDeps {
  store: Store;
  parser: ParsePool;
  parsing: MessageParsing;
}

/**
 * Stores a message that did not come over SMTP (import, send API) the way the SMTP path does: parsed
 * first, then stored, admitted for announcement (`message.received`, in arrival order) and returned
 * once its facts are known.
 */
export async function ingestMessage(deps: IngestDeps, raw: Buffer, envelope: Envelope): Promise<StoredMessage> {
  const facts = await deps.parser.facts(raw);
  const message = await deps.store.add({ envelope, raw, ...(deps.store.factsFirst === true ? { facts } : {}) });
  deps.parsing.admit(message, facts);
  await deps.parsing.ready([message]);
  return message;
}
