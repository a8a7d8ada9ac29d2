import { useEffect } from 'react';
import type { HtmlCheck, HtmlClientScore, HtmlFinding } from '../../../server/contract.js';
import type { Checks } from '../use-checks.js';
import { CheckResult } from './CheckParts.js';

function ClientScores({ clients }: { clients: readonly HtmlClientScore[] }) {
  return (
    <ul className="score-list" data-testid="html-check-clients">
      {clients.map((client) => (
        <li key={client.family} className="score-row" data-testid="html-check-client" data-family={client.family} data-score={client.score}>
          <span className="score-name" title={client.platforms.join(', ')}>{client.name}</span>
          <span className="score-bar" aria-hidden="true">
            <span className="score-fill" style={{ width: `${client.score}%` }} />
          </span>
          <span className="score-value">{client.score}%</span>
          <span className="score-counts placeholder">
            {client.unsupported} unsupported · {client.partial} partial
          </span>
        </li>
      ))}
    </ul>
  );
}

function FindingRow({ finding }: { finding: HtmlFinding }) {
  const title = (
    <>
      {finding.title} <code className="placeholder nowrap">{finding.feature}</code>
    </>
  );
  return (
    <tr data-testid="html-finding" data-feature={finding.feature} data-support={finding.support}>
      <td>
        {finding.notes.length > 0 ? (
          <details className="finding-notes">
            <summary>{title}</summary>
            <ul>{finding.notes.map((note, index) => <li key={index}>{note}</li>)}</ul>
          </details>
        ) : (
          title
        )}
      </td>
      <td><span className={`badge badge-${finding.support === 'none' ? 'fail' : 'warn'}`}>{finding.support}</span></td>
      <td className="numeric" data-testid="html-finding-line">{finding.line}:{finding.column}</td>
      <td className="check-info" data-testid="html-finding-clients">{finding.clients.join(', ')}</td>
    </tr>
  );
}

function HtmlDetails({ check }: { check: HtmlCheck }) {
  if (!check.hasHtml) return <p className="placeholder" data-testid="html-check-no-html">This message has no HTML body to check.</p>;
  return (
    <>
      <p className="check-score" data-testid="html-check-score">
        <span className="check-score-value">{check.score}%</span> supported over all clients
        <span className="placeholder"> · {check.nodes} elements · {check.dataVersion}</span>
      </p>
      {check.errors.length > 0 && (
        <ul className="check-notice plain-list" data-testid="html-check-errors" aria-label="Styles not checked">
          {check.errors.map((error, index) => <li key={index}>{error}</li>)}
        </ul>
      )}
      <section className="check-section">
        <h3 className="panel-subtitle">By client</h3>
        <ClientScores clients={check.clients} />
      </section>
      <section className="check-section">
        <h3 className="panel-subtitle">Findings ({check.findings.length})</h3>
        {check.findings.length === 0 ? (
          <p className="placeholder">Every feature used is supported everywhere.</p>
        ) : (
          <div className="table-scroll">
            <table className="check-table" data-testid="html-findings">
              <thead>
                <tr><th scope="col">Feature</th><th scope="col">Support</th><th scope="col">Line</th><th scope="col">Clients</th></tr>
              </thead>
              <tbody>
                {check.findings.map((finding, index) => <FindingRow key={index} finding={finding} />)}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

/** The HTML check tab: overall and per-client support of the HTML body, and each feature some clients lack (caniemail). */
export function HtmlCheckPanel({ checks }: { checks: Checks }) {
  useEffect(() => checks.ensure('html'), []);
  return (
    <div className="check-panel" data-testid="html-check-panel">
      <CheckResult state={checks.states.html} what="Checking the HTML against mail clients" testId="html-check">
        {(check) => <HtmlDetails check={check} />}
      </CheckResult>
    </div>
  );
}
