import { getHealth } from '../api.js';
import { useAsync } from '../use-async.js';

/** Port shown when `/api/health` cannot be read. */
const DEFAULT_SMTP_PORT = 1025;

/** The SMTP host to show: the page's host name without IPv6 brackets. */
function smtpHost(): string {
  return window.location.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
}

function nodemailerSnippet(host: string, port: number): string {
  return [
    "import nodemailer from 'nodemailer';",
    `const transport = nodemailer.createTransport({ host: '${host}', port: ${port}, ignoreTLS: true });`,
    "await transport.sendMail({ from: 'app@example.test', to: 'you@example.test',",
    "  subject: 'Hello', text: 'It works' });",
  ].join('\n');
}

/**
 * What the README's "Connecting your app" says about TLS: plain SMTP works, but the port offers
 * STARTTLS, so a client that upgrades by itself must be told not to; TLS can be tested with
 * STARTTLS or implicit TLS (`smtpsPort` when on, else how to turn it on).
 */
function EncryptionAdvice({ port, smtpsPort }: { port: number; smtpsPort: number | null | undefined }) {
  return (
    <dd data-testid="smtp-encryption">
      None needed, but port {port} offers STARTTLS: tell a client that upgrades by itself (nodemailer, Rails, Laravel, PHPMailer) not to,
      e.g. <code>ignoreTLS: true</code>. To test TLS: STARTTLS on port {port}, or implicit TLS{' '}
      {smtpsPort ? (
        <>
          on port <code>{smtpsPort}</code>
        </>
      ) : (
        <>
          with <code>--smtps-port</code>
        </>
      )}
      ; the certificate is self-signed, so turn certificate checks off.
    </dd>
  );
}

/** Shown while the inbox is empty: how to point an application at mailsink. */
export function EmptyState() {
  const health = useAsync((signal) => getHealth(signal), []);
  const port = health.status === 'ready' ? health.value.smtpPort : DEFAULT_SMTP_PORT;
  const host = smtpHost();
  return (
    <section className="empty-state" data-testid="empty-state" aria-labelledby="empty-state-title">
      <h2 id="empty-state-title">No messages yet</h2>
      <p>Point your application's SMTP settings at mailsink. Every message is captured here and never delivered.</p>
      <dl className="smtp-settings">
        <dt>SMTP host</dt>
        <dd>
          <code data-testid="smtp-host">{host}</code>
        </dd>
        <dt>Port</dt>
        <dd>
          <code data-testid="smtp-port">{port}</code>
          {health.status === 'error' && <span className="placeholder"> (default; server health unavailable)</span>}
        </dd>
        <dt>Encryption</dt>
        <EncryptionAdvice port={port} smtpsPort={health.status === 'ready' ? health.value.smtpsPort : null} />
        <dt>User name / password</dt>
        <dd>Any, or none</dd>
      </dl>
      <p>For example with nodemailer:</p>
      <pre className="snippet">
        <code>{nodemailerSnippet(host, port)}</code>
      </pre>
      <p className="placeholder">New mail appears here as soon as it arrives.</p>
    </section>
  );
}
