import { useState } from 'react';
import { Modal } from '../components/Modal';

interface PinOutputDialogProps {
  nodeTitle: string;
  /** The value to start from: the current pin, else the node's last result. */
  initial: unknown;
  pinned: boolean;
  onPin(value: unknown): void;
  onUnpin(): void;
  onClose(): void;
}

function parse(text: string): { value?: unknown; error?: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Edits a node's pinned output as JSON: runs from the editor use it instead of running the node. */
export function PinOutputDialog({ nodeTitle, initial, pinned, onPin, onUnpin, onClose }: PinOutputDialogProps) {
  const [text, setText] = useState(() => (initial === undefined ? '' : JSON.stringify(initial, null, 2)));
  const parsed = text.trim() === '' ? { error: 'Enter the output as JSON, e.g. {"price": 5}.' } : parse(text);
  return (
    <Modal
      title={`Pin output of “${nodeTitle}”`}
      onClose={onClose}
      testId="pin-dialog"
      footer={
        <>
          {pinned && (
            <button type="button" className="button button-danger" onClick={onUnpin} data-testid="pin-remove">
              Unpin
            </button>
          )}
          <button type="button" className="button" onClick={onClose} data-testid="pin-cancel">
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={parsed.error !== undefined} onClick={() => onPin(parsed.value)} data-testid="pin-save">
            Pin
          </button>
        </>
      }
    >
      <p className="muted">
        A pinned node does not run: runs from the editor use this value as its result, and “Save as test” pins it in the test.
      </p>
      <label className="field">
        <span className="field-label">Output (JSON)</span>
        <textarea
          className="input mono"
          rows={8}
          aria-label="Pinned output as JSON"
          data-testid="pin-value-input"
          data-autofocus
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {parsed.error !== undefined && text.trim() !== '' && (
        <p className="field-error" data-testid="pin-value-error">
          {parsed.error}
        </p>
      )}
    </Modal>
  );
}
