import { useRef, useState, type KeyboardEvent } from 'react';
import type { MessageDetail } from '../../../server/contract.js';
import { AttachmentList } from './AttachmentList.js';
import { HtmlFrame } from './HtmlFrame.js';
import { RawSource } from './RawSource.js';

type TabId = 'html' | 'text' | 'raw' | 'attachments';

function tabsFor(detail: MessageDetail): { id: TabId; label: string }[] {
  return [
    ...(detail.html !== null ? [{ id: 'html' as const, label: 'HTML' }] : []),
    { id: 'text', label: 'Text' },
    { id: 'raw', label: 'Raw source' },
    { id: 'attachments', label: `Attachments (${detail.attachments.length})` },
  ];
}

function TabPanel({ tab, detail }: { tab: TabId; detail: MessageDetail }) {
  switch (tab) {
    case 'html':
      return <HtmlFrame id={detail.id} />;
    case 'text':
      return detail.text !== null ? (
        <pre className="text-body" data-testid="detail-text">
          {detail.text}
        </pre>
      ) : (
        <p className="placeholder" data-testid="detail-text">
          (no plain-text body)
        </p>
      );
    case 'raw':
      return <RawSource id={detail.id} />;
    case 'attachments':
      return <AttachmentList attachments={detail.attachments} />;
  }
}

/** HTML / Text / Raw source / Attachments, as ARIA tabs (arrow keys move between them). */
export function MessageTabs({ detail }: { detail: MessageDetail }) {
  const tabs = tabsFor(detail);
  const [active, setActive] = useState<TabId>(detail.html !== null ? 'html' : 'text');
  const listRef = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    const index = tabs.findIndex((tab) => tab.id === active);
    const next = tabs[(index + step + tabs.length) % tabs.length];
    if (!next) return;
    event.preventDefault();
    setActive(next.id);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-tab="${next.id}"]`)?.focus();
  };

  return (
    <div className="tabs">
      <div className="tab-list" role="tablist" aria-label="Message body" ref={listRef} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            id={`tab-${tab.id}`}
            data-tab={tab.id}
            data-testid={`tab-${tab.id}`}
            aria-selected={tab.id === active}
            aria-controls={tab.id === active ? `panel-${tab.id}` : undefined}
            tabIndex={tab.id === active ? 0 : -1}
            onClick={() => setActive(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${active}`} aria-labelledby={`tab-${active}`}>
        <TabPanel tab={active} detail={detail} />
      </div>
    </div>
  );
}
