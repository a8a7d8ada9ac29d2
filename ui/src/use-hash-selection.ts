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
    if (options.replace) window.history.replaceState(null, '', url);
    else if (idFromHash(window.location.hash) !== id) window.history.pushState(null, '', url);
    setSelectedId(id);
  }, []);

  return [selectedId, select];
}
