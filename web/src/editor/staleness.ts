import type { WorkflowEdge, WorkflowNode } from '../graph/model';

/** What a node's result depends on directly: its type and data, and its inputs in order. */
export function nodeSignatures(nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[]): Map<string, string> {
  const inputs = new Map<string, string[]>();
  for (const e of edges) inputs.set(e.target, [...(inputs.get(e.target) ?? []), `${e.source}:${e.sourceHandle ?? ''}:${e.targetHandle ?? ''}`]);
  return new Map(nodes.map((n) => [n.id, JSON.stringify([n.data.type ?? null, n.data.config, n.parentId ?? null, inputs.get(n.id) ?? []])]));
}

/**
 * Nodes whose last result no longer matches the graph: changed since the run, or downstream of
 * (or inside) something that changed. Labels count as changes too: they are cheap to re-run.
 */
export function staleNodes(ran: ReadonlyMap<string, string> | undefined, nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[]): Set<string> {
  const stale = new Set<string>();
  if (!ran) return stale;
  const now = nodeSignatures(nodes, edges);
  for (const [id, signature] of now) if (ran.has(id) && ran.get(id) !== signature) stale.add(id);
  for (const id of ran.keys()) if (!now.has(id)) stale.add(id);
  if (stale.size === 0) return stale;
  const outgoing = new Map<string, string[]>();
  for (const e of edges) outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
  const children = new Map<string, string[]>();
  for (const n of nodes) if (n.parentId) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n.id]);
  const parentOf = new Map(nodes.map((n) => [n.id, n.parentId]));
  const stack = [...stale];
  while (stack.length > 0) {
    const id = stack.pop()!;
    const next = [...(outgoing.get(id) ?? []), ...(children.get(id) ?? [])];
    const parent = parentOf.get(id);
    if (parent) next.push(parent); // a changed body changes its loop's result
    for (const t of next) {
      if (!stale.has(t) && ran.has(t)) {
        stale.add(t);
        stack.push(t);
      }
    }
  }
  return stale;
}
