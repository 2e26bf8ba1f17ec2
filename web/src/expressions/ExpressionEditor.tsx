import { closeBrackets } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder as placeholderText } from '@codemirror/view';
import { completionKeymap } from '@codemirror/autocomplete';
import { useEffect, useRef } from 'react';
import { expressionLinter, expressionSupport, type CompletionScope, type ExpressionProblem } from './language';

export interface ExpressionEditorProps {
  id?: string;
  value: string;
  label: string;
  testId: string;
  placeholder?: string;
  invalid?: boolean;
  describedBy?: string;
  onChange(text: string): void;
  onBlur?(): void;
  /** What completion offers; read when completion opens, so it is always current. */
  scope(): CompletionScope;
  /** Parses on the server; undefined when valid. Absent: no inline errors. */
  check?(text: string): Promise<ExpressionProblem | undefined>;
  /** The parse check's answer and the text it is about. */
  onProblem?(problem: ExpressionProblem | undefined, text: string): void;
}

/** A one-field CodeMirror 6 editor for the expression language: highlighting, completion and inline parse errors. */
export function ExpressionEditor(props: ExpressionEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const state = EditorState.create({
      doc: props.value,
      extensions: [
        history(),
        closeBrackets(),
        keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
        EditorView.lineWrapping,
        placeholderText(props.placeholder ?? ''),
        expressionSupport(() => latest.current.scope()),
        props.check ? expressionLinter((t) => latest.current.check!(t), (p, t) => latest.current.onProblem?.(p, t)) : [],
        EditorView.updateListener.of((u) => {
          if (u.docChanged) latest.current.onChange(u.state.doc.toString());
          if (u.focusChanged && !u.view.hasFocus) latest.current.onBlur?.();
        }),
        EditorView.contentAttributes.of({
          'aria-label': props.label,
          'data-testid': props.testId,
          ...(props.id ? { id: props.id } : {}),
        }),
      ],
    });
    const created = new EditorView({ state, parent: host.current! });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
    // The editor is created once per field; value changes from outside are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Undo, redo or a raw JSON edit replaces the text unless it already matches.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const current = v.state.doc.toString();
    if (current !== props.value) v.dispatch({ changes: { from: 0, to: current.length, insert: props.value } });
  }, [props.value]);

  return (
    <div
      ref={host}
      className={`expression-editor input mono${props.invalid ? ' is-invalid' : ''}`}
      aria-invalid={props.invalid || undefined}
      aria-describedby={props.describedBy}
      data-testid={`${props.testId}-editor`}
    />
  );
}
