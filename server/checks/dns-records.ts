/**
 * The `--dns-records FILE` format: one record a line, `NAME TYPE VALUE`, TYPE one of TXT, MX, A,
 * AAAA, CNAME; a TXT value is one or more double-quoted strings; `#` starts a comment.
 * DRAFT: implemented by the auth check's author.
 */

/** One record of a `--dns-records` file. */
export interface DnsRecord {
  /** Owner name, lowercase, without a trailing dot. */
  name: string;
  type: 'TXT' | 'MX' | 'A' | 'AAAA' | 'CNAME';
  /** TXT: the strings of the record (joined when read as one); MX: `{priority, exchange}`; others: the address or target. */
  value: string | string[] | { priority: number; exchange: string };
  /** 1-based line of the file. */
  line: number;
}
