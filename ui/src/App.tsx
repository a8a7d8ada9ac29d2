import { useCallback, useEffect, useRef, useState } from 'react';
import { deleteAllMessages, deleteMessage, errorText } from './api.js';
import { ConfirmDialog } from './components/ConfirmDialog.js';
import { EmptyState } from './components/EmptyState.js';
import { FaultPanel } from './components/FaultPanel.js';
import { ListStatus } from './components/ListStatus.js';
import { ListHeader } from './components/ListHeader.js';
import { ProbePanel } from './components/ProbePanel.js';
import type { PreviewWidth } from './components/HtmlPreview.js';
import { MessageList, type MessageListHandle } from './components/MessageList.js';
import { MessageView, type MessageViewHandle } from './components/MessageView.js';
import { ShortcutsDialog } from './components/ShortcutsDialog.js';
import { TopBar } from './components/TopBar.js';
import { removedIds } from './list-events.js';
import { indexOfId, rowAt } from './list-model.js';
import { createDeliveryFeed } from './delivery.js';
import { useFaults } from './use-faults.js';
import { backToList, useHashSelection } from './use-hash-selection.js';
import { useInbox } from './use-inbox.js';
import { useKeyboardShortcuts } from './use-keyboard-shortcuts.js';
import { useListNavigation } from './use-list-navigation.js';
import { panesClassName, usePhoneLayout } from './use-media-query.js';
import { useNotifications } from './use-notifications.js';
import { useRelayUpstream } from './use-relay.js';
import { useBulk } from './use-bulk.js';
import { useSheetHistory } from './use-sheet-history.js';
import { useSinkEvents } from './use-sink-events.js';
import { useTheme } from './use-theme.js';
import { useUnreadCount } from './use-unread-count.js';

export function App() {
  const [selectedId, select] = useHashSelection();
  const [query, setQuery] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [faultsOpen, setFaultsOpen] = useState(false);
  const [probeOpen, setProbeOpen] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  /** The user's pick; until then a phone previews at Phone width, a wider screen at Desktop. */
  const [pickedWidth, setPreviewWidth] = useState<PreviewWidth | null>(null);
  const [theme, toggleTheme] = useTheme();
  const phone = usePhoneLayout();
  /** On a phone a side panel is a full-screen sheet: what it covers takes no focus. */
  const sheetOpen = phone && (faultsOpen || probeOpen);
  const previewWidth = pickedWidth ?? (phone ? 'phone' : 'desktop');
  const closeSheets = () => { setFaultsOpen(false); setProbeOpen(false); };
  useSheetHistory(faultsOpen || probeOpen, phone, closeSheets);
  const notifications = useNotifications();
  const faults = useFaults();
  const [hellos, setHellos] = useState(0);
  const relayUpstream = useRelayUpstream(hellos);
  const [deliveryFeed] = useState(createDeliveryFeed);
  const listRef = useRef<MessageListHandle>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const viewRef = useRef<MessageViewHandle>(null);
  const selectedRef = useRef(selectedId);
  useEffect(() => {
    selectedRef.current = selectedId;
  });

  const inbox = useInbox((events) => {
    const removed = removedIds(events);
    const current = selectedRef.current;
    if (current !== null && (removed === 'all' || removed.includes(current))) select(null, { replace: true });
    selection.forget(removed);
    notifications.notify(events);
  });
  const { model, controller } = inbox;
  const { selection, tags, filterTag, selectRow } = useBulk(model, inbox.query, setQuery);
  const connection = useSinkEvents({
    onEvent: (event) => {
      controller.pushEvent(event);
      faults.onEvent(event);
      tags.onEvent(event);
      if (event.type === 'message.delivery') deliveryFeed.publish(event.delivery);
    },
    onResync: (reason) => {
      if (reason === 'hello') setHellos((count) => count + 1);
      controller.resync();
      faults.refresh();
      tags.refresh();
      deliveryFeed.resync();
    },
  });
  useEffect(() => controller.setQuery(query), [controller, query]);
  const unread = useUnreadCount(inbox.revision, query);
  const nav = useListNavigation(model, selectedId);
  const selectedIndex = indexOfId(model, selectedId);

  useEffect(() => {
    if (selectedIndex >= 0) listRef.current?.scrollToIndex(selectedIndex);
    // Only when another message is opened, not when rows move under it.
  }, [selectedId]);

  /** Without a live event stream the change would not show up: refetch instead. */
  const afterChange = () => {
    if (connection.status !== 'open') controller.resync();
  };
  const fail = (what: string) => (error: unknown) => setNotice(`Could not ${what}: ${errorText(error)}`);

  const handleDelete = (id: string) => {
    const index = indexOfId(model, id);
    const neighbour = index < 0 ? undefined : (rowAt(model, index + 1) ?? rowAt(model, index - 1));
    if (id === selectedId) select(neighbour?.id ?? null, { replace: true });
    deleteMessage(id).then(afterChange, fail('delete the message'));
  };
  const confirmDeleteAll = () => {
    setConfirmOpen(false);
    select(null, { replace: true });
    deleteAllMessages(query).then(afterChange, fail('delete the messages'));
  };
  /** On a phone the open message covers the list: a tag search goes back to the list, to show the matches. */
  const filterFromMessage = (name: string) => { filterTag(name); if (phone) backToList(select); };
  const openMessage = useCallback((id: string) => select(id), [select]);
  const moveAndShow = (index: number) => {
    if (index >= 0) listRef.current?.scrollToIndex(index);
  };

  useKeyboardShortcuts({
    move: (delta) => moveAndShow(nav.moveBy(delta)),
    moveToEdge: (edge) => moveAndShow(nav.moveTo(edge === 'first' ? 0 : model.total - 1)),
    open: () => nav.activeId !== null && select(nav.activeId),
    remove: () => {
      const id = selectedId ?? nav.activeId;
      if (id !== null) handleDelete(id);
    },
    toggleRead: () => viewRef.current?.toggleRead(),
    toggleSelect: () => nav.activeId !== null && selection.toggle(nav.activeId, nav.activeIndex),
    focusSearch: () => searchRef.current?.focus(),
    showHelp: () => setHelpOpen(true),
    escape: () => {
      // On a phone the open message covers the list: Escape goes back to it, once no sheet is open.
      if (phone && !faultsOpen && !probeOpen && selectedId !== null) backToList(select);
      closeSheets();
      selection.clear();
    },
  });

  const searching = query.trim() !== '';
  const isEmpty = inbox.status === 'ready' && model.total === 0 && !searching && selectedId === null;
  const listMessage = model.total > 0 ? null : <ListStatus status={inbox.status} error={inbox.error} query={query} />;

  return (
    <div className="app">
      <TopBar
        connection={connection}
        query={query}
        onSearch={setQuery}
        searchRef={searchRef}
        total={model.total}
        unread={unread.matching}
        activeFaults={faults.rules.filter((rule) => rule.active && rule.enabled).length}
        faultsOpen={faultsOpen}
        onToggleFaults={() => { setProbeOpen(false); setFaultsOpen((open) => !open); }}
        probeOpen={probeOpen}
        onToggleProbe={() => { setFaultsOpen(false); setProbeOpen((open) => !open); }}
        notify={notifications.state}
        onToggleNotify={notifications.toggle}
        theme={theme}
        onToggleTheme={toggleTheme}
        onShowShortcuts={() => setHelpOpen(true)}
        onDeleteAll={() => setConfirmOpen(true)}
      />
      {inbox.status === 'error' && model.total > 0 && (
        <div className="banner error" role="alert">
          Could not load messages: {inbox.error}{' '}
          <button type="button" onClick={controller.resync}>
            Retry
          </button>
        </div>
      )}
      {notice !== null && (
        <div className="banner warning" role="alert">
          {notice}{' '}
          <button type="button" onClick={() => setNotice(null)}>
            Dismiss
          </button>
        </div>
      )}
      <main className={panesClassName({ panel: faultsOpen || probeOpen, message: selectedId !== null })}>
        {isEmpty ? (
          <div className="empty-pane">
            <EmptyState />
          </div>
        ) : (
          <>
            <section className="list-pane" aria-label="Inbox" inert={sheetOpen || (phone && selectedId !== null)}>
              <ListHeader selection={selection} total={model.total} searching={searching} tags={tags.tags}
                onFilterTag={filterTag} onChanged={afterChange} onError={setNotice} />
              {listMessage ?? (
                <MessageList
                  ref={listRef}
                  model={model}
                  resetKey={query}
                  selectedId={selectedId}
                  activeIndex={nav.activeIndex}
                  onOpen={openMessage}
                  onViewport={controller.setViewport}
                  isChecked={selection.isSelected} onSelect={selectRow} selecting={selection.count > 0} onFilterTag={filterTag}
                />
              )}
            </section>
            <section className="view-pane" aria-label="Selected message" inert={sheetOpen}>
              {selectedId === null ? (
                <p className="placeholder view-message select-hint">Select a message to read it. Press ? for keyboard shortcuts.</p>
              ) : (
                <MessageView
                  key={selectedId}
                  ref={viewRef}
                  id={selectedId}
                  summary={rowAt(model, selectedIndex)}
                  previousId={selectedIndex > 0 ? (rowAt(model, selectedIndex - 1)?.id ?? null) : null}
                  nextId={selectedIndex >= 0 ? (rowAt(model, selectedIndex + 1)?.id ?? null) : null}
                  onOpen={openMessage}
                  onDelete={handleDelete}
                  onBack={() => backToList(select)}
                  onError={setNotice}
                  width={previewWidth}
                  onWidth={setPreviewWidth}
                  relayUpstream={relayUpstream}
                  deliveryFeed={deliveryFeed}
                  tagSuggestions={tags.tags}
                  onFilterTag={filterFromMessage}
                />
              )}
            </section>
          </>
        )}
        {faultsOpen && <FaultPanel faults={faults} onClose={() => setFaultsOpen(false)} onError={setNotice} />}
        {probeOpen && <ProbePanel onClose={() => setProbeOpen(false)} />}
      </main>
      <ConfirmDialog
        open={confirmOpen}
        title={searching ? 'Delete matching messages?' : 'Delete all messages?'}
        message={
          searching
            ? `Delete the ${model.total} messages matching “${query}”? This cannot be undone.`
            : `Delete all ${model.total} messages? This cannot be undone.`
        }
        confirmLabel={searching ? 'Delete matching' : 'Delete all'}
        onConfirm={confirmDeleteAll}
        onCancel={() => setConfirmOpen(false)}
      />
      <ShortcutsDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
    </div>
  );
}
