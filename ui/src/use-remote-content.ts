/**
 * Whether remote content (images, styles, fonts on other servers) loads in message HTML: blocked by
 * default, loaded for one message on request, or for every message once "Always load remote
 * content" is chosen, which is remembered in localStorage (as mail clients do).
 */
import { useCallback, useState } from 'react';

/** localStorage key of the remembered choice (`always`; absent = block by default). */
export const REMOTE_CONTENT_STORAGE_KEY = 'mailsink.remoteContent';

/** The remembered choice; `false` when none was made or storage is unavailable. */
export function storedAlwaysLoad(): boolean {
  try {
    return window.localStorage.getItem(REMOTE_CONTENT_STORAGE_KEY) === 'always';
  } catch {
    return false;
  }
}

/** `[alwaysLoad, setAlwaysLoad]`: the remembered setting, and the function that changes and stores it. */
export function useAlwaysLoadRemote(): [boolean, (always: boolean) => void] {
  const [always, setAlways] = useState<boolean>(storedAlwaysLoad);
  const change = useCallback((next: boolean) => {
    setAlways(next);
    try {
      if (next) window.localStorage.setItem(REMOTE_CONTENT_STORAGE_KEY, 'always');
      else window.localStorage.removeItem(REMOTE_CONTENT_STORAGE_KEY);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);
  return [always, change];
}
