import type { LinkCheck, LinkList, LinkStatus } from '../../../server/contract.js';
import { getHealth } from '../api.js';
import { useAsync, type AsyncState } from '../use-async.js';
import type { Checks } from '../use-checks.js';
import { OnRequestPanel } from './CheckParts.js';
import { FoundCodes, FoundLinks } from './MessageLinks.js';

function statusText(link: LinkStatus): string {
  if (link.status === null) return 'no response';
  return `${link.status} ${link.statusText}`.trim();
}

function LinkRow({ link }: { link: LinkStatus }) {
  return (
    <tr data-testid="link-row" data-ok={link.ok}>
      <td><span className={`badge badge-${link.ok ? 'pass' : 'fail'}`}>{link.ok ? 'OK' : 'FAIL'}</span></td>
      <td className="check-url">
        <code>{link.url}</code>
        {link.redirects.length > 0 && (
          <ol className="redirect-chain" aria-label="Redirects" data-testid="link-redirects">
            {link.redirects.map((hop, index) => (
              <li key={index}>
                <code>{hop.url}</code> {hop.status}
              </li>
            ))}
          </ol>
        )}
        {link.finalUrl !== link.url && (
          <div className="check-final" data-testid="link-final">
            final: <code>{link.finalUrl}</code>
          </div>
        )}
      </td>
      <td>{link.kind}</td>
      <td className="nowrap" data-testid="link-status">{statusText(link)}</td>
      <td data-testid="link-error">{link.error ?? ''}</td>
      <td className="numeric">{link.durationMs} ms</td>
    </tr>
  );
}

function LinkResults({ check }: { check: LinkCheck }) {
  return (
    <>
      <p className="check-score" data-testid="links-summary">
        {check.checked} checked · {check.errors} {check.errors === 1 ? 'error' : 'errors'}
      </p>
      {check.links.length > 0 && (
        <div className="table-scroll">
          <table className="check-table" data-testid="links-table">
            <thead>
              <tr><th scope="col">State</th><th scope="col">URL</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Error</th><th scope="col">Time</th></tr>
            </thead>
            <tbody>{check.links.map((link, index) => <LinkRow key={index} link={link} />)}</tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** What the Links tab says instead of its button when `/api/health` reports the link check off (the API's 409 says the same, in lower case). */
export const LINK_CHECK_OFF =
  'The link check is off: start mailsink with --enable-link-check (MAILSINK_ENABLE_LINK_CHECK=true) to let it fetch the URLs a message names';

/**
 * The on-request link check: the sink then fetches every URL the message names; each URL's status and
 * redirects. When `/api/health` says it is off, how to turn it on instead (until known, or from a
 * server without the field, the button, whose 409 says the same).
 */
function LinkCheckPanel({ checks }: { checks: Checks }) {
  const health = useAsync((signal) => getHealth(signal), []);
  const off = health.status === 'ready' && health.value.checks?.links === false ? LINK_CHECK_OFF : null;
  return (
    <OnRequestPanel state={checks.states.links} testId="links" label="Check links" note="The sink fetches every link and image URL of this message now." what="Checking links" off={off} onRun={() => checks.run('links')}>
      {(check) => <LinkResults check={check} />}
    </OnRequestPanel>
  );
}

/**
 * The Links tab: at once and without any request to the outside, every link of the message (anchor
 * text, URL, copy) and its one-time codes (copy); beneath, the status check that fetches them, on request.
 */
export function LinksPanel({ checks, links, codes }: { checks: Checks; links: AsyncState<LinkList>; codes: readonly string[] }) {
  const count = links.status === 'ready' ? ` (${links.value.count})` : '';
  return (
    <div className="check-panel links-tab">
      <section className="check-section" aria-labelledby="found-links-title">
        <h3 className="panel-subtitle" id="found-links-title">Links in this message{count}</h3>
        <FoundLinks links={links} />
      </section>
      <section className="check-section" aria-labelledby="found-codes-title">
        <h3 className="panel-subtitle" id="found-codes-title">One-time codes</h3>
        <FoundCodes codes={codes} />
      </section>
      <section className="check-section" aria-labelledby="link-check-title">
        <h3 className="panel-subtitle" id="link-check-title">Link status</h3>
        <LinkCheckPanel checks={checks} />
      </section>
    </div>
  );
}
