import { SHORTCUTS } from '../use-keyboard-shortcuts.js';
import { Modal } from './Modal.js';

/** The keyboard shortcuts (`?`), and the search grammar. */
export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <Modal open={open} title="Keyboard shortcuts" onClose={onClose} testId="shortcuts-dialog" className="shortcuts">
      <table className="shortcut-table">
        <tbody>
          {SHORTCUTS.map(([keys, action]) => (
            <tr key={action}>
              <td>
                {keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && ' '}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="modal-subtitle">Search</h3>
      <p className="modal-text">
        Words and <code>"quoted phrases"</code> match subject, addresses and text. Narrow with <code>from:</code>,{' '}
        <code>to:</code>, <code>subject:</code>, <code>is:unread</code>, <code>is:read</code>, <code>has:attachment</code>,{' '}
        <code>tag:name</code> (<code>tag:"two words"</code>), <code>is:tagged</code>; a
        leading <code>-</code> excludes (<code>-from:noreply</code>).
      </p>
      <div className="modal-actions">
        <button type="button" data-autofocus="" data-testid="shortcuts-close" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
