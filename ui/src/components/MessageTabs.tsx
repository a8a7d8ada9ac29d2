import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { Delivery, LinkList, MessageDetail } from '../../../server/contract.js';
import { getMessageLinks } from '../api-faults.js';
import { messageCodes } from '../message-codes.js';
import { useAsync, type AsyncState } from '../use-async.js';
import type { Checks } from '../use-checks.js';
import { AttachmentList } from './AttachmentList.js';
import { AuthPanel } from './AuthPanel.js';
import { DeliveryPanel } from './DeliveryPanel.js';
import { HeadersTable } from './HeadersTable.js';
import { HtmlCheckPanel } from './HtmlCheckPanel.js';
import { HtmlPreview, type PreviewWidth } from './HtmlPreview.js';
import { HtmlSource } from './HtmlSource.js';
import { LinksPanel } from './LinksPanel.js';
import { RawSource } from './RawSource.js';
import { SpamPanel } from './SpamPanel.js';
import { TranscriptView } from './TranscriptView.js';

export type TabId = 'html' | 'text' | 'source' | 'headers' | 'raw' | 'attachments' | 'transcript' | 'auth' | 'html-check' | 'links' | 'spam' | 'delivery';

function tabsFor(detail: MessageDetail, delivery: Delivery | null, links: AsyncState<LinkList>): { id: TabId; label: string }[] {
  const hasHtml = detail.html !== null;
  return [
    ...(hasHtml ? [{ id: 'html' as const, label: 'HTML' }] : []),
    { id: 'text', label: 'Text' },
    ...(hasHtml ? [{ id: 'source' as const, label: 'HTML source' }] : []),
    { id: 'headers', label: `Headers (${detail.headers.length})` },
    { id: 'raw', label: 'Raw' },
    ...(detail.attachments.length > 0 ? [{ id: 'attachments' as const, label: `Attachments (${detail.attachments.length})` }] : []),
    { id: 'transcript', label: 'SMTP transcript' },
    { id: 'auth', label: 'Authentication' },
    ...(hasHtml ? [{ id: 'html-check' as const, label: 'HTML check' }] : []),
    { id: 'links', label: links.status === 'ready' ? `Links (${links.value.count})` : 'Links' },
    { id: 'spam', label: 'Spam' },
    ...(delivery !== null ? [{ id: 'delivery' as const, label: 'Delivery' }] : []),
  ];
}

/** The tab a message opens on: HTML when it has an HTML body, else Text. */
export function firstTab(detail: MessageDetail): TabId {
  return detail.html !== null ? 'html' : 'text';
}

interface MessageTabsProps {
  detail: MessageDetail;
  /** Width of the HTML preview (kept by the caller, so it holds from message to message). */
  width: PreviewWidth;
  onWidth(width: PreviewWidth): void;
  /** The selected tab (kept by the caller, so the authentication summary can open its tab). */
  active: TabId;
  onTab(tab: TabId): void;
  /** The checks of this message, loaded when their tab opens. */
  checks: Checks;
  /** The message's delivery to the relay upstream: the Delivery tab shows only when there is one. */
  delivery: { delivery: Delivery | null; error: string | null };
}

type TabPanelProps = { tab: TabId; remoteLoaded: boolean; onLoadRemote(): void; links: AsyncState<LinkList> } & MessageTabsProps;

function TabPanel({ tab, ...props }: TabPanelProps) {
  const { detail } = props;
  switch (tab) {
    case 'html':
      return <HtmlPreview html={detail.html ?? ''} width={props.width} onWidth={props.onWidth} remoteLoaded={props.remoteLoaded} onLoadRemote={props.onLoadRemote} />;
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
    case 'source':
      return <HtmlSource html={detail.html ?? ''} />;
    case 'headers':
      return <HeadersTable headers={detail.headers} />;
    case 'raw':
      return <RawSource id={detail.id} />;
    case 'attachments':
      return <AttachmentList attachments={detail.attachments} />;
    case 'transcript':
      return <TranscriptView id={detail.id} />;
    case 'auth':
      return <AuthPanel checks={props.checks} />;
    case 'html-check':
      return <HtmlCheckPanel checks={props.checks} />;
    case 'links':
      return <LinksPanel checks={props.checks} links={props.links} codes={messageCodes(detail)} />;
    case 'spam':
      return <SpamPanel checks={props.checks} />;
    case 'delivery':
      return props.delivery.delivery !== null ? <DeliveryPanel delivery={props.delivery.delivery} error={props.delivery.error} /> : null;
  }
}

/** One tab; a hidden bold copy of its label (CSS, `data-label`) reserves the width it has when selected. */
function TabButton({ id, label, selected, onSelect }: { id: TabId; label: string; selected: boolean; onSelect(id: TabId): void }) {
  return (
    <button
      type="button"
      role="tab"
      id={`tab-${id}`}
      data-tab={id}
      data-testid={`tab-${id}`}
      aria-selected={selected}
      aria-controls={selected ? `panel-${id}` : undefined}
      tabIndex={selected ? 0 : -1}
      onClick={() => onSelect(id)}
    >
      <span className="tab-label" data-label={label}>
        {label}
      </span>
    </button>
  );
}

/**
 * The message body views and checks as ARIA tabs (Left/Right/Home/End move between them). Labels
 * keep their width when the selected one turns bold; the list scrolls sideways when narrow.
 */
export function MessageTabs({ detail, active, onTab, ...rest }: MessageTabsProps) {
  /** The message's links (from the sink, nothing fetched outside): for the tab's label and panel. */
  const links = useAsync((signal) => getMessageLinks(detail.id, signal), [detail.id]);
  const tabs = tabsFor(detail, rest.delivery.delivery, links);
  /** "Load remote content" for this message: kept while its tabs change (the view is remounted per message). */
  const [remoteLoaded, setRemoteLoaded] = useState(false);
  const listRef = useRef<HTMLDivElement>(null);
  const changed = useRef(false);
  useEffect(() => {
    // A newly selected tab scrolls into the list's view (not on mount: the list may be below the fold).
    if (changed.current) listRef.current?.querySelector(`[data-tab="${active}"]`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    changed.current = true;
  }, [active]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = tabs.findIndex((tab) => tab.id === active);
    const target =
      event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? tabs.length - 1 : null;
    if (target === null) return;
    const next = tabs[(target + tabs.length) % tabs.length];
    if (!next) return;
    event.preventDefault();
    onTab(next.id);
    listRef.current?.querySelector<HTMLButtonElement>(`[data-tab="${next.id}"]`)?.focus();
  };

  return (
    <div className="tabs">
      <div className="tab-list" role="tablist" aria-label="Message body" ref={listRef} onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <TabButton key={tab.id} id={tab.id} label={tab.label} selected={tab.id === active} onSelect={onTab} />
        ))}
      </div>
      <div className="tab-panel" role="tabpanel" id={`panel-${active}`} aria-labelledby={`tab-${active}`} data-testid="tab-panel">
        <TabPanel tab={active} detail={detail} active={active} onTab={onTab} remoteLoaded={remoteLoaded} onLoadRemote={() => setRemoteLoaded(true)} links={links} {...rest} />
      </div>
    </div>
  );
}
