/** Result shapes of the authentication check (`GET /api/messages/:id/checks/auth`): DKIM (RFC 6376), ARC (RFC 8617), DMARC (RFC 7489), SPF (RFC 7208). */

/** A method result as in `Authentication-Results` (RFC 8601 §2.7). */
export type AuthResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

/** One `DKIM-Signature` of the message and its verification. */
export interface DkimSignatureCheck {
  result: AuthResult;
  /** Signing domain (`d=`). */
  domain: string | null;
  /** Selector (`s=`). */
  selector: string | null;
  /** Algorithm (`a=`), e.g. `rsa-sha256`. */
  algorithm: string | null;
  /** Size of the public key in bits. */
  keyBits: number | null;
  /** Why it failed, when it did. */
  failure: 'body-hash' | 'signature' | 'key-missing' | 'key-invalid' | 'other' | null;
  /** `d=` aligned with the From domain (DMARC relaxed). */
  aligned: boolean;
  /** One human line. */
  info: string;
}

/** DKIM, ARC, DMARC and SPF of one message. */
export interface AuthCheck {
  /** Client address SPF was evaluated for. */
  clientIp: string;
  /** Where `clientIp` came from: the request's `clientIp`, `--spf-client-ip`, or the SMTP envelope. */
  clientIpSource: 'request' | 'option' | 'envelope';
  /** Where DNS answers came from (`--dns-records`, `--dns-live`). */
  dnsSource: 'records' | 'records+live' | 'live' | 'none';
  /** Domain of the From header. */
  fromDomain: string | null;
  dkim: DkimSignatureCheck[];
  arc: { result: AuthResult; instances: number; info: string };
  dmarc: { result: AuthResult; domain: string | null; policy: string | null; alignment: { dkim: boolean; spf: boolean }; info: string };
  spf: { result: AuthResult; domain: string | null; clientIp: string; info: string };
  /** The whole header field, `Authentication-Results: …` (RFC 8601). */
  authenticationResults: string;
  /** pass: DMARC pass; fail: DMARC fail or any DKIM fail; none otherwise. */
  summary: 'pass' | 'fail' | 'none';
}
