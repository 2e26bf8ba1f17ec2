import type { ScopeIterations } from '../editor/iterations';
import type { WorkflowPayload } from '../graph/payload';

/** Pinned outputs by node id: the node does not run, the value is its result. */
export type Pins = Record<string, unknown>;

/** The payload field that carries pins to the execute API (docs/operations.md, "Pinned results"). */
export const PINNED_RESULTS_FIELD = 'pinned_results';

/** The payload with the pins of its own nodes attached (pins of deleted nodes are dropped). */
export function withPins(payload: WorkflowPayload, pins: Pins): WorkflowPayload {
  const ids = new Set(payload.nodes.map((n) => n.id));
  const kept = Object.fromEntries(Object.entries(pins).filter(([id]) => ids.has(id)));
  const rest = { ...payload };
  delete rest[PINNED_RESULTS_FIELD];
  return Object.keys(kept).length === 0 ? rest : { ...rest, [PINNED_RESULTS_FIELD]: kept };
}

/** What "save as test" needs to know about a finished run. */
export interface FinishedRun {
  /** The payload as sent, pins included. */
  payload: WorkflowPayload;
  /** When the run was started: the test case reads this as its clock. */
  startedAt: Date;
  success: boolean;
  /** Results of the top-level nodes that ran (partial on failure). */
  nodeResults: Record<string, unknown>;
  finalOutput?: unknown;
  /** The failure message (`details` of the failure body) when the run failed. */
  error?: string;
  /** Results of nodes inside scopes, per iteration, by scope node id (live runs and runs from the history). */
  iterations?: ReadonlyMap<string, ScopeIterations>;
}

/** A `*.thaiyyal-test.json` document (docs/testing-workflows.md). */
export interface TestFileDocument {
  workflow: WorkflowPayload;
  now: string;
  cases: TestCaseDocument[];
}

export interface TestCaseDocument {
  name: string;
  pin?: Pins;
  /** Per-iteration results of `http` nodes inside top-level loop bodies. */
  pin_iterations?: Record<string, unknown[]>;
  expect: Record<string, unknown>;
}

/**
 * What an `http` node inside the body of a top-level loop returned in each iteration, or undefined when that is not
 * known for every iteration (a failed or skipped iteration, iterations beyond what the history recorded, nested loops).
 */
function resultsByIteration(node: WorkflowPayload['nodes'][number], run: FinishedRun, parents: ReadonlyMap<string, string | undefined>): unknown[] | undefined {
  const scopeId = node.parentId;
  if (!scopeId || parents.get(scopeId) || !run.iterations) return undefined;
  const scope = run.iterations.get(scopeId);
  if (!scope || scope.count === 0) return undefined;
  // A for_each answers one result per item: when it says more items than were recorded, the record is cut short.
  const scopeResult = run.nodeResults[scopeId];
  if (Array.isArray(scopeResult) && scopeResult.length !== scope.count) return undefined;
  const results: unknown[] = [];
  for (let i = 0; i < scope.count; i++) {
    const info = scope.byIteration.get(i)?.get(node.id);
    if (info?.status !== 'succeeded') return undefined;
    results.push(info.result);
  }
  return results;
}

/**
 * A test file that replays the run: the workflow inline (node data as it ran), every pin the run had plus a pin
 * for each top-level `http` node with the result it gave (and, per iteration, for each `http` node in the body of
 * a top-level loop), so the test never reaches the network; and the run's
 * results as expectations (each node that ran, the final output and the nodes that were skipped), or, for a
 * failed run, its error.
 */
export function buildTestFile(run: FinishedRun, caseName: string): TestFileDocument {
  const { [PINNED_RESULTS_FIELD]: sentPins, ...workflow } = run.payload;
  const pins: Pins = { ...((sentPins as Pins | undefined) ?? {}) };
  const topLevel = run.payload.nodes.filter((n) => !n.parentId);
  for (const node of topLevel) {
    if (node.type === 'http' && node.id in run.nodeResults && !(node.id in pins)) pins[node.id] = run.nodeResults[node.id];
  }
  const parents = new Map(run.payload.nodes.map((n) => [n.id, n.parentId]));
  const pinIterations: Record<string, unknown[]> = {};
  for (const node of run.payload.nodes) {
    if (node.type !== 'http' || !node.parentId || node.id in pins) continue;
    const results = resultsByIteration(node, run, parents);
    if (results) pinIterations[node.id] = results;
  }
  const expect: Record<string, unknown> = {};
  if (run.success) {
    for (const node of topLevel) {
      if (node.id in run.nodeResults && !(node.id in pins)) expect[`node.${node.id}`] = run.nodeResults[node.id];
    }
    expect.final_output = run.finalOutput ?? null;
    const skipped = topLevel.filter((n) => !(n.id in run.nodeResults) && !(n.id in pins)).map((n) => n.id);
    if (skipped.length > 0) expect.skipped = skipped;
  } else {
    expect.error_contains = run.error ?? 'error';
  }
  const testCase: TestCaseDocument = { name: caseName, expect };
  if (Object.keys(pins).length > 0) testCase.pin = pins;
  if (Object.keys(pinIterations).length > 0) testCase.pin_iterations = pinIterations;
  return { workflow: workflow as WorkflowPayload, now: run.startedAt.toISOString(), cases: [testCase] };
}

/** `order-total.thaiyyal-test.json` from a workflow title. */
export function testFileName(title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${slug || 'workflow'}.thaiyyal-test.json`;
}
