/**
 * Open/closed state of a small popover (tag menu, bulk tagging): closes on a click outside its
 * container and on Escape inside it (which then goes no further, so it does not also clear the
 * selection or the search).
 */
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';

export interface Popover {
  open: boolean;
  setOpen(open: boolean): void;
  /** Attach to the element holding the trigger and the popover. */
  ref: React.RefObject<HTMLDivElement | null>;
  /** Attach as the container's `onKeyDown`. */
  onKeyDown(event: KeyboardEvent): void;
}

export function usePopover(): Popover {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (event: MouseEvent) => {
      if (ref.current && event.target instanceof Node && !ref.current.contains(event.target)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    event.preventDefault();
    event.stopPropagation();
    setOpen(false);
  };
  return { open, setOpen, ref, onKeyDown };
}
