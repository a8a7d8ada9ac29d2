import type { Delivery, DeliveryAttempt, DeliveryState } from '../../../server/contract.js';
import { formatDateTime } from '../format.js';

const STATE_TONES: Record<DeliveryState, string> = { queued: 'other', retrying: 'warn', delivered: 'pass', failed: 'fail' };
const OUTCOME_TONES: Record<DeliveryAttempt['outcome'], string> = { retry: 'warn', delivered: 'pass', failed: 'fail' };
const ARROWS = { client: 'C:', server: 'S:', note: '··' } as const;
const END_REASONS: Record<NonNullable<Delivery['endReason']>, string> = {
  reply: 'the upstream refused it (5xx)',
  'max-attempts': 'no attempt left (--relay-max-attempts)',
  'max-age': 'too old to try again (--relay-max-age)',
};

/** A state or outcome word as a coloured chip; the word itself is always shown. */
function StateBadge({ word, tone, testId }: { word: string; tone: string; testId: string }) {
  return (
    <span className={`result-badge tone-${tone}`} data-testid={testId} data-state={word}>
      {word}
    </span>
  );
}

function AttemptItem({ attempt }: { attempt: DeliveryAttempt }) {
  const answer = attempt.reply ?? attempt.error ?? '(no reply)';
  return (
    <li className="delivery-attempt" data-testid="delivery-attempt" data-outcome={attempt.outcome}>
      <div className="delivery-attempt-head">
        <span className="delivery-attempt-number">Attempt {attempt.number}</span>
        <StateBadge word={attempt.outcome} tone={OUTCOME_TONES[attempt.outcome]} testId="delivery-attempt-outcome" />
        <time dateTime={attempt.time} className="delivery-muted">
          {formatDateTime(attempt.time)}
        </time>
        <span className="delivery-muted">{attempt.durationMs} ms</span>
      </div>
      <code className={attempt.reply === null ? 'delivery-answer error' : 'delivery-answer'} data-testid="delivery-attempt-reply">
        {answer}
      </code>
      <details className="delivery-transcript">
        <summary data-testid="delivery-attempt-transcript-toggle">SMTP transcript ({attempt.transcript.length} {attempt.transcript.length === 1 ? 'line' : 'lines'})</summary>
        <pre className="raw-source" data-testid="delivery-attempt-transcript">
          {attempt.transcript.map((line) => `${ARROWS[line.direction]} ${line.text}`).join('\n')}
        </pre>
      </details>
    </li>
  );
}

/** The Delivery tab: where the message's relay stands, when it tries next, and each attempt with its transcript. */
export function DeliveryPanel({ delivery, error }: { delivery: Delivery; error: string | null }) {
  return (
    <div className="check-panel delivery-panel" data-testid="delivery-panel">
      <p className="check-score delivery-summary" aria-live="polite">
        <StateBadge word={delivery.state} tone={STATE_TONES[delivery.state]} testId="delivery-state" />
        <span data-testid="delivery-reason" data-reason={delivery.reason}>
          {delivery.reason === 'release' ? 'Released' : 'Auto-relayed'} to <code data-testid="delivery-upstream">{delivery.upstream}</code>
        </span>
      </p>
      {error !== null && (
        <p className="form-error" role="alert">
          Could not refresh the delivery: {error}
        </p>
      )}
      <dl className="fields check-fields delivery-fields">
        <dt>MAIL FROM</dt>
        <dd>&lt;{delivery.mailFrom}&gt;</dd>
        <dt>RCPT TO</dt>
        <dd data-testid="delivery-rcpt">{delivery.rcptTo.map((rcpt) => `<${rcpt}>`).join(', ')}</dd>
        <dt>Queued</dt>
        <dd>{formatDateTime(delivery.queuedAt)}</dd>
        {delivery.state === 'failed' && delivery.endReason !== null && (
          <>
            <dt>Ended</dt>
            <dd data-testid="delivery-end-reason">{END_REASONS[delivery.endReason]}</dd>
          </>
        )}
        {delivery.nextAttemptAt !== null && (
          <>
            <dt>Next attempt</dt>
            <dd data-testid="delivery-next">
              <time dateTime={delivery.nextAttemptAt}>{formatDateTime(delivery.nextAttemptAt)}</time>
            </dd>
          </>
        )}
      </dl>
      <section className="check-section" aria-labelledby="delivery-attempts-title">
        <h3 id="delivery-attempts-title" className="panel-subtitle">
          Attempts ({delivery.attempts.length})
        </h3>
        {delivery.attempts.length === 0 ? (
          <p className="placeholder" data-testid="delivery-no-attempts">
            No attempt yet.
          </p>
        ) : (
          <ol className="plain-list delivery-attempts">
            {delivery.attempts.map((attempt) => (
              <AttemptItem key={attempt.number} attempt={attempt} />
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
