/**
 * Optional desktop notifications for new mail. Strictly opt-in: permission is requested only when
 * the user presses the button, never on load. One notification per batch of arrivals (a burst of
 * 500 is one "500 new messages"), only while the inbox tab is hidden or unfocused.
 */
import { useCallback, useState } from 'react';
import type { SinkEvent } from '../../server/contract.js';
import { senderLabel } from './format.js';

/** localStorage key: `on` once the user turned notifications on. */
export const NOTIFY_STORAGE_KEY = 'mailsink.notify';

export type NotifyState = 'unsupported' | 'denied' | 'off' | 'on';

function supported(): boolean {
  return typeof window.Notification === 'function';
}

function readState(): NotifyState {
  if (!supported()) return 'unsupported';
  if (Notification.permission === 'denied') return 'denied';
  let stored: string | null = null;
  try {
    stored = window.localStorage.getItem(NOTIFY_STORAGE_KEY);
  } catch {
    stored = null;
  }
  return stored === 'on' && Notification.permission === 'granted' ? 'on' : 'off';
}

function remember(on: boolean): void {
  try {
    if (on) window.localStorage.setItem(NOTIFY_STORAGE_KEY, 'on');
    else window.localStorage.removeItem(NOTIFY_STORAGE_KEY);
  } catch {
    // storage unavailable: the setting lasts for this page only
  }
}

export interface Notifications {
  state: NotifyState;
  /** Asks for permission (user gesture) and turns notifications on, or turns them off. */
  toggle(): void;
  /** Shows one notification for the arrivals in `events`, when on and the page is not in view. */
  notify(events: readonly SinkEvent[]): void;
}

export function useNotifications(): Notifications {
  const [state, setState] = useState<NotifyState>(readState);

  const toggle = useCallback(() => {
    if (state === 'on') {
      remember(false);
      setState('off');
      return;
    }
    if (!supported()) return;
    void Notification.requestPermission().then((permission) => {
      remember(permission === 'granted');
      setState(permission === 'granted' ? 'on' : permission === 'denied' ? 'denied' : 'off');
    });
  }, [state]);

  const notify = useCallback(
    (events: readonly SinkEvent[]) => {
      if (state !== 'on' || (!document.hidden && document.hasFocus())) return;
      const arrivals = events.flatMap((event) => (event.type === 'message.received' ? [event.message] : []));
      const first = arrivals[0];
      if (!first) return;
      const title = arrivals.length === 1 ? first.subject || '(no subject)' : `${arrivals.length} new messages`;
      const body = arrivals.length === 1 ? `From ${senderLabel(first) ?? 'unknown sender'}` : 'mailsink';
      try {
        new Notification(title, { body, tag: 'mailsink-new-mail' });
      } catch {
        // e.g. a platform that only allows notifications from a service worker
      }
    },
    [state],
  );

  return { state, toggle, notify };
}
