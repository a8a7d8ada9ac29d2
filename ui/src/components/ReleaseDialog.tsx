import { useId, useState, type FormEvent } from 'react';
import type { Delivery } from '../../../server/contract.js';
import { ApiError, errorText, release } from '../api.js';
import { parseRecipients } from '../delivery.js';
import type { RelayUpstream } from '../use-relay.js';
import { Modal } from './Modal.js';

interface ReleaseDialogProps {
  open: boolean;
  messageId: string;
  /** The envelope's `RCPT TO`s: the recipients the dialog starts with. */
  rcptTo: readonly string[];
  upstream: RelayUpstream;
  onReleased(delivery: Delivery): void;
  onClose(): void;
}

/** How the sink talks to the upstream, in words: TLS, certificate checking, AUTH. */
function upstreamDetails(upstream: RelayUpstream): string {
  const tls = upstream.secure ? 'implicit TLS' : upstream.starttls === 'off' ? 'no TLS' : `STARTTLS ${upstream.starttls}`;
  const verify = upstream.secure || upstream.starttls !== 'off' ? (upstream.tlsVerify ? ', certificate checked' : ', certificate not checked') : '';
  return `${tls}${verify}, ${upstream.auth ? 'with AUTH' : 'no AUTH'}`;
}

/** Release: sends the message's exact bytes on to the relay upstream, to the envelope recipients or others typed here. */
export function ReleaseDialog(props: ReleaseDialogProps) {
  return (
    <Modal open={props.open} title="Release message" onClose={props.onClose} testId="release-dialog" className="release-dialog">
      <ReleaseForm {...props} />
    </Modal>
  );
}

function ReleaseForm({ messageId, rcptTo, upstream, onReleased, onClose }: ReleaseDialogProps) {
  const [text, setText] = useState(() => rcptTo.join(', '));
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<{ message: string; field: string | undefined } | null>(null);
  const ids = { hint: useId(), error: useId() };
  const recipients = parseRecipients(text);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (recipients.length === 0 || sending) return;
    setSending(true);
    setError(null);
    release(messageId, recipients).then(onReleased, (failure: unknown) => {
      setSending(false);
      setError({ message: errorText(failure), field: failure instanceof ApiError ? failure.field : undefined });
    });
  };
  const invalid = error?.field === 'to' || (error !== null && error.field?.startsWith('to.') === true);

  return (
    <form className="release-form" onSubmit={submit} noValidate>
      <p className="modal-text">The raw bytes go out unchanged. A failed attempt with a 4xx reply or no connection is retried.</p>
      <dl className="fields release-upstream" data-testid="release-upstream">
        <dt>Upstream</dt>
        <dd data-testid="release-upstream-url">{upstream.url}</dd>
        <dt>Connection</dt>
        <dd>{upstreamDetails(upstream)}</dd>
      </dl>
      <label className="form-field">
        <span className="form-label">Recipients (RCPT TO)</span>
        <textarea
          className="release-recipients"
          rows={3}
          value={text}
          onChange={(event) => setText(event.target.value)}
          data-autofocus=""
          data-testid="release-to"
          spellCheck={false}
          aria-describedby={invalid ? `${ids.hint} ${ids.error}` : ids.hint}
          aria-invalid={invalid || undefined}
        />
        <span className="form-hint" id={ids.hint}>
          Separated by commas or line breaks. {recipients.length} {recipients.length === 1 ? 'recipient' : 'recipients'}.
        </span>
      </label>
      {error && (
        <p className="form-error" role="alert" id={ids.error} data-testid="release-error">
          {error.message}
        </p>
      )}
      <div className="modal-actions">
        <button type="button" onClick={onClose} data-testid="release-cancel">
          Cancel
        </button>
        <button type="submit" className="primary" disabled={recipients.length === 0 || sending} data-testid="release-send">
          {sending ? 'Sending…' : 'Send'}
        </button>
      </div>
    </form>
  );
}
