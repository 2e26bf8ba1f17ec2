import type { WorkflowPayload } from '../../graph/payload';
import { Modal } from '../Modal';

interface JsonDialogProps {
  payload: WorkflowPayload;
  onCopy(text: string): void;
  onExport(): void;
  onClose(): void;
}

/** The exact request payload the Run button sends. */
export function JsonDialog({ payload, onCopy, onExport, onClose }: JsonDialogProps) {
  const text = JSON.stringify(payload, null, 2);
  return (
    <Modal
      title="Workflow payload"
      onClose={onClose}
      testId="json-dialog"
      wide
      footer={
        <>
          <span className="muted">
            {payload.nodes.length} nodes · {payload.edges.length} connections
          </span>
          <span className="spacer" />
          <button type="button" className="button" onClick={() => onCopy(text)} aria-label="Copy payload to clipboard">
            Copy
          </button>
          <button type="button" className="button button-primary" onClick={onExport} aria-label="Export payload as a file">
            Export
          </button>
        </>
      }
    >
      <pre className="mono json-block json-dialog-text" data-testid="json-dialog-text" tabIndex={0} aria-label="Payload JSON">
        {text}
      </pre>
    </Modal>
  );
}
