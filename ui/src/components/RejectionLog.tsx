import { useState } from 'react';
import type { FaultRule, Rejection } from '../../../server/contract.js';
import { errorText } from '../api.js';
import { FAULT_STAGE_OPTIONS } from '../fault-form.js';
import { formatDateTime } from '../format.js';
import type { Rejections } from '../use-rejections.js';
import { TranscriptView } from './TranscriptView.js';

/**
 * Which rule refused: "built-in limit", or the rule's description as recorded when it fired (never
 * its current one: it may have been edited, moved or disabled since) and where it is now.
 */
function ruleText({ ruleId, ruleDescription }: Rejection, rules: readonly FaultRule[]): string {
  if (ruleId === null) return 'built-in limit';
  const index = rules.findIndex((rule) => rule.id === ruleId);
  return `${ruleDescription ?? `rule ${ruleId}`} (${index < 0 ? 'rule removed since' : `now rule ${index + 1}`})`;
}

function Field({ name, value, testId }: { name: string; value: string; testId: string }) {
  return (
    <>
      <dt>{name}</dt>
      <dd data-testid={testId}>{value}</dd>
    </>
  );
}

function RejectionItem({ rejection, rules }: { rejection: Rejection; rules: readonly FaultRule[] }) {
  const [open, setOpen] = useState(false);
  const { envelope } = rejection;
  const stage = FAULT_STAGE_OPTIONS.find((option) => option.stage === rejection.stage)?.label ?? rejection.stage;
  return (
    <li className="rejection" data-testid="rejection" data-id={rejection.id}>
      <div className="rejection-head">
        <code className="rejection-reply" data-testid="rejection-reply">
          {rejection.reply ?? 'connection dropped without a reply'}
        </code>
        {rejection.disconnected && rejection.reply !== null && <span className="badge">connection closed</span>}
      </div>
      <dl className="rejection-fields">
        <Field name="When" value={formatDateTime(rejection.time)} testId="rejection-time" />
        <Field name="Stage" value={rejection.argument === null ? stage : `${stage}: ${rejection.argument}`} testId="rejection-stage" />
        <Field name="MAIL FROM" value={envelope.mailFrom === null ? '—' : `<${envelope.mailFrom}>`} testId="rejection-mail-from" />
        <Field name="RCPT TO" value={envelope.rcptTo.length === 0 ? '—' : envelope.rcptTo.map((to) => `<${to}>`).join(', ')} testId="rejection-rcpt-to" />
        <Field name="Client" value={`${envelope.remoteAddress}${envelope.heloName ? ` (HELO ${envelope.heloName})` : ''}${envelope.authUser ? `, AUTH ${envelope.authUser}` : ''}`} testId="rejection-client" />
        <Field name="Refused by" value={ruleText(rejection, rules)} testId="rejection-rule" />
      </dl>
      {rejection.transcriptId !== null && (
        <>
          <button type="button" className="link-button" aria-expanded={open} data-testid="rejection-transcript-toggle" onClick={() => setOpen((was) => !was)}>
            {open ? 'Hide SMTP transcript' : 'Show SMTP transcript'}
          </button>
          {open && (
            <div className="rejection-transcript" data-testid="rejection-transcript">
              <TranscriptView id={rejection.transcriptId} session />
            </div>
          )}
        </>
      )}
    </li>
  );
}

/** Refused SMTP attempts, newest first, live; Clear forgets them on the server. */
export function RejectionLog({ rejections, rules, onError }: { rejections: Rejections; rules: readonly FaultRule[]; onError(message: string): void }) {
  const clear = () => {
    rejections.clear().catch((error: unknown) => onError(`Could not clear the refused attempts: ${errorText(error)}`));
  };
  const { list, total } = rejections;
  return (
    <div className="rejection-log" data-testid="rejection-log">
      <div className="rejection-actions">
        <p className="panel-intro" data-testid="rejection-count" aria-live="polite">
          {total === 0 ? 'No refused attempts.' : `${total} refused ${total === 1 ? 'attempt' : 'attempts'}${total > list.length ? ` (newest ${list.length} shown)` : ''}, newest first.`}
        </p>
        <button type="button" disabled={total === 0 && list.length === 0} data-testid="rejections-clear" onClick={clear}>
          Clear
        </button>
      </div>
      {rejections.error && (
        <p className="form-error" role="alert">
          Could not load the refused attempts: {rejections.error}
        </p>
      )}
      {list.length > 0 && (
        <ol className="rejections" aria-label="Refused attempts, newest first">
          {list.map((rejection) => (
            <RejectionItem key={rejection.id} rejection={rejection} rules={rules} />
          ))}
        </ol>
      )}
    </div>
  );
}
