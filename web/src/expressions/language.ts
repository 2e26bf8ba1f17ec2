import { autocompletion, type Completion, type CompletionContext, type CompletionResult } from '@codemirror/autocomplete';
import { HighlightStyle, StreamLanguage, syntaxHighlighting, type StringStream } from '@codemirror/language';
import { linter, type Diagnostic } from '@codemirror/lint';
import type { Extension } from '@codemirror/state';
import { tags } from '@lezer/highlight';
import type { ExpressionCallable } from '../api/types';

/**
 * The expression language (docs/expressions.md) for CodeMirror: highlighting by a small
 * tokenizer, completion from the server's catalogue and the graph, and parse errors from the
 * server's checker.
 */

const KEYWORDS = new Set(['true', 'false', 'null']);
const ROOTS = new Set(['input', 'item', 'index', 'items', 'accumulator', 'node', 'variables', 'context']);

interface TokenState {
  afterDot: boolean;
}

/** Token kinds follow the engine's lexer: strings in ' or ", numbers, operators, names. */
export const expressionLanguage = StreamLanguage.define<TokenState>({
  name: 'thaiyyal-expression',
  startState: () => ({ afterDot: false }),
  token(stream: StringStream, state: TokenState): string | null {
    if (stream.eatSpace()) return null;
    const afterDot = state.afterDot;
    state.afterDot = false;
    const ch = stream.peek();
    if (ch === '"' || ch === "'") {
      stream.next();
      while (!stream.eol()) if (stream.next() === ch) break;
      return 'string';
    }
    if (stream.match(/^(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/)) return 'number';
    if (stream.match(/^[A-Za-z_$][\w$]*/)) {
      const word = stream.current();
      if (stream.peek() === '(') return afterDot ? 'propertyName' : 'function';
      if (afterDot) return 'propertyName';
      if (KEYWORDS.has(word)) return 'atom';
      if (ROOTS.has(word)) return 'variableName.special';
      return 'variableName';
    }
    if (stream.eat('.')) {
      state.afterDot = true;
      return 'punctuation';
    }
    if (stream.match(/^(==|!=|<=|>=|&&|\|\||[-+*/%<>!?:])/)) return 'operator';
    if (stream.match(/^[()[\],]/)) return 'bracket';
    stream.next();
    return 'invalid';
  },
  tokenTable: {
    'variableName.special': tags.special(tags.variableName),
    function: tags.function(tags.variableName),
  },
});

const highlight = HighlightStyle.define([
  { tag: tags.string, class: 'cm-x-string' },
  { tag: tags.number, class: 'cm-x-number' },
  { tag: tags.atom, class: 'cm-x-atom' },
  { tag: tags.operator, class: 'cm-x-operator' },
  { tag: tags.function(tags.variableName), class: 'cm-x-function' },
  { tag: tags.special(tags.variableName), class: 'cm-x-root' },
  { tag: tags.propertyName, class: 'cm-x-property' },
  { tag: tags.invalid, class: 'cm-x-invalid' },
]);

/** What completion may offer in one field. */
export interface CompletionScope {
  functions: readonly ExpressionCallable[];
  methods: readonly ExpressionCallable[];
  /** Ids of the nodes upstream of this one, for `node.<id>`. */
  upstream: readonly { id: string; title: string }[];
  /** Names bound in this field (`input`, `item`, `index`, …). */
  bound: readonly string[];
  /** Variable names set by `variable` nodes of the workflow. */
  variables: readonly string[];
}

const callableOption = (c: ExpressionCallable, type: 'function' | 'method'): Completion => ({
  label: `${c.name}(`,
  apply: `${c.name}(`,
  detail: c.signature,
  info: c.description || undefined,
  type,
});

/** Completion: after `node.` the upstream ids, after `variables.` the variable names, after another `.` the methods, else functions and bound names. */
export function completeExpression(scope: () => CompletionScope) {
  return (context: CompletionContext): CompletionResult | null => {
    const s = scope();
    const path = context.matchBefore(/[A-Za-z_$][\w$]*\.[\w$]*$/);
    if (path) {
      const dot = path.text.indexOf('.');
      const root = path.text.slice(0, dot);
      const from = path.from + dot + 1;
      const before = context.state.sliceDoc(Math.max(0, path.from - 1), path.from);
      const isRoot = before !== '.' && before !== ']' && before !== ')';
      if (isRoot && root === 'node') {
        return { from, options: s.upstream.map((n) => ({ label: n.id, detail: n.title, type: 'variable' })), validFor: /^[\w$-]*$/ };
      }
      if (isRoot && root === 'variables') {
        return { from, options: s.variables.map((v) => ({ label: v, type: 'variable' })), validFor: /^[\w$]*$/ };
      }
      return { from, options: s.methods.map((m) => callableOption(m, 'method')), validFor: /^[\w$]*$/ };
    }
    const afterAccess = context.matchBefore(/[)\]]\.[\w$]*$/);
    if (afterAccess) {
      return { from: afterAccess.from + 2, options: s.methods.map((m) => callableOption(m, 'method')), validFor: /^[\w$]*$/ };
    }
    const word = context.matchBefore(/[A-Za-z_$][\w$]*$/);
    if (!word && !context.explicit) return null;
    const options: Completion[] = [
      ...s.functions.map((f) => callableOption(f, 'function')),
      ...s.bound.map((name) => ({ label: name, type: 'variable', detail: 'bound here' })),
      { label: 'node.', type: 'namespace', detail: 'an upstream node’s result' },
      { label: 'variables.', type: 'namespace', detail: 'workflow variables' },
      { label: 'context.', type: 'namespace', detail: 'context values' },
      { label: 'true', type: 'keyword' },
      { label: 'false', type: 'keyword' },
      { label: 'null', type: 'keyword' },
    ];
    return { from: word ? word.from : context.pos, options, validFor: /^[\w$]*$/ };
  };
}

/** A parse problem as the server reports it (1-based column). */
export interface ExpressionProblem {
  message: string;
  column?: number;
}

/** Marks the server's parse error in the text; `check` resolves undefined when the text parses. */
export function expressionLinter(
  check: (text: string) => Promise<ExpressionProblem | undefined>,
  /** Told the answer and the text it is about (the user may have typed on meanwhile). */
  onResult?: (problem: ExpressionProblem | undefined, text: string) => void,
) {
  return linter(
    async (view): Promise<Diagnostic[]> => {
      const text = view.state.doc.toString();
      if (text.trim() === '') {
        onResult?.(undefined, text);
        return [];
      }
      let problem: ExpressionProblem | undefined;
      try {
        problem = await check(text);
      } catch {
        return []; // the checker is unreachable: the run reports problems instead
      }
      onResult?.(problem, text);
      if (!problem) return [];
      const length = view.state.doc.length;
      const from = Math.min(Math.max((problem.column ?? 1) - 1, 0), length);
      const to = Math.min(from + 1, length);
      return [{ from: from === length && from > 0 ? from - 1 : from, to: Math.max(to, from), severity: 'error', message: problem.message }];
    },
    { delay: 300 },
  );
}

/** Highlighting and completion; the linter is added by the editor that owns the checker. */
export function expressionSupport(scope: () => CompletionScope): Extension {
  return [
    expressionLanguage,
    syntaxHighlighting(highlight),
    autocompletion({ override: [completeExpression(scope)], activateOnTyping: true, icons: false }),
  ];
}
