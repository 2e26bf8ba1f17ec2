import { useEffect, useId, useRef, useState } from 'react';
import { sameValue } from './FieldEditor';

interface RawDataEditorProps {
  value: Record<string, unknown>;
  onCommit(value: Record<string, unknown>): void;
  label: string;
  testId: string;
  rows?: number;
}

/** The node's whole `data` as JSON: the way to edit types the catalogue does not describe. */
export function RawDataEditor({ value, onCommit, label, testId, rows = 8 }: RawDataEditorProps) {
  const id = useId();
  const errorId = useId();
  const [text, setText] = useState(() => JSON.stringify(value, null, 2));
  const [error, setError] = useState<string>();
  const committed = useRef(value);

  useEffect(() => {
    if (sameValue(value, committed.current)) return;
    committed.current = value;
    setText(JSON.stringify(value, null, 2));
    setError(undefined);
  }, [value]);

  const onChange = (next: string) => {
    setText(next);
    let parsed: unknown;
    try {
      parsed = JSON.parse(next);
    } catch (e) {
      setError(`Invalid JSON: ${(e as Error).message}`);
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setError('The data must be a JSON object.');
      return;
    }
    setError(undefined);
    committed.current = parsed as Record<string, unknown>;
    onCommit(parsed as Record<string, unknown>);
  };

  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      <textarea
        id={id}
        className="input mono"
        rows={rows}
        spellCheck={false}
        aria-label={label}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        data-testid={testId}
        value={text}
        onChange={(e) => onChange(e.target.value)}
      />
      {error && (
        <p id={errorId} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
