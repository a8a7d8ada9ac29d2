import type { ListUnsubscribeCheck } from '../../../server/contract.js';
import type { CheckState } from '../use-checks.js';
import { CheckResult, orDash, yesNo } from './CheckParts.js';

function Details({ check }: { check: ListUnsubscribeCheck }) {
  return (
    <>
      <dl className="fields check-fields">
        <dt>Present</dt>
        <dd data-testid="unsubscribe-present">{yesNo(check.present)}</dd>
        <dt>One-click</dt>
        <dd data-testid="unsubscribe-one-click">{yesNo(check.oneClick)} <span className="placeholder">(RFC 8058)</span></dd>
        {check.header !== null && (
          <>
            <dt>Header</dt>
            <dd><code>{check.header}</code></dd>
          </>
        )}
        {check.post !== null && (
          <>
            <dt>Post</dt>
            <dd><code>{check.post}</code></dd>
          </>
        )}
        <dt>URIs</dt>
        <dd>
          {check.uris.length === 0 ? orDash(null) : (
            <ul className="plain-list" data-testid="unsubscribe-uris">
              {check.uris.map((uri, index) => (
                <li key={index} data-valid={uri.valid}>
                  <code>{uri.uri}</code> <span className="placeholder">{uri.scheme}{uri.valid ? '' : ', invalid'}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
      {check.findings.length > 0 && (
        <ul className="probe-findings" data-testid="unsubscribe-findings">
          {check.findings.map((finding, index) => (
            <li key={index} className="check-finding" data-level={finding.level}>
              <span className={`badge badge-${finding.level === 'error' ? 'fail' : finding.level === 'warning' ? 'warn' : 'pass'}`}>{finding.level.toUpperCase()}</span>
              <span>{finding.message}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** `List-Unsubscribe` (RFC 2369) and one-click (RFC 8058): presence, URIs and what is wrong with them. */
export function ListUnsubscribeSection({ state }: { state: CheckState<ListUnsubscribeCheck> }) {
  return (
    <section className="check-section" data-testid="unsubscribe-section">
      <h3 className="panel-subtitle">List-Unsubscribe</h3>
      <CheckResult state={state} what="Reading List-Unsubscribe" testId="unsubscribe">
        {(check) => <Details check={check} />}
      </CheckResult>
    </section>
  );
}
