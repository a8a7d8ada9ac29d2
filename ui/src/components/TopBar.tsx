import type { Ref } from 'react';
import type { Theme } from '../use-theme.js';
import type { NotifyState } from '../use-notifications.js';
import type { ConnectionState } from '../use-sink-events.js';
import { ConnectionStatus } from './ConnectionStatus.js';
import { Icon } from './Icon.js';
import { SearchBox } from './SearchBox.js';

interface TopBarProps {
  connection: ConnectionState;
  query: string;
  onSearch(query: string): void;
  searchRef: Ref<HTMLInputElement>;
  /** Messages in the list (matching the search, if any). */
  total: number;
  /** Unread messages among those in the list (matching the search, if any); `null` until known. */
  unread: number | null;
  activeFaults: number;
  faultsOpen: boolean;
  onToggleFaults(): void;
  probeOpen: boolean;
  onToggleProbe(): void;
  notify: NotifyState;
  onToggleNotify(): void;
  theme: Theme;
  onToggleTheme(): void;
  onShowShortcuts(): void;
  onDeleteAll(): void;
}

function countText(total: number, query: string): string {
  if (query.trim() !== '') return `${total} matching`;
  return `${total} ${total === 1 ? 'message' : 'messages'}`;
}

const NOTIFY_LABELS: Record<NotifyState, string> = {
  unsupported: 'Desktop notifications are not supported by this browser',
  denied: 'Desktop notifications are blocked for this site in the browser settings',
  off: 'Notify me of new mail',
  on: 'Stop notifying me of new mail',
};

/** Brand, live status, search, counts and the page-wide actions. */
export function TopBar(props: TopBarProps) {
  const { query, total, unread, activeFaults, notify, theme } = props;
  const searching = query.trim() !== '';
  const deleteLabel = searching ? 'Delete matching' : 'Delete all';
  return (
    <header className="topbar">
      <h1 className="brand">
        <img src="/favicon.svg" alt="" width="22" height="22" />
        mailsink
      </h1>
      <ConnectionStatus connection={props.connection} />
      <SearchBox query={query} onSearch={props.onSearch} ref={props.searchRef} />
      <span className="topbar-count" aria-live="polite">
        <span data-testid="message-count">{countText(total, query)}</span>
        {unread !== null && unread > 0 && (
          <span className="unread-count" data-testid="unread-count">
            {unread} unread
          </span>
        )}
      </span>
      <div className="topbar-actions">
        <a className="button icon-button" href="/api/docs" target="_blank" rel="noopener noreferrer" data-testid="api-docs-link" title="REST API reference (OpenAPI)" aria-label="REST API reference">
          <Icon name="code" />
          <span className="button-text">API</span>
        </a>
        <button
          type="button"
          className="icon-button"
          aria-pressed={props.probeOpen}
          aria-label="Test a server"
          title="Test a real SMTP server, stage by stage"
          data-testid="probe-toggle"
          onClick={props.onToggleProbe}
        >
          <Icon name="search" />
          <span className="button-text">Test a server</span>
        </button>
        <button
          type="button"
          className={activeFaults > 0 ? 'icon-button faults-live' : 'icon-button'}
          aria-pressed={props.faultsOpen}
          aria-label={`Fault rules (${activeFaults} active)`}
          title="Fault rules: make SMTP fail on purpose"
          data-testid="faults-toggle"
          onClick={props.onToggleFaults}
        >
          <Icon name="bolt" />
          <span className="button-text">Faults</span>
          {activeFaults > 0 && <span className="badge">{activeFaults}</span>}
        </button>
        <button
          type="button"
          className="icon-button"
          aria-pressed={notify === 'on'}
          aria-label={NOTIFY_LABELS[notify]}
          title={NOTIFY_LABELS[notify]}
          disabled={notify === 'unsupported' || notify === 'denied'}
          data-testid="notify-toggle"
          onClick={props.onToggleNotify}
        >
          <Icon name={notify === 'on' ? 'bell' : 'bellOff'} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-pressed={theme === 'dark'}
          aria-label="Dark mode"
          title={theme === 'dark' ? 'Switch to light mode' : 'Switch to dark mode'}
          data-testid="theme-toggle"
          onClick={props.onToggleTheme}
        >
          <Icon name={theme === 'dark' ? 'moon' : 'sun'} />
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          data-testid="shortcuts-button"
          onClick={props.onShowShortcuts}
        >
          <Icon name="keyboard" />
        </button>
        <button type="button" className="icon-button danger" aria-label={deleteLabel} title={searching ? 'Delete the messages matching the search' : 'Delete all messages'}
          data-testid="delete-all-button" disabled={total === 0} onClick={props.onDeleteAll}>
          <Icon name="trash" />
          <span className="button-text">{deleteLabel}</span>
        </button>
      </div>
    </header>
  );
}
