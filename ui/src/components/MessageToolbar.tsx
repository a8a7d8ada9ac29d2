import { rawDownloadPath } from '../api.js';
import { Icon } from './Icon.js';

interface MessageToolbarProps {
  id: string;
  read: boolean;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  onToggleRead(): void;
  onDelete(): void;
  /** Why Release is off (the sink has no relay upstream, or it is still being asked); `null` when it is on. */
  releaseOff: string | null;
  onRelease(): void;
  /** Back to the list: shown in the phone layout only, where the message covers the list. */
  onBack(): void;
}

/** Actions on the open message: previous/next, mark read/unread, release, download .eml, delete. */
export function MessageToolbar(props: MessageToolbarProps) {
  const { id, read } = props;
  return (
    <div className="toolbar" role="toolbar" aria-label="Message actions">
      <div className="toolbar-group">
        <button type="button" className="icon-button phone-only toolbar-back" onClick={props.onBack} data-testid="back-button" title="Back to the list">
          <Icon name="chevronLeft" />
          <span className="toolbar-label">Back</span>
        </button>
        <button
          type="button"
          className="icon-button"
          disabled={!props.hasPrevious}
          onClick={props.onPrevious}
          aria-label="Previous (newer) message"
          title="Previous (newer) message (k)"
          data-testid="previous-button"
        >
          <Icon name="chevronUp" />
        </button>
        <button
          type="button"
          className="icon-button"
          disabled={!props.hasNext}
          onClick={props.onNext}
          aria-label="Next (older) message"
          title="Next (older) message (j)"
          data-testid="next-button"
        >
          <Icon name="chevronDown" />
        </button>
      </div>
      <div className="toolbar-group">
        <button type="button" onClick={props.onToggleRead} data-testid="toggle-read-button" title="Toggle read (u)">
          <Icon name={read ? 'mail' : 'mailOpen'} />
          <span className="toolbar-label">{read ? 'Mark unread' : 'Mark read'}</span>
        </button>
        <button
          type="button"
          onClick={props.onRelease}
          disabled={props.releaseOff !== null}
          title={props.releaseOff ?? 'Send this message on to the relay upstream'}
          aria-haspopup="dialog"
          data-testid="release-button"
        >
          <Icon name="send" />
          <span className="toolbar-label">Release</span>
        </button>
        <a className="button" href={rawDownloadPath(id)} download={`${id}.eml`} data-testid="download-eml">
          <Icon name="download" />
          <span className="toolbar-label">Download .eml</span>
        </a>
        <button type="button" className="danger" onClick={props.onDelete} data-testid="delete-button" title="Delete (Delete key)">
          <Icon name="trash" />
          <span className="toolbar-label">Delete</span>
        </button>
      </div>
    </div>
  );
}
