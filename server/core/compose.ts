/**
 * Builds an RFC 5322 message from Mailpit's JSON send request (`POST /api/v1/send`, see Mailpit's
 * server/apiv1/send.go): From, To, Cc, Bcc (envelope only, no header), Reply-To, Subject, a text
 * part (always) and an HTML alternative, extra headers, `Tags` as `X-Tags`, and base64 attachments
 * (with `ContentID`: inline, related to the HTML). MIME encoding is nodemailer's MailComposer.
 */
import MailComposer from 'nodemailer/lib/mail-composer/index.js';

/** `{Email, Name}` of a send request. */
export interface SendAddress {
  Email: string;
  Name?: string | undefined;
}

/** Mailpit's send request (field names as Mailpit's swagger `SendRequest`). */
export interface SendRequest {
  From: SendAddress;
  To?: SendAddress[] | undefined;
  Cc?: SendAddress[] | undefined;
  Bcc?: string[] | undefined;
  ReplyTo?: SendAddress[] | undefined;
  Subject?: string | undefined;
  Text?: string | undefined;
  HTML?: string | undefined;
  Headers?: Record<string, string> | undefined;
  Tags?: string[] | undefined;
  /** `Content` is base64, optionally after a `data:…;base64,` prefix. */
  Attachments?: { Content: string; Filename: string; ContentType?: string | undefined; ContentID?: string | undefined }[] | undefined;
}

/** A send request that cannot be built; `field` names the culprit (e.g. `To[1].Email`). */
export class ComposeError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'ComposeError';
    this.field = field;
  }
}

const RESTRICTED = ['to', 'from', 'cc', 'bcc', 'reply-to', 'date', 'subject', 'content-type', 'mime-version'];
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;

/**
 * The message bytes and envelope of a send request.
 * @throws ComposeError for an invalid address, a restricted header, or undecodable attachment content.
 */
export async function composeMessage(request: SendRequest): Promise<{ raw: Buffer; mailFrom: string; rcptTo: string[] }> {
  const from = address(request.From, 'From');
  const to = (request.To ?? []).map((a, i) => address(a, `To[${i}]`));
  const cc = (request.Cc ?? []).map((a, i) => address(a, `Cc[${i}]`));
  const bcc = (request.Bcc ?? []).map((email, i) => address({ Email: email }, `Bcc[${i}]`).address);
  const replyTo = (request.ReplyTo ?? []).map((a, i) => address(a, `ReplyTo[${i}]`));
  const rcptTo = [...to.map((a) => a.address), ...cc.map((a) => a.address), ...bcc];
  if (rcptTo.length === 0) throw new ComposeError('To', 'no recipients: give To, Cc or Bcc');
  const composer = new MailComposer({
    from,
    to,
    cc,
    replyTo,
    subject: request.Subject ?? '',
    text: request.Text ?? '',
    ...(request.HTML ? { html: request.HTML } : {}),
    headers: headers(request),
    attachments: (request.Attachments ?? []).map((a, i) => attachment(a, i)),
  });
  const raw = await new Promise<Buffer>((resolve, reject) => composer.compile().build((err, out) => (err ? reject(err) : resolve(out))));
  return { raw, mailFrom: from.address, rcptTo };
}

function address(value: SendAddress | undefined, field: string): { name: string; address: string } {
  const email = typeof value?.Email === 'string' ? value.Email.trim() : '';
  if (!ADDRESS.test(email)) throw new ComposeError(`${field}.Email`, `invalid ${field.replace(/\[\d+\]$/, '')} address: ${email}`);
  return { name: typeof value?.Name === 'string' ? value.Name : '', address: email };
}

function headers(request: SendRequest): Record<string, string> {
  const out: Record<string, string> = {};
  const restricted = request.Tags && request.Tags.length > 0 ? [...RESTRICTED, 'x-tags'] : RESTRICTED;
  for (const [name, value] of Object.entries(request.Headers ?? {})) {
    if (restricted.includes(name.toLowerCase())) throw new ComposeError(`Headers.${name}`, `cannot overwrite header: "${name}"`);
    if (!/^[!-9;-~]+$/.test(name) || /[\r\n]/.test(String(value))) throw new ComposeError(`Headers.${name}`, `invalid header: "${name}"`);
    out[name] = String(value);
  }
  if (request.Tags && request.Tags.length > 0) out['X-Tags'] = request.Tags.join(', ');
  return out;
}

function attachment(a: NonNullable<SendRequest['Attachments']>[number], index: number) {
  const encoded = String(a.Content ?? '').split(',').pop()!.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 === 1) {
    throw new ComposeError(`Attachments[${index}].Content`, `error decoding base64 attachment "${a.Filename}"`);
  }
  const content = Buffer.from(encoded, 'base64');
  return {
    filename: a.Filename,
    content,
    contentType: a.ContentType || sniff(content),
    ...(a.ContentID ? { cid: a.ContentID, contentDisposition: 'inline' as const } : {}),
  };
}

/** A media type from the first bytes (a few common formats, as Go's `http.DetectContentType` would name them). */
function sniff(content: Buffer): string {
  const starts = (hex: string) => content.subarray(0, hex.length / 2).equals(Buffer.from(hex, 'hex'));
  if (starts('89504e470d0a1a0a')) return 'image/png';
  if (starts('ffd8ff')) return 'image/jpeg';
  if (starts('474946')) return 'image/gif';
  if (starts('255044462d')) return 'application/pdf';
  return /[\x00-\x08\x0e-\x1f]/.test(content.subarray(0, 512).toString('latin1')) ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}
