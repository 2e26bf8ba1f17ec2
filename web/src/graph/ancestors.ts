import type { WorkflowEdge, WorkflowNode } from './model';

/**
 * The nodes a node depends on: everything upstream along edges, plus its enclosing scopes and
 * what they depend on. Used for `node.<id>` completion and "run to here".
 */
export function ancestorsOf(nodeId: string, nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[]): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const e of edges) incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
  const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const next = [...(incoming.get(id) ?? [])];
    const parent = parentOf.get(id);
    if (parent) next.push(parent);
    for (const s of next) {
      if (s === nodeId || seen.has(s)) continue;
      seen.add(s);
      stack.push(s);
    }
  }
  return seen;
}

/**
 * The part of the workflow that must run for `nodeId` to produce its result: the node, its
 * ancestors, and the whole body of every scope among them (a loop runs with its body).
 */
export function subgraphUpTo(nodeId: string, nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[]): { nodes: WorkflowNode[]; edges: WorkflowEdge[] } {
  const keep = ancestorsOf(nodeId, nodes, edges);
  keep.add(nodeId);
  // Bodies of kept scopes come along, innermost included.
  let grew = true;
  while (grew) {
    grew = false;
    for (const n of nodes) {
      if (n.parentId && keep.has(n.parentId) && !keep.has(n.id)) {
        keep.add(n.id);
        grew = true;
      }
    }
  }
  // A kept body node's own ancestors are needed too.
  for (const id of [...keep]) for (const a of ancestorsOf(id, nodes, edges)) keep.add(a);
  return {
    nodes: nodes.filter((n) => keep.has(n.id)),
    edges: edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
  };
}
