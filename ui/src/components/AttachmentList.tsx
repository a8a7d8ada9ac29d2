import type { AttachmentMeta } from '../../../server/contract.js';
import { formatSize } from '../format.js';

/** Only same-origin absolute paths are used as links; anything else is not a server URL. */
function safeHref(url: string): string | undefined {
  return url.startsWith('/') && !url.startsWith('//') ? url : undefined;
}

/** Every non-body part of a message, each with a download link. */
export function AttachmentList({ attachments }: { attachments: readonly AttachmentMeta[] }) {
  if (attachments.length === 0) return <p className="placeholder">This message has no attachments.</p>;
  return (
    <ul className="attachment-list">
      {attachments.map((attachment) => (
        <li key={attachment.partId}>
          <a
            href={safeHref(attachment.url)}
            download={attachment.safeFilename}
            data-testid="attachment-link"
            data-part-id={attachment.partId}
          >
            {attachment.filename ?? attachment.safeFilename}
          </a>
          <span className="attachment-type">{attachment.contentType}</span>
          <span className="attachment-size">{formatSize(attachment.sizeBytes)}</span>
          {attachment.inline && <span className="badge">inline</span>}
        </li>
      ))}
    </ul>
  );
}
