/** DKIM, ARC, DMARC and SPF of a stored message. STUB: implemented by the auth check's author. */
import type { CheckInput } from './service.js';
import type { CheckSettings } from './settings.js';
import type { AuthCheck } from './types.js';

/** Per-request options of the auth check. */
export interface AuthOptions {
  /** Client address SPF is evaluated for (overrides `--spf-client-ip`). */
  clientIp?: string;
}

export async function checkAuth(_input: CheckInput, _settings: CheckSettings, _options: AuthOptions): Promise<AuthCheck> {
  return { dkim: [], arc: { result: 'none' }, dmarc: { result: 'none' }, spf: { result: 'none' }, authenticationResults: '' };
}
