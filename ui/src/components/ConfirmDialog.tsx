import { Modal } from './Modal.js';

interface ConfirmDialogProps {
  open: boolean;
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm(): void;
  onCancel(): void;
}

/** Asks before a destructive action. Cancel has focus, so Enter or Escape never destroys anything. */
export function ConfirmDialog({ open, title, message, confirmLabel, onConfirm, onCancel }: ConfirmDialogProps) {
  return (
    <Modal open={open} title={title} onClose={onCancel} testId="confirm-dialog">
      <p className="modal-text">{message}</p>
      <div className="modal-actions">
        <button type="button" data-autofocus="" data-testid="confirm-cancel" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="danger solid" data-testid="confirm-ok" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
