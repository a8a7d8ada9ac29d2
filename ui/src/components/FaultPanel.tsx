import { useRef, useState, type KeyboardEvent } from 'react';
import '../faults.css';
import type { Faults } from '../use-faults.js';
import { FaultForm } from './FaultForm.js';
import { FaultRules } from './FaultRules.js';
import { Icon } from './Icon.js';
import { RejectionLog } from './RejectionLog.js';

type PanelTab = 'rules' | 'rejections';

/** The two tabs, ARIA style (Left/Right/Home/End switch). */
function PanelTabs({ tab, onTab, refused }: { tab: PanelTab; onTab(tab: PanelTab): void; refused: number }) {
  const listRef = useRef<HTMLDivElement>(null);
  const tabs: { id: PanelTab; label: string }[] = [
    { id: 'rules', label: 'Rules' },
    { id: 'rejections', label: `Refused attempts (${refused})` },
  ];
  const onKeyDown = (event: KeyboardEvent) => {
    if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(event.key)) return;
    event.preventDefault();
    const next: PanelTab = event.key === 'Home' ? 'rules' : event.key === 'End' ? 'rejections' : tab === 'rules' ? 'rejections' : 'rules';
    onTab(next);
    listRef.current?.querySelector<HTMLElement>(`[data-panel-tab="${next}"]`)?.focus();
  };
  return (
    <div className="fault-tabs" role="tablist" aria-label="Fault panel" ref={listRef} onKeyDown={onKeyDown}>
      {tabs.map(({ id, label }) => (
        <button key={id} type="button" role="tab" id={`fault-tab-${id}`} data-panel-tab={id} data-testid={`fault-tab-${id}`} aria-selected={tab === id} aria-controls={`fault-tabpanel-${id}`} tabIndex={tab === id ? 0 : -1} onClick={() => onTab(id)}>
          {label}
        </button>
      ))}
    </div>
  );
}

/**
 * The fault panel: the rules (live, numbered in check order; add, edit, enable/disable, reorder,
 * remove) and the refused SMTP attempts (live; transcript per attempt; Clear), as two tabs.
 */
export function FaultPanel({ faults, onClose, onError }: { faults: Faults; onClose(): void; onError(message: string): void }) {
  const [tab, setTab] = useState<PanelTab>('rules');
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
      <PanelTabs tab={tab} onTab={setTab} refused={faults.rejections.total} />
      <div className="fault-tabpanel" role="tabpanel" id={`fault-tabpanel-${tab}`} aria-labelledby={`fault-tab-${tab}`}>
        {tab === 'rules' ? (
          <>
            <p className="panel-intro">Make the SMTP server fail on purpose. Rules are checked in this order at their stage; the first enabled live match fires.</p>
            {faults.error && (
              <p className="form-error" role="alert">
                Could not load the rules: {faults.error}
              </p>
            )}
            <FaultRules faults={faults} onError={onError} />
            <FaultForm />
          </>
        ) : (
          <RejectionLog rejections={faults.rejections} rules={faults.rules} onError={onError} />
        )}
      </div>
    </aside>
  );
}
