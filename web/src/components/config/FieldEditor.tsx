import { lazy, Suspense, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { formatFieldValue, parseFieldInput, validateStoredValue } from '../../catalogue/fieldValues';
import type { FieldSpec } from '../../catalogue/types';
import type { CompletionScope, ExpressionProblem } from '../../expressions/language';

// CodeMirror loads with the first expression field, not with the page.
const ExpressionEditor = lazy(() => import('../../expressions/ExpressionEditor').then((m) => ({ default: m.ExpressionEditor })));

export const sameValue = (a: unknown, b: unknown) => Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);

interface FieldEditorProps {
  field: FieldSpec;
  value: unknown;
  /** `undefined` removes the key from the node's data. */
  onCommit(value: unknown): void;
  onBlur?(): void;
  /** Completion and the server's parse check for expression fields. */
  expression?: ExpressionHelp;
  /** What the server's workflow check says about this field (required, bad expression, wrong type). */
  problem?: string;
  /** A field of a "one of these is required" group none of whose fields is set. */
  groupRequired?: boolean;
}

export interface ExpressionHelp {
  scope(): CompletionScope;
  check?(text: string): Promise<ExpressionProblem | undefined>;
}

/**
 * One configuration field, chosen by the catalogue's field type. Text is validated as it is
 * typed; only valid values reach the node, so the payload never holds half-typed numbers.
 */
export function FieldEditor({ field, value, onCommit, onBlur, expression, problem, groupRequired }: FieldEditorProps) {
  const inputId = useId();
  const helpId = useId();
  const errorId = useId();
  const [text, setText] = useState(() => formatFieldValue(field, value));
  const [error, setError] = useState<string | undefined>(() => validateStoredValue(field, value));
  const committed = useRef(value);

  // A change from outside (undo, redo, raw JSON edit) replaces whatever is being typed.
  useEffect(() => {
    if (sameValue(value, committed.current)) return;
    committed.current = value;
    setText(formatFieldValue(field, value));
    setError(validateStoredValue(field, value));
  }, [value, field]);

  const commit = (next: unknown) => {
    committed.current = next;
    onCommit(next);
  };

  const onText = (next: string) => {
    setText(next);
    const parsed = parseFieldInput(field, next);
    if (!parsed.ok) {
      setError(parsed.message);
      return;
    }
    const nextValue = parsed.unset ? undefined : parsed.value;
    setError(validateStoredValue(field, nextValue));
    commit(nextValue);
  };

  // The live parse check's last answer, with the text it was about: shown only while that is still
  // the text, so a fixed expression loses its error at the first keystroke, not after the next answer.
  const [parsed, setParsed] = useState<{ problem: ExpressionProblem | undefined; text: string } | undefined>();
  const parseProblem = parsed && parsed.text === text ? parsed.problem : undefined;
  // Local typing errors first, then the live parse check, then the server's last workflow check.
  const shownError = error ?? (parseProblem ? `${parseProblem.message}${parseProblem.column ? ` (column ${parseProblem.column})` : ''}` : undefined) ?? problem;
  const required = field.required || groupRequired === true;
  const describedBy = [field.description ? helpId : '', shownError ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id: inputId,
    'aria-label': field.label,
    'aria-invalid': shownError ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': required || undefined,
    'data-testid': `field-${field.name}`,
    onBlur,
  };
  const defaultHint = field.default !== null && field.default !== undefined ? `default: ${formatFieldValue(field, field.default)}` : undefined;

  let control;
  if (field.options) {
    const current = typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);
    const options = current !== '' && !field.options.includes(current) ? [...field.options, current] : field.options;
    control = (
      <select
        {...common}
        className="input"
        value={current}
        onChange={(e) => {
          const next = e.target.value === '' ? undefined : e.target.value;
          setError(validateStoredValue(field, next));
          commit(next);
        }}
      >
        {(current === '' || !field.required) && <option value="">{field.required ? '— choose —' : `(not set${defaultHint ? `, ${defaultHint}` : ''})`}</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  } else if (field.type === 'boolean') {
    const checked = typeof value === 'boolean' ? value : field.default === true;
    control = (
      <span className="checkbox-row">
        <input
          {...common}
          type="checkbox"
          checked={checked}
          onChange={(e) => {
            setError(undefined);
            commit(e.target.checked);
          }}
        />
        {value === undefined && <span className="muted">(not set{defaultHint ? `, ${defaultHint}` : ''})</span>}
      </span>
    );
  } else if (field.type === 'string_array') {
    control = <TagListEditor common={common} tags={Array.isArray(value) ? value.map(String) : []} onChange={(tags) => {
      const next = tags.length === 0 && !field.required ? undefined : tags;
      setError(validateStoredValue(field, next));
      commit(next);
    }} />;
  } else if (field.type === 'expression' && expression) {
    control = (
      <Suspense fallback={<textarea className="input mono" rows={2} value={text} readOnly aria-label={`${field.label} (loading the editor)`} />}>
      <ExpressionEditor
        id={inputId}
        value={text}
        label={field.label}
        testId={`field-${field.name}`}
        placeholder="e.g. input > 10"
        invalid={!!shownError}
        describedBy={describedBy}
        onChange={onText}
        onBlur={onBlur}
        scope={expression.scope}
        check={expression.check}
        onProblem={(problem, checkedText) => setParsed({ problem, text: checkedText })}
      />
      </Suspense>
    );
  } else if (field.type === 'expression' || field.type === 'array' || field.type === 'object' || field.type === 'any') {
    control = (
      <textarea
        {...common}
        className="input mono"
        rows={field.type === 'expression' ? 2 : 4}
        spellCheck={false}
        value={text}
        placeholder={field.type === 'expression' ? 'e.g. input > 10' : defaultHint ?? 'JSON value'}
        onChange={(e) => onText(e.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        className={`input${field.type === 'duration' ? ' mono' : ''}`}
        type="text"
        inputMode={field.type === 'number' ? 'decimal' : field.type === 'integer' ? 'numeric' : undefined}
        value={text}
        placeholder={field.type === 'duration' ? 'e.g. 500ms, 2s, 1m30s' : defaultHint}
        onChange={(e) => onText(e.target.value)}
      />
    );
  }

  return (
    <div className={`field field-${field.type}${shownError ? ' has-error' : ''}${required && (value === undefined || value === '') ? ' is-missing' : ''}`} data-testid={`field-box-${field.name}`}>
      <label htmlFor={inputId} className="field-label">
        {field.label}
        {required && (
          <span className="required" aria-hidden="true" title={groupRequired && !field.required ? 'One of the fields of its group is required' : 'Required'}>
            {' '}*
          </span>
        )}
        <span className="field-type">{field.type.replace('_', ' ')}</span>
      </label>
      {control}
      {field.description && (
        <p id={helpId} className="field-help">
          {field.description}
        </p>
      )}
      {shownError && (
        <p id={errorId} className="field-error" role="alert" data-testid={`field-error-${field.name}`}>
          {shownError}
        </p>
      )}
    </div>
  );
}

function TagListEditor({ common, tags, onChange }: { common: Record<string, unknown>; tags: string[]; onChange(tags: string[]): void }) {
  const [draft, setDraft] = useState('');
  const add = () => {
    const parts = draft.split(',').map((s) => s.trim()).filter(Boolean);
    if (parts.length === 0) return;
    onChange([...tags, ...parts]);
    setDraft('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || e.key === ',') {
      e.preventDefault();
      add();
    } else if (e.key === 'Backspace' && draft === '' && tags.length > 0) {
      onChange(tags.slice(0, -1));
    }
  };
  return (
    <div className="tag-list">
      {tags.map((tag, i) => (
        <span key={`${tag}-${i}`} className="tag">
          {tag}
          <button type="button" className="tag-remove" aria-label={`Remove ${tag}`} onClick={() => onChange(tags.filter((_, j) => j !== i))}>
            ×
          </button>
        </span>
      ))}
      <input {...common} className="tag-input" value={draft} placeholder="Add, then Enter" onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} onBlur={add} />
    </div>
  );
}
