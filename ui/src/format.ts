/** Display formatting of addresses, sizes and times. Returns plain strings for React text nodes. */
import type { Address, MessageSummary } from '../../server/contract.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const yearDayFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
/** Within this many days before today the list shows weekday and time ("Mon 14:05"). */
const WEEKDAY_DAYS = 6;
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** Who a message is from, for the list: header From name or address, else envelope MAIL FROM; `null` if neither. */
export function senderLabel(message: Pick<MessageSummary, 'from' | 'envelope'>): string | null {
  const first = message.from[0];
  if (first) return first.name || first.address || null;
  return message.envelope.mailFrom || null;
}

/** `Name <address>` or just `address`. */
export function formatAddress(address: Address): string {
  return address.name ? `${address.name} <${address.address}>` : address.address;
}

export function formatAddressList(addresses: readonly Address[]): string {
  return addresses.map(formatAddress).join(', ');
}

/** `512 B`, `1.5 KB`, `12 MB` (1 KB = 1024 bytes). */
export function formatSize(sizeBytes: number): string {
  if (sizeBytes < 1024) return `${sizeBytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = sizeBytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/**
 * A short local time for the list, as mail clients show it: the time of day for today ("14:05"),
 * weekday and time for the six days before ("Mon 14:05"), month and day earlier this year
 * ("Mar 4"), with the year before that ("Mar 4, 2024"); also the year for dates in the future
 * beyond today. `''` when `iso` does not parse.
 */
export function formatListTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const today = startOfDay(now);
  const day = startOfDay(date);
  if (day === today) return timeFormat.format(date);
  // Days apart by calendar date (a DST day is 23 or 25 hours long, hence the rounding).
  const daysAgo = Math.round((today - day) / 86_400_000);
  if (daysAgo > 0 && daysAgo <= WEEKDAY_DAYS) return weekdayFormat.format(date);
  if (daysAgo > 0 && date.getFullYear() === now.getFullYear()) return dayFormat.format(date);
  return yearDayFormat.format(date);
}

/** The recipient the list shows for a message, and every recipient for its tooltip. */
export interface RecipientLabel {
  /** The first To name or address, or the envelope's first RCPT TO when no To/Cc address was in the envelope; `null` when none. */
  text: string | null;
  /** How many more recipients the message went to (beyond the one in `text`). */
  more: number;
  /** `true` when `text` is the envelope recipient (a Bcc or an envelope that differs from the headers). */
  viaEnvelope: boolean;
  /** Every envelope recipient (else every To), comma-separated, for a `title`. */
  title: string;
}

/**
 * Whom a message was to, for the list: the To header's first name or address; but when the
 * envelope (RCPT TO, RFC 5321 §3.3) names none of the To/Cc addresses, the first envelope
 * recipient, as mail clients show a Bcc delivery.
 */
export function recipientLabel(message: Pick<MessageSummary, 'to' | 'cc' | 'envelope'>): RecipientLabel {
  const { rcptTo } = message.envelope;
  const headerAddresses = new Set([...message.to, ...message.cc].map((a) => a.address.toLowerCase()));
  const envelopeDiffers = rcptTo.length > 0 && !rcptTo.some((rcpt) => headerAddresses.has(rcpt.toLowerCase()));
  const first = message.to[0];
  if (envelopeDiffers || !first) {
    const [rcpt] = rcptTo;
    return { text: rcpt ?? null, more: Math.max(0, rcptTo.length - 1), viaEnvelope: rcpt !== undefined, title: rcptTo.join(', ') };
  }
  const count = Math.max(message.to.length, rcptTo.length);
  return { text: first.name || first.address, more: count - 1, viaEnvelope: false, title: formatAddressList(message.to) };
}

/** Full local date and time; `iso` itself when it does not parse. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}
