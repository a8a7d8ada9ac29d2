/**
 * The per-message checks of the opened message (`/api/messages/:id/checks/*`), each loaded only
 * when something asks for it and kept while the message stays open (tabs may change meanwhile).
 * Use it in a component mounted once per message (`key={id}`).
 */
import { useRef, useState } from 'react';
import type { AuthCheck, CheckKind, HtmlCheck, LinkCheck, ListUnsubscribeCheck, SpamCheck } from '../../server/contract.js';
import { getAuthCheck, getHtmlCheck, getLinkCheck, getListUnsubscribeCheck, getSpamCheck } from './api.js';

/** The result of each kind of check. */
export interface CheckValues {
  auth: AuthCheck;
  html: HtmlCheck;
  links: LinkCheck;
  'list-unsubscribe': ListUnsubscribeCheck;
  spam: SpamCheck;
}

/** One check: not asked for yet, running, done, or failed (an `ApiError` with the server's message). */
export type CheckState<T> = { status: 'idle' } | { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: unknown };

export type CheckStates = { [K in CheckKind]: CheckState<CheckValues[K]> };

const LOADERS: { [K in CheckKind]: (id: string) => Promise<CheckValues[K]> } = {
  auth: (id) => getAuthCheck(id),
  html: (id) => getHtmlCheck(id),
  links: (id) => getLinkCheck(id),
  'list-unsubscribe': (id) => getListUnsubscribeCheck(id),
  spam: (id) => getSpamCheck(id),
};

const IDLE = { status: 'idle' } as const;
const INITIAL: CheckStates = { auth: IDLE, html: IDLE, links: IDLE, 'list-unsubscribe': IDLE, spam: IDLE };

export interface Checks {
  states: CheckStates;
  /** Loads `kind` unless it was asked for already (cheap checks, shown when their view opens). */
  ensure(kind: CheckKind): void;
  /** Runs `kind` (again) unless it is running: the buttons of the on-request checks. */
  run(kind: CheckKind): void;
}

/**
 * Check states of message `id`. Requests are not aborted when the view closes (a late answer is
 * dropped with the unmounted state), so React's double effects in development never lose one.
 */
export function useChecks(id: string): Checks {
  const [states, setStates] = useState<CheckStates>(INITIAL);
  const current = useRef<CheckStates>(INITIAL);

  const start = (kind: CheckKind) => {
    const update = (state: CheckState<unknown>) => {
      current.current = { ...current.current, [kind]: state } as CheckStates;
      setStates(current.current);
    };
    update({ status: 'loading' });
    LOADERS[kind](id).then(
      (value) => update({ status: 'ready', value }),
      (error: unknown) => update({ status: 'error', error }),
    );
  };

  return {
    states,
    ensure: (kind) => {
      if (current.current[kind].status === 'idle') start(kind);
    },
    run: (kind) => {
      if (current.current[kind].status !== 'loading') start(kind);
    },
  };
}
