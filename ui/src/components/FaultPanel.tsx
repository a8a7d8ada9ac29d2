import type { FaultRule } from '../../../server/contract.js';
import { deleteFaultRule, errorText } from '../api.js';
import { formatListTime } from '../format.js';
import type { FaultFiring, Faults } from '../use-faults.js';
import { FaultForm } from './FaultForm.js';
import { Icon } from './Icon.js';

function firingText(firing: FaultFiring): string {
  const what = firing.disconnect ? 'disconnected' : firing.code !== null ? `replied ${firing.code}` : 'delayed';
  return `Last ${what} at ${formatListTime(new Date(firing.at).toISOString())} for ${firing.remoteAddress}`;
}

function RuleItem({ rule, firing, onRemove }: { rule: FaultRule; firing: FaultFiring | undefined; onRemove(id: string): void }) {
  return (
    <li className={rule.active ? 'fault-rule' : 'fault-rule retired'} data-testid="fault-rule" data-id={rule.id}>
      <div className="fault-rule-main">
        <span className="fault-rule-description" data-testid="fault-rule-description">
          {rule.description}
        </span>
        <span className="fault-rule-stats">
          <span data-testid="fault-rule-hits">
            {rule.hits} {rule.hits === 1 ? 'hit' : 'hits'}
          </span>
          <span>{rule.matched} matched</span>
          {!rule.active && <span className="badge">retired</span>}
        </span>
        {firing && <span className="fault-rule-fired">{firingText(firing)}</span>}
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label={`Remove rule: ${rule.description}`}
        title="Remove this rule"
        data-testid="fault-rule-remove"
        onClick={() => onRemove(rule.id)}
      >
        <Icon name="trash" />
      </button>
    </li>
  );
}

/** Fault rules (live), with hit counts, a form to add one, and remove buttons. */
export function FaultPanel({ faults, onClose, onError }: { faults: Faults; onClose(): void; onError(message: string): void }) {
  const remove = (id: string) => {
    deleteFaultRule(id).catch((error: unknown) => onError(`Could not remove the rule: ${errorText(error)}`));
  };
  return (
    <aside className="fault-panel" aria-labelledby="fault-panel-title" data-testid="fault-panel">
      <div className="panel-header">
        <h2 id="fault-panel-title" className="panel-title">
          <Icon name="bolt" />
          Fault rules
        </h2>
        <button type="button" className="icon-button" aria-label="Close fault rules" data-testid="faults-close" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>
      <p className="panel-intro">
        Make the SMTP server fail on purpose. Rules are checked in order at their stage; the first live match fires.
      </p>
      {faults.error && (
        <p className="form-error" role="alert">
          Could not load the rules: {faults.error}
        </p>
      )}
      {faults.rules.length === 0 ? (
        <p className="placeholder" data-testid="fault-empty">
          No rules: every command succeeds.
        </p>
      ) : (
        <ol className="fault-rules" aria-label="Rules in check order">
          {faults.rules.map((rule) => (
            <RuleItem key={rule.id} rule={rule} firing={faults.lastFired.get(rule.id)} onRemove={remove} />
          ))}
        </ol>
      )}
      <FaultForm />
    </aside>
  );
}
