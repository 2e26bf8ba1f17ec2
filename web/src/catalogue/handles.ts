import type { NodeSpec } from './types';

/** One output handle as drawn on a node card. */
export interface OutputHandle {
  /** React Flow handle id; `null` is the unnamed output (edges carry `sourceHandle: null`). */
  id: string | null;
  label: string;
}

/** A `switch` case as stored in the node's data. */
export interface SwitchCase {
  when?: string;
  output_path?: string;
  is_default?: boolean;
  [key: string]: unknown;
}

export const UNNAMED_OUTPUT: OutputHandle = { id: null, label: 'output' };

/**
 * The handle a switch case routes to. Matches the engine: the default case's result carries
 * its `output_path` or "default"; a non-default case without `output_path` gets the
 * original editor's `case_<index>` name (it never matches, and validation reports it).
 */
export function switchCaseHandleId(c: SwitchCase, index: number): string {
  const path = typeof c.output_path === 'string' ? c.output_path : '';
  if (path !== '') return path;
  return c.is_default ? 'default' : `case_${index}`;
}

export function switchCases(data: Record<string, unknown> | undefined): SwitchCase[] {
  const cases = data?.cases;
  return Array.isArray(cases) ? cases.filter((c): c is SwitchCase => !!c && typeof c === 'object') : [];
}

/**
 * The output handles of a node: the catalogue's fixed list, or one per case for nodes with
 * dynamic outputs. Unknown node types get the single unnamed output.
 */
export function outputHandlesFor(spec: NodeSpec | undefined, data: Record<string, unknown> | undefined): OutputHandle[] {
  if (!spec) return [UNNAMED_OUTPUT];
  if (spec.dynamic_outputs) {
    const seen = new Set<string>();
    const handles: OutputHandle[] = [];
    switchCases(data).forEach((c, i) => {
      const id = switchCaseHandleId(c, i);
      if (seen.has(id)) return; // duplicate paths share one handle, as they route identically
      seen.add(id);
      handles.push({ id, label: c.is_default && id !== 'default' ? `${id} (default)` : id });
    });
    return handles;
  }
  return spec.outputs.map((o) => ({ id: o.id, label: o.label }));
}

/** A fresh output path name that no case of the switch uses yet. */
export function uniqueCasePath(cases: SwitchCase[], base = 'case'): string {
  const used = new Set(cases.map((c, i) => switchCaseHandleId(c, i)));
  for (let n = 1; ; n++) {
    const candidate = `${base}_${n}`;
    if (!used.has(candidate)) return candidate;
  }
}

/** The first rule a case list breaks (the server's decode checks), or `undefined`. */
export function switchCasesProblem(cases: SwitchCase[]): string | undefined {
  if (cases.length === 0) return 'A switch needs at least one case.';
  const defaults = cases.filter((c) => c.is_default === true).length;
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i];
    if (c.is_default === true && i !== cases.length - 1) return 'The default case must be the last case.';
    if (c.is_default !== true && (typeof c.output_path !== 'string' || c.output_path === '')) {
      return `Case ${i + 1} needs an output path.`;
    }
  }
  if (defaults !== 1) return `A switch needs exactly one default case (found ${defaults}).`;
  return undefined;
}
