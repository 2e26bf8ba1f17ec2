import type { NodeRunInfo } from './useWorkflowRun';

/**
 * Per-iteration results of nodes inside a scope (for_each, while_loop, …). The engine reports
 * them as records carrying `node_id`, `scope_node_id` and a 0-based `iteration`, with the node's
 * `result` (or `output`/`value`) or its `error`. They may arrive in any array of the run's
 * `results` (e.g. its events); every such array is read, so the editor does not depend on its name.
 */
export interface ScopeIterations {
  /** Number of iterations seen (highest index + 1). */
  count: number;
  /** Iterations in which some body node failed, ascending. */
  failed: number[];
  byIteration: Map<number, Map<string, NodeRunInfo>>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function recordOf(v: unknown): { nodeId: string; scopeId: string; iteration: number; info: NodeRunInfo } | undefined {
  if (!isRecord(v)) return undefined;
  const nodeId = v.node_id;
  const scopeId = v.scope_node_id;
  const iteration = v.iteration;
  if (typeof nodeId !== 'string' || typeof scopeId !== 'string' || typeof iteration !== 'number' || !Number.isInteger(iteration) || iteration < 0) return undefined;
  const error = typeof v.error === 'string' ? v.error : isRecord(v.error) && typeof v.error.message === 'string' ? v.error.message : undefined;
  const failed = error !== undefined || v.status === 'failed' || v.type === 'node_failed';
  if (failed) return { nodeId, scopeId, iteration, info: { status: 'failed', message: error ?? 'failed' } };
  if (v.status === 'skipped' || v.type === 'node_skipped') return { nodeId, scopeId, iteration, info: { status: 'skipped' } };
  const result = 'result' in v ? v.result : 'output' in v ? v.output : v.value;
  // A "started" event carries no result: it says nothing about the outcome.
  if (!('result' in v) && !('output' in v) && !('value' in v)) return undefined;
  return { nodeId, scopeId, iteration, info: { status: 'succeeded', result } };
}

/** Collects the per-iteration records found in the run's results (top-level arrays, one level deep). */
export function collectIterations(results: unknown): Map<string, ScopeIterations> {
  const scopes = new Map<string, ScopeIterations>();
  if (!isRecord(results)) return scopes;
  const arrays: unknown[][] = [];
  for (const value of Object.values(results)) {
    if (Array.isArray(value)) arrays.push(value);
    else if (isRecord(value)) for (const inner of Object.values(value)) if (Array.isArray(inner)) arrays.push(inner);
  }
  for (const list of arrays) {
    for (const item of list) {
      const r = recordOf(item);
      if (!r) continue;
      let scope = scopes.get(r.scopeId);
      if (!scope) scopes.set(r.scopeId, (scope = { count: 0, failed: [], byIteration: new Map() }));
      scope.count = Math.max(scope.count, r.iteration + 1);
      let nodes = scope.byIteration.get(r.iteration);
      if (!nodes) scope.byIteration.set(r.iteration, (nodes = new Map()));
      nodes.set(r.nodeId, r.info);
      if (r.info.status === 'failed' && !scope.failed.includes(r.iteration)) scope.failed.push(r.iteration);
    }
  }
  for (const scope of scopes.values()) scope.failed.sort((a, b) => a - b);
  return scopes;
}

/** The iteration shown by default: the first failed one, else the last. */
export function defaultIteration(scope: ScopeIterations): number {
  return scope.failed[0] ?? Math.max(0, scope.count - 1);
}

/** What a body node shows: its result in the chosen iteration of its scope, else the run's own info. */
export function infoInIteration(
  nodeId: string,
  parentId: string | undefined,
  iterations: ReadonlyMap<string, ScopeIterations>,
  chosen: ReadonlyMap<string, number>,
  fallback: NodeRunInfo | undefined,
): NodeRunInfo | undefined {
  const scope = parentId ? iterations.get(parentId) : undefined;
  if (!scope) return fallback;
  const index = chosen.get(parentId!) ?? defaultIteration(scope);
  return scope.byIteration.get(index)?.get(nodeId) ?? fallback;
}
