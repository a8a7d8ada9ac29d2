import { useEffect, useState } from 'react';

const FEEDBACK_MS = 1500;

/** Copies `value` to the clipboard; says "Copied" (or why not) for a moment. `label` names what is copied, for screen readers. */
export function CopyButton({ value, label, testId }: { value: string; label: string; testId: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), FEEDBACK_MS);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    // Absent outside a secure context (plain http from another host): say so instead of failing silently.
    const clipboard = navigator.clipboard as Clipboard | undefined;
    if (!clipboard) return setState('failed');
    clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" className="copy-button" aria-label={label} data-testid={testId} data-state={state} onClick={copy}>
      <span aria-live="polite">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}</span>
    </button>
  );
}
