import { useEffect, useId, useRef, type ReactNode } from 'react';

interface ModalProps {
  open: boolean;
  title: string;
  /** Called when the dialog closes for any reason (Escape, a close button, the form). */
  onClose(): void;
  children: ReactNode;
  testId: string;
  className?: string;
}

/**
 * A native modal `<dialog>`: focus is trapped inside, Escape closes it, the rest of the page is
 * inert. The element marked `data-autofocus` gets focus on open; focus returns where it was.
 */
export function Modal({ open, title, onClose, children, testId, className }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog || !open) return;
    const returnTo = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // Give focus back unless the user already moved it somewhere else.
      const focused = document.activeElement;
      if (!focused || focused === document.body || dialog.contains(focused)) returnTo?.focus();
    };
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={className ? `modal ${className}` : 'modal'}
      aria-labelledby={titleId}
      data-testid={testId}
      onClose={onClose}
    >
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {open && children}
    </dialog>
  );
}
