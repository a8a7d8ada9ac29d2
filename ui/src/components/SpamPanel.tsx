import type { SpamCheck } from '../../../server/contract.js';
import type { Checks } from '../use-checks.js';
import { OnRequestPanel } from './CheckParts.js';

function SpamResult({ check }: { check: SpamCheck }) {
  if (check.tooBig) {
    return (
      <p className="placeholder" data-testid="spam-too-big">
        Not sent to spamd: {check.sizeBytes} bytes is over {check.maxSizeBytes} bytes (as spamc, SpamAssassin does not score larger messages).
      </p>
    );
  }
  return (
    <>
      <p className="check-score" data-testid="spam-score">
        <span className="check-score-value">{check.score}</span> / {check.threshold}{' '}
        <span className={`badge badge-${check.isSpam ? 'fail' : 'pass'}`} data-testid="spam-verdict">{check.isSpam ? 'spam' : 'not spam'}</span>
        <span className="placeholder"> · spamd {check.spamd}</span>
      </p>
      {check.rules.length > 0 && (
        <div className="table-scroll">
          <table className="check-table" data-testid="spam-rules">
            <thead>
              <tr><th scope="col">Rule</th><th scope="col">Score</th><th scope="col">Description</th></tr>
            </thead>
            <tbody>
              {check.rules.map((rule) => (
                <tr key={rule.name} data-testid="spam-rule">
                  <td><code>{rule.name}</code></td>
                  <td className="numeric">{rule.score}</td>
                  <td className="check-info">{rule.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** The Spam tab: SpamAssassin's score and rules, on request only (needs `--spamassassin`). */
export function SpamPanel({ checks }: { checks: Checks }) {
  return (
    <OnRequestPanel state={checks.states.spam} testId="spam" label="Check spam score" note="Asks the SpamAssassin spamd the sink was started with." what="Asking SpamAssassin" onRun={() => checks.run('spam')}>
      {(check) => <SpamResult check={check} />}
    </OnRequestPanel>
  );
}
