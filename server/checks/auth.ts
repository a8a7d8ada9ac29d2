/** DKIM, ARC, DMARC and SPF of a stored message. STUB: implemented by the auth check's author. */
import type { CheckInput } from './service.js';
import type { CheckSettings } from './settings.js';
import type { AuthCheck } from './types.js';

/** Per-request options of the auth check. */
export interface AuthOptions {
  /** Client address SPF is evaluated for (overrides `--spf-client-ip`). */
  clientIp?: string;
}

/** STUB: an all-`none` result of the agreed shape (no check is run). */
export async function checkAuth(input: CheckInput, settings: CheckSettings, options: AuthOptions): Promise<AuthCheck> {
  const clientIp = options.clientIp ?? settings.spfClientIp ?? input.message.envelope.remoteAddress;
  const clientIpSource = options.clientIp ? 'request' : settings.spfClientIp ? 'option' : 'envelope';
  return {
    clientIp,
    clientIpSource,
    dnsSource: 'none',
    fromDomain: null,
    dkim: [],
    arc: { result: 'none', instances: 0, info: 'no ARC sets' },
    dmarc: { result: 'none', domain: null, policy: null, alignment: { dkim: false, spf: false }, info: 'not checked (stub)' },
    spf: { result: 'none', domain: null, clientIp, info: 'not checked (stub)' },
    authenticationResults: 'Authentication-Results: mailsink; dkim=none; spf=none; dmarc=none',
    summary: 'none',
  };
}
