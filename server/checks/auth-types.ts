/**
 * Result of the authentication check (`GET /api/messages/:id/checks/auth`): what a receiving mail
 * system would conclude about DKIM (RFC 6376), ARC (RFC 8617), DMARC (RFC 7489) and SPF (RFC 7208)
 * for a stored message, with the DNS of `--dns-records` (and `--dns-live`).
 */

/** A result keyword of RFC 8601 §2.7 (`policy`: a local policy refused it, e.g. a DKIM key under 1024 bits). */
export type AuthResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

/** Why a DKIM signature did not pass. */
export type DkimFailure = 'body-hash' | 'signature' | 'key-missing' | 'key-invalid' | 'other';

/** One `DKIM-Signature` of the message, in header order. */
export interface DkimSignatureCheck {
  /**
   * `pass`, or `fail` when the body hash (RFC 6376 §3.7) or the signature did not verify (a
   * PERMFAIL of RFC 6376 §6.1.3; mailauth's header, like Gmail's, writes a body hash mismatch as
   * `dkim=neutral`), `neutral` for a missing or unusable key, `policy` for a key under 1024 bits,
   * `temperror` for a DNS failure.
   */
  result: AuthResult;
  /** `d=`, the signing domain. */
  domain: string | null;
  /** `s=`, the selector (the key is at `{selector}._domainkey.{domain}`). */
  selector: string | null;
  /** `a=`, e.g. `rsa-sha256`, `ed25519-sha256`. */
  algorithm: string | null;
  /** Size of the public key in bits (RSA modulus; 256 for Ed25519), also of a key refused as too short; `null` when no key could be read. */
  keyBits: number | null;
  /** Why it did not pass; `null` when it passed. */
  failure: DkimFailure | null;
  /** Whether `d=` is aligned with the From domain (DMARC relaxed alignment: same organizational domain). */
  aligned: boolean;
  /** One human line. */
  info: string;
}

/** The authentication check of one message. */
export interface AuthCheck {
  /** Client address SPF was evaluated for. */
  clientIp: string;
  /** Where {@link clientIp} came from: `?clientIp=`, `--spf-client-ip`, or the SMTP client's address. */
  clientIpSource: 'request' | 'option' | 'envelope';
  /** Which DNS was read: the records file, the records file then the system resolver, only the system resolver, or nothing (every name missing). */
  dnsSource: 'records' | 'records+live' | 'live' | 'none';
  /** Domain of the single `From` address (RFC 5322 §3.6.2), lowercase; `null` without exactly one. */
  fromDomain: string | null;
  /** One entry per `DKIM-Signature`; empty for an unsigned message. */
  dkim: DkimSignatureCheck[];
  /** The ARC chain (RFC 8617 §5.2): `none` without `ARC-*` headers; `instances` is its highest `i=`. */
  arc: { result: AuthResult; instances: number; info: string };
  /**
   * DMARC of the From domain: `domain` is its organizational domain, `policy` the `p=` (or `sp=`)
   * that applies, `alignment` whether a passing DKIM signature / SPF was aligned with it.
   */
  dmarc: { result: AuthResult; domain: string | null; policy: string | null; alignment: { dkim: boolean; spf: boolean }; info: string };
  /** SPF of the envelope's MAIL FROM domain (or the HELO name for `<>`) for {@link clientIp}. */
  spf: { result: AuthResult; domain: string | null; clientIp: string; info: string };
  /** The whole `Authentication-Results` header field (RFC 8601) a receiver would add, authserv-id `mailsink`, folded with CRLF. */
  authenticationResults: string;
  /** `fail`: DMARC failed or a DKIM signature failed (even when DMARC passed through SPF); `pass`: DMARC passed and no signature failed; `none` otherwise. */
  summary: 'pass' | 'fail' | 'none';
}
