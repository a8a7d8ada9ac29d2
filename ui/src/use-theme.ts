/**
 * Light or dark: follows `prefers-color-scheme` until the user picks one with the toggle, which is
 * remembered in localStorage. The choice is applied as `data-theme` on `<html>`, which the
 * stylesheet keys on (the stylesheet alone already follows the system before any script runs).
 */
import { useCallback, useEffect, useState } from 'react';

export type Theme = 'light' | 'dark';

/** localStorage key of the explicit choice (`light` or `dark`; absent = follow the system). */
export const THEME_STORAGE_KEY = 'mailsink.theme';

const darkQuery = (): MediaQueryList | null =>
  typeof window.matchMedia === 'function' ? window.matchMedia('(prefers-color-scheme: dark)') : null;

/** The stored choice, or `null` to follow the system (also when storage is unavailable). */
export function storedTheme(): Theme | null {
  try {
    const value = window.localStorage.getItem(THEME_STORAGE_KEY);
    return value === 'light' || value === 'dark' ? value : null;
  } catch {
    return null;
  }
}

function systemTheme(): Theme {
  return darkQuery()?.matches ? 'dark' : 'light';
}

/** Sets `data-theme` on `<html>`; call once before the first render to avoid a flash. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset['theme'] = theme;
}

export function initialTheme(): Theme {
  return storedTheme() ?? systemTheme();
}

/** `[theme, toggle]`: the effective theme, and the function that switches and remembers the other one. */
export function useTheme(): [Theme, () => void] {
  const [choice, setChoice] = useState<Theme | null>(storedTheme);
  const [system, setSystem] = useState<Theme>(systemTheme);
  const theme = choice ?? system;

  useEffect(() => {
    const query = darkQuery();
    if (!query) return;
    const onChange = () => setSystem(query.matches ? 'dark' : 'light');
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);

  useEffect(() => applyTheme(theme), [theme]);

  const toggle = useCallback(() => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    setChoice(next);
    try {
      window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, [theme]);

  return [theme, toggle];
}
