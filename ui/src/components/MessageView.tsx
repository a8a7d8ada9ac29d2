import { useEffect, useImperativeHandle, useState, type Ref } from 'react';
import type { MessageDetail, MessageSummary } from '../../../server/contract.js';
import { ApiError, errorText, getMessage, setMessageRead } from '../api.js';
import { useAsync } from '../use-async.js';
import { useChecks } from '../use-checks.js';
import { isDeliveryPending, type DeliveryFeed } from '../delivery.js';
import { useDelivery, type DeliveryView } from '../use-delivery.js';
import { useReadState } from '../use-read-state.js';
import type { RelayUpstream } from '../use-relay.js';
import { AuthSummary } from './AuthSummary.js';
import { EnvelopePanel } from './EnvelopePanel.js';
import type { PreviewWidth } from './HtmlPreview.js';
import { MessageHeader } from './MessageHeader.js';
import { firstTab, MessageTabs, type TabId } from './MessageTabs.js';
import { MessageToolbar } from './MessageToolbar.js';
import { ReleaseDialog } from './ReleaseDialog.js';
import { TagEditor } from './TagEditor.js';
import type { TagCount } from '../bulk-api.js';

export interface MessageViewHandle {
  toggleRead(): void;
}

interface MessageViewProps {
  id: string;
  /** The list's summary of this message, when it is loaded there (kept live by events). */
  summary: MessageSummary | undefined;
  previousId: string | null;
  nextId: string | null;
  onOpen(id: string): void;
  onDelete(id: string): void;
  /** Back to the list (the phone layout's Back button). */
  onBack(): void;
  onError(message: string): void;
  width: PreviewWidth;
  onWidth(width: PreviewWidth): void;
  /** The relay upstream (`null`: none configured, `undefined`: not known yet). */
  relayUpstream: RelayUpstream | null | undefined;
  /** `message.delivery` events from the app's one WebSocket. */
  deliveryFeed: DeliveryFeed;
  /** Tags in use (suggestions for adding one). */
  tagSuggestions: readonly TagCount[];
  /** A tag chip was clicked: search for that tag. */
  onFilterTag(name: string): void;
  ref?: Ref<MessageViewHandle>;
}

/** The selected message. Mount it with `key={id}`: it loads the detail once per id. */
export function MessageView({ id, ...rest }: MessageViewProps) {
  const detail = useAsync((signal) => getMessage(id, signal), [id]);
  if (detail.status === 'loading') return <p className="placeholder view-message">Loading…</p>;
  if (detail.status === 'error') {
    const gone = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <p className={gone ? 'placeholder view-message' : 'error view-message'} data-testid="message-missing">
        {gone ? 'This message no longer exists.' : `Could not load the message: ${errorText(detail.error)}`}
      </p>
    );
  }
  return <LoadedMessage detail={detail.value} {...rest} />;
}

/** Why the Release button is off, as its tooltip; `null` when it is on. */
function releaseOffReason(upstream: RelayUpstream | null | undefined, delivery: DeliveryView): string | null {
  if (upstream === undefined) return 'Asking the sink for its relay…';
  if (upstream === null) return 'No relay upstream: start mailsink with --relay-url smtp://host:port to release messages';
  if (delivery.delivery !== null && isDeliveryPending(delivery.delivery)) return `A delivery of this message is ${delivery.delivery.state}`;
  return null;
}

type LoadedMessageProps = Omit<MessageViewProps, 'id'> & { detail: MessageDetail };

/** Marks the message read when opened (the GET itself never does), and offers the actions. */
function LoadedMessage({ detail, summary, previousId, nextId, onOpen, onDelete, onBack, onError, width, onWidth, relayUpstream, deliveryFeed, tagSuggestions, onFilterTag, ref }: LoadedMessageProps) {
  const [read, setLocalRead] = useReadState(summary?.read, detail.read);

  const changeRead = (next: boolean) => {
    setMessageRead(detail.id, next).then(
      (updated) => setLocalRead(updated.read),
      (error: unknown) => onError(`Could not mark the message ${next ? 'read' : 'unread'}: ${errorText(error)}`),
    );
  };
  useImperativeHandle(ref, () => ({ toggleRead: () => changeRead(!read) }));

  useEffect(() => {
    if (!detail.read) changeRead(true);
    // Once per opened message: a later "Mark unread" must not be undone.
  }, [detail.id]);

  const [tab, setTab] = useState<TabId>(() => firstTab(detail));
  const checks = useChecks(detail.id);
  useEffect(() => checks.ensure('auth'), [detail.id]); // cheap and cached by the server: for the summary
  const delivery = useDelivery(detail.id, deliveryFeed, Boolean(relayUpstream));
  const [releaseOpen, setReleaseOpen] = useState(false);

  return (
    <article className="message-view" aria-label="Message" data-testid="message-view" data-id={detail.id}>
      <MessageToolbar
        id={detail.id}
        read={read}
        hasPrevious={previousId !== null}
        hasNext={nextId !== null}
        onPrevious={() => previousId !== null && onOpen(previousId)}
        onNext={() => nextId !== null && onOpen(nextId)}
        onToggleRead={() => changeRead(!read)}
        onDelete={() => onDelete(detail.id)}
        releaseOff={releaseOffReason(relayUpstream, delivery)}
        onRelease={() => setReleaseOpen(true)}
        onBack={onBack}
      />
      <div className="message-body">
        <div className="message-meta">
          <MessageHeader detail={detail}>
            <AuthSummary state={checks.states.auth} onOpen={() => setTab('auth')} />
            <TagEditor messageId={detail.id} tags={summary?.tags ?? detail.tags} suggestions={tagSuggestions} onFilter={onFilterTag} onError={onError} />
          </MessageHeader>
          <EnvelopePanel detail={detail} />
        </div>
        <MessageTabs detail={detail} width={width} onWidth={onWidth} active={tab} onTab={setTab} checks={checks} delivery={delivery} />
      </div>
      {relayUpstream && (
        <ReleaseDialog
          open={releaseOpen}
          messageId={detail.id}
          rcptTo={detail.envelope.rcptTo}
          upstream={relayUpstream}
          onClose={() => setReleaseOpen(false)}
          onReleased={(released) => {
            delivery.apply(released);
            setReleaseOpen(false);
            setTab('delivery');
          }}
        />
      )}
    </article>
  );
}
