import { useEffect } from 'react';
import type { AuthCheck, DkimSignatureCheck } from '../../../server/contract.js';
import type { Checks } from '../use-checks.js';
import { CheckResult, orDash, ResultBadge, yesNo } from './CheckParts.js';
import { ListUnsubscribeSection } from './ListUnsubscribeSection.js';

const DNS_SOURCES: Record<AuthCheck['dnsSource'], string> = {
  records: 'the --dns-records file',
  'records+live': 'the --dns-records file, then live DNS',
  live: 'live DNS (--dns-live)',
  none: 'none (keys and policies cannot be looked up: start mailsink with --dns-records FILE or --dns-live)',
};
const IP_SOURCES: Record<AuthCheck['clientIpSource'], string> = {
  request: 'given with this request',
  option: 'from --spf-client-ip',
  envelope: 'the SMTP client of this message',
};

function DkimTable({ signatures }: { signatures: readonly DkimSignatureCheck[] }) {
  if (signatures.length === 0) return <p className="placeholder" data-testid="auth-dkim-none">No DKIM-Signature header.</p>;
  return (
    <div className="table-scroll">
      <table className="check-table" data-testid="auth-dkim">
        <thead>
          <tr>
            <th scope="col">Result</th><th scope="col">Domain (d=)</th><th scope="col">Selector (s=)</th><th scope="col">Algorithm</th>
            <th scope="col">Key</th><th scope="col">Failure</th><th scope="col">Aligned</th><th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {signatures.map((signature, index) => (
            <tr key={index} data-testid="auth-dkim-row" data-result={signature.result}>
              <td><ResultBadge result={signature.result} /></td>
              <td>{orDash(signature.domain)}</td>
              <td className="nowrap">{orDash(signature.selector)}</td>
              <td className="nowrap">{orDash(signature.algorithm)}</td>
              <td className="numeric">{orDash(signature.keyBits === null ? null : `${signature.keyBits} bits`)}</td>
              <td className="nowrap" data-testid="auth-dkim-failure">{orDash(signature.failure)}</td>
              <td>{yesNo(signature.aligned)}</td>
              <td className="check-info">{signature.info}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MethodCard({ name, result, testId, children }: { name: string; result: string; testId: string; children: React.ReactNode }) {
  return (
    <section className="check-card" data-testid={testId} data-result={result} aria-label={`${name}: ${result}`}>
      <h4 className="check-card-title">
        {name} <ResultBadge result={result} testId={`${testId}-result`} />
      </h4>
      <dl className="fields check-fields">{children}</dl>
    </section>
  );
}

function AuthDetails({ auth }: { auth: AuthCheck }) {
  const { dmarc, spf, arc } = auth;
  return (
    <>
      <p className="tab-note" data-testid="auth-context">
        From domain <strong>{auth.fromDomain ?? '(none)'}</strong> · DNS: {DNS_SOURCES[auth.dnsSource]}
      </p>
      <section className="check-section">
        <h3 className="panel-subtitle">DKIM signatures ({auth.dkim.length})</h3>
        <DkimTable signatures={auth.dkim} />
      </section>
      <div className="check-cards">
        <MethodCard name="DMARC" result={dmarc.result} testId="auth-dmarc">
          <dt>Domain</dt><dd>{orDash(dmarc.domain)}</dd>
          <dt>Policy</dt><dd data-testid="auth-dmarc-policy">{orDash(dmarc.policy)}</dd>
          <dt>Aligned</dt><dd>DKIM {yesNo(dmarc.alignment.dkim)} · SPF {yesNo(dmarc.alignment.spf)}</dd>
          <dt>Details</dt><dd className="check-info">{dmarc.info}</dd>
        </MethodCard>
        <MethodCard name="SPF" result={spf.result} testId="auth-spf">
          <dt>Domain</dt><dd>{orDash(spf.domain)}</dd>
          <dt>Client</dt><dd data-testid="auth-spf-client">{spf.clientIp} <span className="placeholder">({IP_SOURCES[auth.clientIpSource]})</span></dd>
          <dt>Details</dt><dd className="check-info">{spf.info}</dd>
        </MethodCard>
        <MethodCard name="ARC" result={arc.result} testId="auth-arc">
          <dt>Sets</dt><dd>{arc.instances}</dd>
          <dt>Details</dt><dd className="check-info">{arc.info}</dd>
        </MethodCard>
      </div>
      <section className="check-section">
        <h3 className="panel-subtitle">Authentication-Results</h3>
        <pre className="raw-source auth-results" data-testid="auth-results-header">
          {auth.authenticationResults.split(/(?<=\n)/).map((line, index) => (
            <span key={index} className="auth-results-line">
              {line}
            </span>
          ))}
        </pre>
      </section>
    </>
  );
}

/** The Authentication tab: every DKIM signature, DMARC, SPF, ARC, the ready Authentication-Results field, then List-Unsubscribe. */
export function AuthPanel({ checks }: { checks: Checks }) {
  useEffect(() => {
    checks.ensure('auth');
    checks.ensure('list-unsubscribe');
  }, []);
  return (
    <div className="check-panel" data-testid="auth-panel">
      <CheckResult state={checks.states.auth} what="Checking DKIM, SPF and DMARC" testId="auth">
        {(auth) => <AuthDetails auth={auth} />}
      </CheckResult>
      <ListUnsubscribeSection state={checks.states['list-unsubscribe']} />
    </div>
  );
}
