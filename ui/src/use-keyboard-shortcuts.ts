/**
 * Inbox keyboard shortcuts on `window`. They never fire while the user types (inputs, text areas,
 * selects, contenteditable), with Ctrl/Alt/Meta held, or while a modal dialog is open (the dialog
 * owns the keyboard; Escape closes it natively). Arrow keys, Home/End and Enter act only when the
 * message list or nothing in particular has focus, so buttons, tabs and links keep their own keys.
 */
import { useEffect, useRef } from 'react';

export interface ShortcutHandlers {
  /** `j`/ArrowDown: +1 (older), `k`/ArrowUp: -1 (newer). */
  move(delta: number): void;
  /** Home / End. */
  moveToEdge(edge: 'first' | 'last'): void;
  /** Enter or `o`: open the highlighted message. */
  open(): void;
  /** Delete: delete the open (else the highlighted) message. */
  remove(): void;
  /** `u`: toggle read/unread of the open message. */
  toggleRead(): void;
  /** `x`: select / deselect the highlighted message for bulk actions. */
  toggleSelect(): void;
  /** `/`: focus the search box. */
  focusSearch(): void;
  /** `?`: show the shortcuts. */
  showHelp(): void;
  /** Escape outside dialogs: close side panels. */
  escape(): void;
}

/** The shortcuts, for the help dialog: keys and what they do. */
export const SHORTCUTS: readonly (readonly [keys: readonly string[], action: string])[] = [
  [['j', '↓'], 'Next (older) message'],
  [['k', '↑'], 'Previous (newer) message'],
  [['Home', 'End'], 'First / last message'],
  [['Enter', 'o'], 'Open the highlighted message'],
  [['Delete'], 'Delete the open message'],
  [['u'], 'Mark the open message read / unread'],
  [['x'], 'Select / deselect the highlighted message (shift-click: a range, ctrl/⌘-click: one more)'],
  [['/'], 'Search'],
  [['?'], 'Show these shortcuts'],
  [['Esc'], 'Close a dialog or panel; clear the selection; clear the search box; on a phone, back to the list'],
];

/** True when keys typed at `target` are text input. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
}

/** Focus is on the message list or on nothing in particular. */
function isListTarget(target: EventTarget | null): boolean {
  if (target === document.body || target === document.documentElement || target === null) return true;
  return target instanceof Element && target.closest('[data-keyboard-list]') !== null;
}

function handle(event: KeyboardEvent, handlers: ShortcutHandlers): boolean {
  const onList = isListTarget(event.target);
  switch (event.key) {
    case 'j':
      handlers.move(1);
      return true;
    case 'k':
      handlers.move(-1);
      return true;
    case 'ArrowDown':
    case 'ArrowUp':
      if (!onList) return false;
      handlers.move(event.key === 'ArrowDown' ? 1 : -1);
      return true;
    case 'Home':
    case 'End':
      if (!onList) return false;
      handlers.moveToEdge(event.key === 'Home' ? 'first' : 'last');
      return true;
    case 'Enter':
    case 'o':
      if (event.key === 'Enter' && !onList) return false;
      handlers.open();
      return true;
    case 'Delete':
      handlers.remove();
      return true;
    case 'u':
      handlers.toggleRead();
      return true;
    case 'x':
      handlers.toggleSelect();
      return true;
    case '/':
      handlers.focusSearch();
      return true;
    case '?':
      handlers.showHelp();
      return true;
    case 'Escape':
      handlers.escape();
      return false;
    default:
      return false;
  }
}

/** Installs the shortcuts while mounted; `handlers` may change between renders. */
export function useKeyboardShortcuts(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  useEffect(() => {
    ref.current = handlers;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
      if (isTypingTarget(event.target) || document.querySelector('dialog[open]')) return;
      if (handle(event, ref.current)) event.preventDefault();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
