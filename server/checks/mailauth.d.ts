/**
 * The part of mailauth 4.9 (no types of its own) the authentication check uses, as read from its
 * source (`lib/mailauth.js`, `lib/dkim/dkim-verifier.js`, `lib/spf/index.js`, `lib/dmarc/verify.js`,
 * `lib/arc/index.js`).
 */
declare module 'mailauth' {
  /** A result with the comment and properties mailauth writes into `Authentication-Results`. */
  export interface MailauthStatus {
    result: string;
    comment?: string;
    /** DKIM: the From domain's organizational domain when `d=` is aligned with it, else `false`. */
    aligned?: string | false;
    policy?: Record<string, string>;
  }

  /** One DKIM signature (or the one "message not signed" row, without `signingDomain`). */
  export interface MailauthDkimResult {
    signingDomain?: string;
    selector?: string;
    algo?: string;
    /** PEM of the public key, when it was fetched. */
    publicKey?: string;
    /** RSA modulus length in bits, when the key was fetched. */
    modulusLength?: number;
    status: MailauthStatus;
    info: string;
  }

  export interface MailauthResult {
    dkim: { headerFrom?: string[]; results: MailauthDkimResult[] };
    spf: { domain: string; 'client-ip': string; status: MailauthStatus; info: string } | false;
    dmarc:
      | {
          status: MailauthStatus;
          domain: string;
          policy?: string;
          alignment?: { spf: { result?: string | false }; dkim: { result?: string | false } };
          info: string;
          error?: string;
        }
      | false;
    arc: { status: MailauthStatus; i?: number | false; info?: string } | false;
    /** `Received-SPF` and `Authentication-Results` fields, CRLF-separated and folded. */
    headers: string;
  }

  export interface MailauthOptions {
    ip?: string;
    helo?: string;
    sender?: string;
    mta?: string;
    trustReceived?: boolean;
    resolver?: (name: string, rrtype: string) => Promise<unknown>;
    disableArc?: boolean;
    disableDmarc?: boolean;
    disableBimi?: boolean;
    minBitLength?: number;
  }

  /** Verifies DKIM, SPF, ARC and DMARC of an RFC 5322 message. */
  export function authenticate(input: Buffer | string, options: MailauthOptions): Promise<MailauthResult>;
}
