import { useEffect, useState, type FormEvent } from 'react';
import type { ProbeReport } from '../../../server/contract.js';
import { errorText, getProbeStatus, runProbe, type ProbeRequest } from '../api.js';
import { Icon } from './Icon.js';
import { ProbeReportView } from './ProbeReportView.js';

interface ProbeForm {
  target: string;
  starttls: ProbeRequest['starttls'];
  user: string;
  pass: string;
  to: string;
  send: boolean;
  openRelay: boolean;
  dns: string;
}

const EMPTY: ProbeForm = { target: 'smtp://', starttls: 'try', user: '', pass: '', to: '', send: false, openRelay: false, dns: '' };

function requestOf(form: ProbeForm): ProbeRequest {
  const to = form.to.split(/[\s,]+/).filter(Boolean);
  return {
    target: form.target.trim(),
    starttls: form.starttls,
    auth: form.user.trim() === '' ? null : { user: form.user.trim(), pass: form.pass },
    ...(to.length > 0 ? { to } : {}),
    send: form.send,
    openRelay: form.openRelay,
    dns: form.dns.trim() === '' ? null : { domain: form.dns.trim() },
  };
}

/** "Test a server": runs `POST /api/probe` (only when the sink runs with --enable-probe) and shows the report. */
export function ProbePanel({ onClose }: { onClose(): void }) {
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [form, setForm] = useState<ProbeForm>(EMPTY);
  const [report, setReport] = useState<ProbeReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    getProbeStatus(controller.signal).then(setEnabled, () => setEnabled(false));
    return () => controller.abort();
  }, []);
  const set = <K extends keyof ProbeForm>(key: K, value: ProbeForm[K]) => setForm((old) => ({ ...old, [key]: value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    runProbe(requestOf(form)).then(setReport, (failure: unknown) => setError(errorText(failure))).finally(() => setBusy(false));
  };
  return (
    <aside className="fault-panel probe-panel" aria-labelledby="probe-panel-title" data-testid="probe-panel">
      <div className="panel-header">
        <h2 id="probe-panel-title" className="panel-title">
          <Icon name="search" />
          Test a server
        </h2>
        <button type="button" className="icon-button" aria-label="Close server test" data-testid="probe-close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <p className="panel-intro">Walk an SMTP session against a real server, stage by stage: TLS and its certificate, AUTH, MAIL FROM, RCPT TO, with each reply explained.</p>
      {enabled === false && (
        <p className="form-error" role="alert" data-testid="probe-disabled">
          Probing is off. Start mailsink with <code>--enable-probe</code> to let it connect to servers named here.
        </p>
      )}
      <form className="fault-form" onSubmit={submit} aria-label="Test an SMTP server" data-testid="probe-form">
        <div className="form-grid">
          <label className="form-field wide">
            <span className="form-label">Server</span>
            <input value={form.target} onChange={(event) => set('target', event.target.value)} placeholder="smtp://mail.example.org:587" data-testid="probe-target" />
          </label>
          <label className="form-field">
            <span className="form-label">STARTTLS</span>
            <select value={form.starttls} onChange={(event) => set('starttls', event.target.value as ProbeForm['starttls'])} data-testid="probe-starttls">
              <option value="try">When offered</option>
              <option value="require">Required</option>
              <option value="never">Never</option>
            </select>
          </label>
          <label className="form-field">
            <span className="form-label">Recipients</span>
            <input value={form.to} onChange={(event) => set('to', event.target.value)} placeholder="postmaster@host" data-testid="probe-to" />
          </label>
          <label className="form-field">
            <span className="form-label">AUTH user</span>
            <input value={form.user} autoComplete="off" onChange={(event) => set('user', event.target.value)} data-testid="probe-user" />
          </label>
          <label className="form-field">
            <span className="form-label">Password</span>
            <input type="password" value={form.pass} autoComplete="off" onChange={(event) => set('pass', event.target.value)} data-testid="probe-pass" />
          </label>
          <label className="form-field">
            <span className="form-label">DNS checks for</span>
            <input value={form.dns} onChange={(event) => set('dns', event.target.value)} placeholder="example.org" data-testid="probe-dns" />
          </label>
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={form.send} onChange={(event) => set('send', event.target.checked)} data-testid="probe-send" />
          Send one test message
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={form.openRelay} onChange={(event) => set('openRelay', event.target.checked)} data-testid="probe-open-relay" />
          Check for an open relay
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="probe-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy || enabled !== true} data-testid="probe-run">
          {busy ? 'Testing…' : 'Run test'}
        </button>
      </form>
      {report && <ProbeReportView report={report} />}
    </aside>
  );
}
