import type { ProbeFinding, ProbeReport } from '../../../server/contract.js';

const fmt = new Intl.NumberFormat('en-US');

function FindingItem({ finding }: { finding: ProbeFinding }) {
  return (
    <li className={`probe-finding level-${finding.level}`} data-testid="probe-finding" data-level={finding.level}>
      <span className={`badge badge-${finding.level}`}>{finding.level.toUpperCase()}</span>
      <span className="probe-finding-stage">{finding.stage}</span>
      <span className="probe-finding-text">{finding.text}</span>
      {finding.explanation && (
        <span className="probe-explanation">
          <span>Cause: {finding.explanation.cause}</span>
          <span>What to do: {finding.explanation.action}</span>
        </span>
      )}
    </li>
  );
}

/** A probe report as `mailsink probe` prints it: stages with times, TLS, findings, transcript. */
export function ProbeReportView({ report }: { report: ProbeReport }) {
  const failed = report.stages.find((stage) => !stage.ok);
  const counts = (['fail', 'warn', 'pass'] as const).map((level) => `${report.findings.filter((finding) => finding.level === level).length} ${level}`).join(', ');
  const leaf = report.tls?.chain[0];
  return (
    <section className="probe-report" aria-label={`Probe report for ${report.target}`} data-testid="probe-report">
      <p className={report.exitCode === 0 ? 'probe-result ok' : 'probe-result failed'} data-testid="probe-result">
        {report.target}: {failed ? `${failed.stage} failed` : report.exitCode === 0 ? 'all stages passed' : 'a check failed'} · {counts} · exit {report.exitCode} · {fmt.format(report.ms)} ms
      </p>
      {report.banner !== null && <p className="probe-banner">Banner: {report.banner}</p>}
      <table className="headers-table probe-stages">
        <caption className="panel-subtitle">Stages</caption>
        <tbody>
          {report.stages.map((stage, index) => (
            <tr key={index} data-testid="probe-stage" data-stage={stage.stage} data-ok={stage.ok}>
              <th scope="row">
                {stage.ok ? '✓' : '✗'} {stage.stage}
              </th>
              <td className="probe-ms">{fmt.format(stage.ms)} ms</td>
              <td>{[stage.reply ? `${stage.reply.code} ${stage.reply.text}` : '', stage.detail].filter(Boolean).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.tls && leaf && (
        <p className="probe-tls" data-testid="probe-tls">
          TLS ({report.tls.mode}): {report.tls.protocol} · {report.tls.cipher} · certificate {leaf.subject}, issued by {leaf.issuer}
          {leaf.selfSigned ? ' (self-signed)' : ''}, {leaf.daysToExpiry} days left
        </p>
      )}
      <h3 className="panel-subtitle">Findings</h3>
      <ul className="probe-findings">
        {report.findings.map((finding, index) => (
          <FindingItem key={index} finding={finding} />
        ))}
      </ul>
      <details>
        <summary>Transcript ({report.transcript.length} lines, secrets masked)</summary>
        <pre className="raw-source" data-testid="probe-transcript">
          {report.transcript.map((entry) => `${String(entry.atMs).padStart(6)} ms  ${entry.direction === 'client' ? 'C:' : entry.direction === 'server' ? 'S:' : '--'} ${entry.text}`).join('\n')}
        </pre>
      </details>
    </section>
  );
}
