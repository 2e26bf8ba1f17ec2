import { useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import type { CheckProblem } from '../api/types';
import type { WorkflowEdge, WorkflowNode } from '../graph/model';
import { graphToPayload } from '../graph/payload';

/** A problem of the server's check, with the value its field had when checked (when it names a field). */
export interface MarkedProblem extends CheckProblem {
  checkedValue?: unknown;
}

/**
 * Whether a problem still describes the node as it is: a field's problem goes as soon as the field
 * is changed (the next check, a moment later, says whether the new value is right); problems of the
 * node as a whole (its inputs) stay until checked again.
 */
export function stillApplies(problem: CheckProblem, config: Record<string, unknown>): boolean {
  if (!problem.field || !('checkedValue' in problem)) return true;
  const now = config[problem.field];
  const then = (problem as MarkedProblem).checkedValue;
  return Object.is(now, then) || JSON.stringify(now) === JSON.stringify(then);
}

/** How long typing must pause before the workflow is checked again. */
export const CHECK_DELAY_MS = 400;

export interface WorkflowCheck {
  /** Problems by node id (graph-wide problems under ""). */
  byNode: ReadonlyMap<string, CheckProblem[]>;
  problems: readonly CheckProblem[];
  /** The text last checked, so a run can tell whether the marks are current. */
  checkedKey: string;
}

const NONE: WorkflowCheck = { byNode: new Map(), problems: [], checkedKey: '' };

/**
 * Checks the workflow on the server while the user edits (debounced): every problem tied to its
 * node and field, before any run. Moving nodes does not trigger a check (positions are left out).
 */
export function useWorkflowCheck(api: ApiClient, nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[]): WorkflowCheck {
  const [result, setResult] = useState<WorkflowCheck>(NONE);
  const lastKey = useRef('');
  // The newest text sent: an answer for an older one is dropped. Requests are not aborted when
  // the graph changes again (nodes are re-measured all the time), only superseded.
  const newestKey = useRef('');

  useEffect(() => {
    if (!api.check) return;
    const timer = window.setTimeout(async () => {
      const payload = graphToPayload(nodes, edges);
      for (const n of payload.nodes) {
        delete n.position;
        delete n.width;
        delete n.height;
      }
      const key = JSON.stringify(payload);
      if (key === lastKey.current || key === newestKey.current) return;
      newestKey.current = key;
      if (payload.nodes.length === 0) {
        lastKey.current = key;
        setResult(NONE);
        return;
      }
      try {
        const body = await api.check!(payload);
        if (newestKey.current !== key) return;
        lastKey.current = key;
        const checked = new Map(payload.nodes.map((n) => [n.id, n.data ?? {}]));
        const byNode = new Map<string, MarkedProblem[]>();
        for (const p of body.errors) {
          const id = p.node_id ?? '';
          const data = checked.get(id);
          const marked: MarkedProblem = p.field && data ? { ...p, checkedValue: data[p.field] } : p;
          byNode.set(id, [...(byNode.get(id) ?? []), marked]);
        }
        setResult({ byNode, problems: body.errors, checkedKey: key });
      } catch {
        // Unreachable checker: keep the last marks; Run still validates.
        if (newestKey.current === key) newestKey.current = '';
      }
    }, CHECK_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [api, nodes, edges]);

  return useMemo(() => result, [result]);
}
