import { useState } from 'react';
import { Modal } from '../Modal';

interface SaveDialogProps {
  initialName: string;
  initialDescription: string;
  onSave(name: string, description: string): void;
  onClose(): void;
}

/** Asked on the first save: the name and description stored on the server. */
export function SaveDialog({ initialName, initialDescription, onSave, onClose }: SaveDialogProps) {
  const [name, setName] = useState(initialName);
  const [description, setDescription] = useState(initialDescription);
  const valid = name.trim() !== '';
  return (
    <Modal
      title="Save workflow"
      onClose={onClose}
      testId="save-dialog"
      footer={
        <>
          <button type="button" className="button" onClick={onClose} aria-label="Cancel saving">
            Cancel
          </button>
          <button type="submit" form="save-form" className="button button-primary" disabled={!valid} aria-label="Save" data-testid="save-confirm">
            Save
          </button>
        </>
      }
    >
      <form
        id="save-form"
        className="save-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) onSave(name.trim(), description.trim());
        }}
      >
        <label className="field">
          <span className="field-label">Name</span>
          <input className="input" aria-label="Workflow name" data-testid="save-name-input" data-autofocus value={name} onChange={(e) => setName(e.target.value)} maxLength={200} />
        </label>
        {!valid && <p className="field-error">A name is required.</p>}
        <label className="field">
          <span className="field-label">Description</span>
          <textarea className="input" rows={3} aria-label="Workflow description" data-testid="save-description-input" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
        </label>
      </form>
    </Modal>
  );
}
