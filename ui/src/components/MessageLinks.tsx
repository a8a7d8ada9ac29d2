import type { LinkList, MessageLink } from '../../../server/contract.js';
import '../links.css';
import { errorText } from '../api.js';
import type { AsyncState } from '../use-async.js';
import { CopyButton } from './CopyButton.js';

/** Only web links get an "Open" link (new tab, no opener, no referrer); `javascript:`, `data:` and the like stay text. */
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

function LinkItem({ link, index }: { link: MessageLink; index: number }) {
  return (
    <li className="found-link" data-testid="found-link">
      <span className={link.text === '' ? 'found-link-text placeholder' : 'found-link-text'} data-testid="found-link-text">
        {link.text === '' ? '(no anchor text)' : link.text}
      </span>
      <code className="found-link-url" data-testid="found-link-url">
        {link.url}
      </code>
      <span className="found-link-actions">
        <span className="tab-note">in {link.sources.map((source) => (source === 'html' ? 'HTML' : 'text')).join(' and ')}</span>
        <CopyButton value={link.url} label={`Copy link ${index + 1}`} testId="found-link-copy" />
        {isWebUrl(link.url) && (
          <a className="button" href={link.url} target="_blank" rel="noopener noreferrer" aria-label={`Open link ${index + 1} in a new tab`} data-testid="found-link-open">
            Open
          </a>
        )}
      </span>
    </li>
  );
}

/** Every link the message names (from `GET /api/messages/:id/links`: nothing is fetched from outside). */
export function FoundLinks({ links }: { links: AsyncState<LinkList> }) {
  if (links.status === 'loading') return <p className="placeholder">Loading links…</p>;
  if (links.status === 'error') return <p className="form-error" role="alert">Could not list the links: {errorText(links.error)}</p>;
  if (links.value.count === 0) return <p className="placeholder" data-testid="found-links-empty">No links in this message.</p>;
  return (
    <ol className="found-links" aria-label="Links in this message" data-testid="found-links">
      {links.value.links.map((link, index) => (
        <LinkItem key={link.url} link={link} index={index} />
      ))}
    </ol>
  );
}

/** One-time codes found in the message text, each with a copy button. */
export function FoundCodes({ codes }: { codes: readonly string[] }) {
  if (codes.length === 0) return <p className="placeholder" data-testid="found-codes-empty">No one-time code (a standalone 6-digit number) in the text.</p>;
  return (
    <ul className="found-codes" aria-label="One-time codes" data-testid="found-codes">
      {codes.map((code) => (
        <li key={code} className="found-code">
          <code data-testid="found-code">{code}</code>
          <CopyButton value={code} label={`Copy code ${code}`} testId="found-code-copy" />
        </li>
      ))}
    </ul>
  );
}
