import type { NodeSpec } from '../catalogue/types';
import type { Graph, WorkflowEdge } from './model';

/**
 * Input order. The engine hands a node its inputs in the order the payload lists the edges
 * (`operation`'s left operand is the first). Nodes with a fixed number of inputs above one get
 * numbered handles (`in-1`, `in-2`, …); the payload lists each node's edges by that number,
 * whatever order they were drawn in. Nodes with any number of inputs keep a reorderable list.
 */

const SLOT = /^in-(\d+)$/;

export const inputHandleId = (slot: number) => `in-${slot}`;

/** The 1-based input number a handle id stands for, if it is a numbered handle. */
export function inputSlot(handle: string | null | undefined): number | undefined {
  const m = handle ? SLOT.exec(handle) : null;
  return m ? Number(m[1]) : undefined;
}

/** How many numbered input handles a node type gets (0: one plain handle). */
export function numberedInputCount(spec: NodeSpec | undefined): number {
  return spec && typeof spec.max_inputs === 'number' && spec.max_inputs > 1 ? spec.max_inputs : 0;
}

/** Whether the order of a node's inputs matters enough to show it (more than one input allowed). */
export function hasOrderedInputs(spec: NodeSpec | undefined): boolean {
  return !!spec && (spec.max_inputs === null || spec.max_inputs > 1);
}

/** A node's incoming edges in input order: numbered handles by number, others where they stand. */
export function orderedInputEdges<E extends WorkflowEdge>(edges: readonly E[], target: string): E[] {
  return inInputOrder(edges.filter((e) => e.target === target));
}

/** Every node's incoming edges in input order, in one pass over the edges (keyed by target). */
export function inputEdgesByTarget<E extends WorkflowEdge>(edges: readonly E[]): Map<string, E[]> {
  const incoming = new Map<string, E[]>();
  for (const e of edges) {
    const list = incoming.get(e.target);
    if (list) list.push(e);
    else incoming.set(e.target, [e]);
  }
  for (const [target, list] of incoming) incoming.set(target, inInputOrder(list));
  return incoming;
}

function inInputOrder<E extends WorkflowEdge>(incoming: readonly E[]): E[] {
  return incoming
    .map((edge, position) => ({ edge, key: inputSlot(edge.targetHandle) ?? position + 1, position }))
    .sort((a, b) => a.key - b.key || a.position - b.position)
    .map((x) => x.edge);
}

/** The edges with every node's inputs listed in input order, each node's edges staying in the places they held. */
export function edgesInInputOrder<E extends WorkflowEdge>(edges: readonly E[]): E[] {
  if (!edges.some((e) => inputSlot(e.targetHandle) !== undefined)) return [...edges];
  const ordered = inputEdgesByTarget(edges);
  const taken = new Map<string, number>();
  return edges.map((e) => {
    const i = taken.get(e.target) ?? 0;
    taken.set(e.target, i + 1);
    return ordered.get(e.target)![i];
  });
}

/** Moves one input up or down; numbered handles are renumbered to follow the new order. */
export function moveInput(graph: Graph, nodeId: string, edgeId: string, delta: -1 | 1, numbered: boolean): Graph {
  const ordered = orderedInputEdges(graph.edges, nodeId);
  const from = ordered.findIndex((e) => e.id === edgeId);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= ordered.length) return graph;
  [ordered[from], ordered[to]] = [ordered[to], ordered[from]];
  const renumbered = ordered.map((e, i) => (numbered ? { ...e, targetHandle: inputHandleId(i + 1) } : e));
  let i = 0;
  return { nodes: graph.nodes, edges: graph.edges.map((e) => (e.target === nodeId ? renumbered[i++] : e)) };
}

/**
 * How many inputs a node receives: its wires, or, for an entry node of a scope's body (inside a
 * box, nothing wired in), the one value the scope hands it (the current item of a loop).
 */
export function inputsReceived(wired: number, insideScope: boolean): number {
  return insideScope && wired === 0 ? 1 : wired;
}
