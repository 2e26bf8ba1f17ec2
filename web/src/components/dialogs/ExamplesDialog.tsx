import { useState } from 'react';
import { EXAMPLES, searchExamples, type WorkflowExample } from '../../examples';
import { Modal } from '../Modal';

interface ExamplesDialogProps {
  onPick(example: WorkflowExample): void;
  onClose(): void;
}

/** The gallery of built-in examples, grouped by the node family each one shows. */
export function ExamplesDialog({ onPick, onClose }: ExamplesDialogProps) {
  const [query, setQuery] = useState('');
  const shown = searchExamples(query);
  return (
    <Modal title="Examples" onClose={onClose} testId="examples-dialog" wide>
      <input
        type="search"
        className="input"
        placeholder="Search examples…"
        aria-label="Search examples"
        data-testid="examples-search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <p className="muted">
        Showing {shown.length} of {EXAMPLES.length} examples. Opening one replaces the canvas.
      </p>
      {shown.length === 0 && <p className="muted">No examples match “{query}”.</p>}
      <ul className="example-grid" aria-label="Examples">
        {shown.map((x) => (
          <li key={x.id}>
            <button type="button" className="example-card" onClick={() => onPick(x)} aria-label={`Open example: ${x.title}`} data-testid={`example-${x.id}`}>
              <span className="example-category">{x.category}</span>
              <span className="example-title">{x.title}</span>
              <span className="example-description">{x.description}</span>
              <span className="example-tags">
                {x.tags.map((t) => (
                  <span key={t} className="tag">
                    {t}
                  </span>
                ))}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
