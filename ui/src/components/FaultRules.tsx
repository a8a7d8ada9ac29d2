import { useEffect, useRef, useState } from 'react';
import type { FaultFiring, FaultRule } from '../../../server/contract.js';
import { deleteFaultRule, errorText } from '../api.js';
import { reorderFaultRules, setFaultRuleEnabled } from '../api-faults.js';
import { isEnabled, movedIds, type Move } from '../fault-form.js';
import { formatListTime } from '../format.js';
import type { Faults } from '../use-faults.js';
import { FaultForm } from './FaultForm.js';
import { Icon } from './Icon.js';

function firingText(firing: FaultFiring): string {
  const what = firing.disconnect ? 'disconnected' : firing.code !== null ? `replied ${firing.code}` : 'delayed';
  return `Last ${what} at ${formatListTime(firing.time)} for ${firing.remoteAddress}`;
}

interface RuleActions {
  onRemove(rule: FaultRule): void;
  /** Rejects (after reporting) when the server refused. */
  onEnable(rule: FaultRule, enabled: boolean): Promise<void>;
  onMove(index: number, move: Move): void;
  onEdit(rule: FaultRule): void;
}

/** The switch shows the new state at once; the rule's own state takes over when the server's answer (or event) arrives, or on failure. */
function useOptimistic(actual: boolean): [boolean, (value: boolean) => void, () => void] {
  const [pending, setPending] = useState<boolean | null>(null);
  useEffect(() => setPending(null), [actual]);
  return [pending ?? actual, setPending, () => setPending(null)];
}

function RuleControls({ rule, index, count, actions }: { rule: FaultRule; index: number; count: number; actions: RuleActions }) {
  const n = index + 1;
  const [enabled, setEnabled, resetEnabled] = useOptimistic(isEnabled(rule));
  const toggle = (value: boolean) => {
    setEnabled(value);
    actions.onEnable(rule, value).catch(resetEnabled);
  };
  return (
    <div className="fault-rule-controls">
      <label className="checkbox fault-rule-enabled">
        <input type="checkbox" checked={enabled} aria-label={`Rule ${n} enabled`} data-testid="fault-rule-enabled" onChange={(event) => toggle(event.target.checked)} />
        Enabled
      </label>
      <button type="button" className="icon-button" aria-label={`Move rule ${n} up`} title="Move up (checked earlier)" data-move="up" data-testid="fault-rule-up" disabled={index === 0} onClick={() => actions.onMove(index, 'up')}>
        <Icon name="chevronUp" />
      </button>
      <button type="button" className="icon-button" aria-label={`Move rule ${n} down`} title="Move down (checked later)" data-move="down" data-testid="fault-rule-down" disabled={index === count - 1} onClick={() => actions.onMove(index, 'down')}>
        <Icon name="chevronDown" />
      </button>
      <button type="button" aria-label={`Edit rule ${n}`} data-testid="fault-rule-edit" onClick={() => actions.onEdit(rule)}>
        Edit
      </button>
      <button type="button" className="icon-button" aria-label={`Remove rule ${n}: ${rule.description}`} title="Remove this rule" data-testid="fault-rule-remove" onClick={() => actions.onRemove(rule)}>
        <Icon name="trash" />
      </button>
    </div>
  );
}

function RuleItem(props: { rule: FaultRule; index: number; count: number; actions: RuleActions; editing: { onDone(): void } | null }) {
  const { rule, index, editing } = props;
  const firing = rule.lastFired;
  const enabled = isEnabled(rule);
  const className = ['fault-rule', rule.active ? '' : 'retired', enabled ? '' : 'disabled'].filter(Boolean).join(' ');
  return (
    <li className={className} data-testid="fault-rule" data-id={rule.id} data-enabled={enabled}>
      <div className="fault-rule-row">
        <span className="fault-rule-order" data-testid="fault-rule-order" aria-hidden="true">
          {index + 1}
        </span>
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
            {!enabled && <span className="badge" data-testid="fault-rule-disabled">disabled: skipped</span>}
          </span>
          {firing && <span className="fault-rule-fired">{firingText(firing)}</span>}
        </div>
        <RuleControls rule={rule} index={index} count={props.count} actions={props.actions} />
      </div>
      {editing && <FaultForm editing={{ rule, number: index + 1, onDone: editing.onDone }} />}
    </li>
  );
}

/**
 * Puts focus back on a rule's control once the list shows the change: a move re-orders the DOM
 * (and may disable the button at an edge), closing the edit form removes it.
 */
function useFocusAfter(rules: readonly FaultRule[]) {
  const listRef = useRef<HTMLOListElement>(null);
  const pending = useRef<{ id: string; selector: string; index: number | null } | null>(null);
  useEffect(() => {
    const want = pending.current;
    if (!want || (want.index !== null && rules[want.index]?.id !== want.id)) return;
    pending.current = null;
    const item = listRef.current?.querySelector(`[data-id="${CSS.escape(want.id)}"]`);
    const target = item?.querySelector<HTMLElement>(`${want.selector}:not(:disabled)`) ?? item?.querySelector<HTMLElement>('[data-move]:not(:disabled)');
    target?.focus();
  });
  return { listRef, focusLater: (id: string, selector: string, index: number | null = null) => void (pending.current = { id, selector, index }) };
}

/** The rules in check order (numbered), each with enable, move up/down, edit and remove. */
export function FaultRules({ faults, onError }: { faults: Faults; onError(message: string): void }) {
  const [editingId, setEditingId] = useState<string | null>(null);
  const { listRef, focusLater } = useFocusAfter(faults.rules);
  const fail = (what: string) => (error: unknown) => onError(`Could not ${what}: ${errorText(error)}`);
  const actions: RuleActions = {
    onRemove: (rule) => void deleteFaultRule(rule.id).catch(fail('remove the rule')),
    onEnable: (rule, enabled) =>
      setFaultRuleEnabled(rule.id, enabled).then(
        () => undefined,
        (error: unknown) => {
          fail(enabled ? 'enable the rule' : 'disable the rule')(error);
          throw error;
        },
      ),
    onMove: (index, move) => {
      focusLater(faults.rules[index]!.id, `[data-move="${move}"]`, move === 'up' ? index - 1 : index + 1);
      reorderFaultRules(movedIds(faults.rules, index, move)).catch(fail('reorder the rules'));
    },
    onEdit: (rule) => setEditingId((id) => (id === rule.id ? null : rule.id)),
  };
  const doneEditing = (id: string) => () => {
    focusLater(id, '[data-testid="fault-rule-edit"]');
    setEditingId(null);
  };
  if (faults.rules.length === 0)
    return (
      <p className="placeholder" data-testid="fault-empty">
        No rules: every command succeeds.
      </p>
    );
  return (
    <ol className="fault-rules" aria-label="Rules in check order" ref={listRef}>
      {faults.rules.map((rule, index) => (
        <RuleItem key={rule.id} rule={rule} index={index} count={faults.rules.length} actions={actions} editing={editingId === rule.id ? { onDone: doneEditing(rule.id) } : null} />
      ))}
    </ol>
  );
}
