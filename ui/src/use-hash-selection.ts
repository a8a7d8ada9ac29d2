/**
 * The selected message lives in the URL fragment (`#/messages/<id>`), so a message can be linked,
 * reloaded and reached with the browser's back and forward buttons without any server routing.
 */
import { useCallback, useEffect, useState } from 'react';

const HASH_PREFIX = '#/messages/';

/** The message id in a location hash, or `null`. */
export function idFromHash(hash: string): string | null {
  if (!hash.startsWith(HASH_PREFIX)) return null;
  try {
    const id = decodeURIComponent(hash.slice(HASH_PREFIX.length));
    return id === '' ? null : id;
  } catch {
    return null;
  }
}

/** The location hash selecting `id` (`''` for none). */
export function hashForId(id: string | null): string {
  return id === null ? '' : `${HASH_PREFIX}${encodeURIComponent(id)}`;
}

/** `history.state` of an entry this hook pushed: how many message entries lead back to the list. */
interface HashState {
  mailsinkDepth: number;
}

function depthOf(state: unknown): number {
  const depth = (state as Partial<HashState> | null)?.mailsinkDepth;
  return typeof depth === 'number' && depth > 0 ? depth : 0;
}

/**
 * Back to the list from an open message, as the browser's Back would get there: when the
 * messages since the list were opened here (each a history entry), goes back over all of them,
 * so Forward reopens them; else (the page was opened on a message's link) replaces the entry.
 */
export function backToList(select: SelectMessage): void {
  const depth = depthOf(window.history.state);
  if (depth > 0) window.history.go(-depth);
  else select(null, { replace: true });
}

export type SelectMessage = (id: string | null, options?: { replace?: boolean }) => void;

/** `[selectedId, select]`; `select(id, {replace: true})` does not add a history entry. */
export function useHashSelection(): [string | null, SelectMessage] {
  const [selectedId, setSelectedId] = useState(() => idFromHash(window.location.hash));

  useEffect(() => {
    const onNavigate = () => setSelectedId(idFromHash(window.location.hash));
    window.addEventListener('popstate', onNavigate);
    window.addEventListener('hashchange', onNavigate);
    return () => {
      window.removeEventListener('popstate', onNavigate);
      window.removeEventListener('hashchange', onNavigate);
    };
  }, []);

  const select = useCallback<SelectMessage>((id, options = {}) => {
    const { pathname, search } = window.location;
    const url = `${pathname}${search}${hashForId(id)}`;
    const current = idFromHash(window.location.hash);
    const depth = depthOf(window.history.state);
    // Each message entry counts the message entries back to the list (see backToList); 0: the list is not behind it.
    if (options.replace) window.history.replaceState(id === null ? null : { mailsinkDepth: depth }, '', url);
    else if (current !== id) window.history.pushState(id === null ? null : { mailsinkDepth: current === null ? 1 : depth > 0 ? depth + 1 : 0 }, '', url);
    setSelectedId(id);
  }, []);

  return [selectedId, select];
}
