import type { AttachmentMeta } from '../../../server/contract.js';
import { formatSize } from '../format.js';
import { Icon } from './Icon.js';

/** Only same-origin absolute paths are used as links; anything else is not a server URL. */
function safeHref(url: string): string | undefined {
  return url.startsWith('/') && !url.startsWith('//') ? url : undefined;
}

/** Image types browsers render in `<img>` (an SVG in `<img>` runs no script). */
function isPreviewable(contentType: string): boolean {
  return /^image\/(png|jpe?g|gif|webp|avif|bmp|svg\+xml|x-icon|vnd\.microsoft\.icon)$/.test(contentType);
}

/** Every non-body part of a message: name, type, size, a download link, and a preview for images. */
export function AttachmentList({ attachments }: { attachments: readonly AttachmentMeta[] }) {
  if (attachments.length === 0) return <p className="placeholder">This message has no attachments.</p>;
  return (
    <ul className="attachment-list" data-testid="attachment-list">
      {attachments.map((attachment) => {
        const href = safeHref(attachment.url);
        const name = attachment.filename ?? attachment.safeFilename;
        return (
          <li key={attachment.partId} className="attachment" data-testid="attachment-item">
            <div className="attachment-preview">
              {href && isPreviewable(attachment.contentType) ? (
                <img src={href} alt={`Preview of ${name}`} loading="lazy" data-testid="attachment-preview" />
              ) : (
                <Icon name="paperclip" size={28} />
              )}
            </div>
            <div className="attachment-info">
              <span className="attachment-name" data-testid="attachment-name" title={name}>
                {name}
              </span>
              <span className="attachment-meta">
                <span data-testid="attachment-type">{attachment.contentType}</span>
                <span data-testid="attachment-size">{formatSize(attachment.sizeBytes)}</span>
                {attachment.inline && <span className="badge">inline</span>}
                {attachment.contentId !== null && <span className="attachment-cid">cid:{attachment.contentId}</span>}
              </span>
            </div>
            <a
              className="button"
              href={href}
              download={attachment.safeFilename}
              data-testid="attachment-link"
              data-part-id={attachment.partId}
              aria-label={`Download ${name}`}
            >
              <Icon name="download" />
              Download
            </a>
          </li>
        );
      })}
    </ul>
  );
}
