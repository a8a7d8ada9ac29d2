/** Display formatting of addresses, sizes and times. Returns plain strings for React text nodes. */
import type { Address, MessageSummary } from '../../server/contract.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
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

/** Time of day for today's dates, else month and day. */
export function formatListTime(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return date.toDateString() === now.toDateString() ? timeFormat.format(date) : dayFormat.format(date);
}

/** Full local date and time; `iso` itself when it does not parse. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date);
}
