/**
 * The `Date` header (RFC 5322 §3.3, with the obsolete forms of §4.3: two- and three-digit years,
 * zone names, military zones, comments and missing seconds), and ISO 8601 as some senders write
 * it. Anything else is unparsable: `null`, never a guess (JavaScript's `Date.parse` reads `"12"`
 * as 1 December 2001 and `"not a date 42"` as 2042).
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** Obsolete zone names (RFC 5322 §4.3), in minutes east of UTC; other letters count as `-0000`. */
const ZONES: Record<string, number> = { ut: 0, gmt: 0, utc: 0, z: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420, mdt: -360, pst: -480, pdt: -420 };

const RFC5322 =
  /^(?:[a-z]{3,9}\s*,?\s*)?(\d{1,2})\s*[-\s]\s*([a-z]{3,9})\.?\s*[-\s]\s*(\d{2,4})\s+(\d{1,2})\s*:\s*(\d{2})(?:\s*:\s*(\d{2})(?:\.\d+)?)?(?:\s*([+-]?\d{3,4}|[a-z]{1,5}))?(?:\s+[a-z]{1,5})?$/i;
const ISO8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses a `Date` header value.
 * @returns ISO 8601 UTC (`2000-05-17T23:18:39.000Z`), or `null` when the value is no date.
 */
export function parseMailDate(value: string): string | null {
  const text = value.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  if (ISO8601.test(text)) {
    const time = Date.parse(text.replace(' ', 'T'));
    return Number.isNaN(time) ? null : new Date(time).toISOString();
  }
  const m = RFC5322.exec(text);
  if (!m) return null;
  const [day, monthName, yearText, hour, minute, second = '0', zone = '-0000'] = m.slice(1) as string[];
  const month = MONTHS.indexOf(monthName!.slice(0, 3).toLowerCase());
  let year = Number(yearText);
  if (yearText!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText!.length === 3) year += 1900;
  const [d, h, min, s] = [day, hour, minute, second].map(Number) as [number, number, number, number];
  if (month === -1 || d < 1 || d > daysIn(year, month) || h > 23 || min > 59 || s > 60) return null;
  const offset = /^[+-]?\d{3,4}$/.test(zone) ? zoneMinutes(zone) : (ZONES[zone.toLowerCase()] ?? 0);
  if (offset === null) return null;
  return new Date(Date.UTC(year, month, d, h, min, Math.min(s, 59)) - offset * 60_000).toISOString();
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Minutes east of UTC of a numeric zone (`+0200`; also `-600` and an unsigned `0000`, seen in the wild). */
function zoneMinutes(zone: string): number | null {
  const digits = zone.replace(/^[+-]/, '').padStart(4, '0');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  if (minutes > 59) return null;
  return (zone[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}
