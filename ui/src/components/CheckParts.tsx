import type { ReactNode } from 'react';
import { ApiError, checkErrorText } from '../api.js';
import type { CheckState } from '../use-checks.js';

/** Colour class of a result: pass green, fail red, anything else grey. */
export function resultTone(result: string): 'pass' | 'fail' | 'other' {
  return result === 'pass' ? 'pass' : result === 'fail' ? 'fail' : 'other';
}

/** A result word (`pass`, `fail`, `none` …) as a coloured chip; the word itself is always shown. */
export function ResultBadge({ result, testId }: { result: string; testId?: string }) {
  return (
    <span className={`result-badge tone-${resultTone(result)}`} data-testid={testId} data-result={result}>
      {result}
    </span>
  );
}

/** `yes` / `no` for a boolean field. */
export function yesNo(value: boolean): string {
  return value ? 'yes' : 'no';
}

/** A missing value (`null`) as a muted dash, for table cells. */
export function orDash(value: ReactNode | null): ReactNode {
  return value === null || value === '' ? <span className="placeholder">—</span> : value;
}

/**
 * What a check shows until its result is there: nothing while idle, a status line while it runs,
 * and its failure: a check that is off (409) as a notice with the server's message, anything else
 * as an error. Renders `children(value)` once ready.
 */
export function CheckResult<T>({ state, what, testId, children }: { state: CheckState<T>; what: string; testId: string; children(value: T): ReactNode }) {
  if (state.status === 'idle') return null;
  if (state.status === 'loading')
    return (
      <p className="placeholder" role="status" data-testid={`${testId}-loading`}>
        {what}…
      </p>
    );
  if (state.status === 'error') {
    const off = state.error instanceof ApiError && state.error.code === 'check_unavailable';
    return (
      <p className={off ? 'check-notice' : 'form-error'} role="alert" data-testid={`${testId}-error`} data-code={state.error instanceof ApiError ? state.error.code : undefined}>
        {checkErrorText(state.error)}
      </p>
    );
  }
  return <>{children(state.value)}</>;
}

/**
 * A tab whose check runs only on request: its button (`label`, then "`label` again"), a note on what it
 * does, and the result. `off` (the check is known to be off, e.g. from `/api/health`): that explanation
 * (how to turn it on) instead of a button that could only fail.
 */
export function OnRequestPanel<T>(props: { state: CheckState<T>; testId: string; label: string; note: string; what: string; off?: string | null; onRun(): void; children(value: T): ReactNode }) {
  const { state, testId, label, note, what, off, onRun, children } = props;
  if (off)
    return (
      <div className="check-panel" data-testid={`${testId}-panel`}>
        <p className="check-notice" data-testid={`${testId}-off`}>
          {off}
        </p>
      </div>
    );
  return (
    <div className="check-panel" data-testid={`${testId}-panel`}>
      <div className="check-actions">
        <button type="button" className="primary" data-testid={`${testId}-run`} disabled={state.status === 'loading'} onClick={onRun}>
          {state.status === 'idle' ? label : `${label} again`}
        </button>
        <span className="tab-note">{note}</span>
      </div>
      <CheckResult state={state} what={what} testId={testId}>
        {children}
      </CheckResult>
    </div>
  );
}
