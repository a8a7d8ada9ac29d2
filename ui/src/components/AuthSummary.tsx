import type { AuthCheck, AuthResult } from '../../../server/contract.js';
import { checkErrorText } from '../api.js';
import type { CheckState } from '../use-checks.js';
import { resultTone } from './CheckParts.js';

/** One result for all DKIM signatures: pass if any passes, else fail if any fails, else the first one's (`none` without any). */
export function dkimResult(auth: AuthCheck): AuthResult {
  if (auth.dkim.some((signature) => signature.result === 'pass')) return 'pass';
  if (auth.dkim.some((signature) => signature.result === 'fail')) return 'fail';
  return auth.dkim[0]?.result ?? 'none';
}

const METHODS = ['dkim', 'spf', 'dmarc'] as const;
const NAMES = { dkim: 'DKIM', spf: 'SPF', dmarc: 'DMARC' } as const;

function resultsOf(auth: AuthCheck | null): Record<(typeof METHODS)[number], string> {
  if (!auth) return { dkim: '…', spf: '…', dmarc: '…' };
  return { dkim: dkimResult(auth), spf: auth.spf.result, dmarc: auth.dmarc.result };
}

/**
 * DKIM, SPF and DMARC of the opened message as three chips (pass green, fail red, other grey, the
 * word always written); a button that opens the Authentication tab.
 */
export function AuthSummary({ state, onOpen }: { state: CheckState<AuthCheck>; onOpen(): void }) {
  if (state.status === 'error')
    return (
      <p className="auth-summary-error" data-testid="auth-summary-error">
        Authentication not checked: {checkErrorText(state.error)}
      </p>
    );
  const auth = state.status === 'ready' ? state.value : null;
  const results = resultsOf(auth);
  const label = `Authentication: ${METHODS.map((method) => `${NAMES[method]} ${auth ? results[method] : 'loading'}`).join(', ')}. Show details`;
  return (
    <button type="button" className="auth-summary" data-testid="auth-summary" aria-label={label} aria-busy={!auth} title="Show the Authentication tab" onClick={onOpen}>
      {METHODS.map((method) => (
        <span key={method} className={`auth-chip tone-${auth ? resultTone(results[method]) : 'other'}`} data-testid={`auth-chip-${method}`} data-result={auth ? results[method] : ''}>
          <span className="auth-chip-dot" aria-hidden="true" />
          <span className="auth-chip-name">{NAMES[method]}</span>
          <span className="auth-chip-result" data-testid={`auth-chip-${method}-result`}>
            {results[method]}
          </span>
        </span>
      ))}
    </button>
  );
}
