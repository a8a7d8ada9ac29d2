/**
 * What the checks run with, taken from the configuration once at start.
 */
import type { Config } from '../config.js';
import type { DnsRecord } from './dns-records.js';

/** Settings of the per-message checks (see `CheckService`). */
export interface CheckSettings {
  /** Records of `--dns-records FILE` (DKIM keys, SPF and DMARC policies …), or `null` without the option. */
  readonly dnsRecords: readonly DnsRecord[] | null;
  /** `--dns-live`: names the records file does not hold are looked up with the system resolver; default off (offline, deterministic). */
  readonly dnsLive: boolean;
  /** `--spf-client-ip`: the client address SPF is evaluated for; `null`: the address the message came from. */
  readonly spfClientIp: string | null;
  /** `--spamassassin HOST:PORT` of a `spamd`, or `null` (the spam check answers 409 `spam_check_off`). */
  readonly spamassassin: { readonly host: string; readonly port: number } | null;
  /** `--enable-link-check`: the link check may make the sink fetch URLs a message names; default off. */
  readonly linkCheck: boolean;
}

/** The check settings of a configuration (the records file was read and checked while resolving it). */
export function checkSettings(config: Config): CheckSettings {
  const spamd = config.spamassassin ? /^\[?(.*?)\]?:(\d+)$/.exec(config.spamassassin) : null;
  return Object.freeze({
    dnsRecords: config.files.dnsRecords,
    dnsLive: config.dnsLive,
    spfClientIp: config.spfClientIp,
    spamassassin: spamd ? { host: spamd[1] as string, port: Number(spamd[2]) } : null,
    linkCheck: config.enableLinkCheck,
  });
}
