import type { XYPosition } from '@xyflow/react';
import type { WorkflowNode } from './model';

/**
 * React Flow needs a parent before its children in the node array. Stable: nodes already in
 * a valid order keep it, so a payload's order survives a round trip.
 */
export function sortParentsFirst<T extends { id: string; parentId?: string }>(nodes: readonly T[]): T[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const placed = new Set<string>();
  const result: T[] = [];
  const visiting = new Set<string>();
  const place = (node: T) => {
    if (placed.has(node.id) || visiting.has(node.id)) return;
    visiting.add(node.id);
    const parent = node.parentId ? byId.get(node.parentId) : undefined;
    if (parent) place(parent);
    visiting.delete(node.id);
    placed.add(node.id);
    result.push(node);
  };
  nodes.forEach(place);
  return result;
}

/** The node's position on the canvas (children store positions relative to their parent). */
export function absolutePosition(node: WorkflowNode, byId: ReadonlyMap<string, WorkflowNode>): XYPosition {
  let x = node.position.x;
  let y = node.position.y;
  let parentId = node.parentId;
  const seen = new Set<string>();
  while (parentId && !seen.has(parentId)) {
    seen.add(parentId);
    const parent = byId.get(parentId);
    if (!parent) break;
    x += parent.position.x;
    y += parent.position.y;
    parentId = parent.parentId;
  }
  return { x, y };
}

/** Ids of every node nested (at any depth) inside the given scopes. */
export function descendantIds(nodes: readonly WorkflowNode[], rootIds: Iterable<string>): Set<string> {
  const result = new Set<string>();
  const frontier = [...rootIds];
  while (frontier.length > 0) {
    const id = frontier.pop()!;
    for (const n of nodes) {
      if (n.parentId === id && !result.has(n.id)) {
        result.add(n.id);
        frontier.push(n.id);
      }
    }
  }
  return result;
}

export function nodeSize(node: WorkflowNode): { width: number; height: number } {
  return {
    width: node.width ?? node.measured?.width ?? 200,
    height: node.height ?? node.measured?.height ?? 80,
  };
}

/**
 * The innermost scope box containing the point, ignoring the moving nodes themselves and
 * anything inside them (a scope cannot be dropped into its own body).
 */
export function scopeAt(
  point: XYPosition,
  nodes: readonly WorkflowNode[],
  isScope: (node: WorkflowNode) => boolean,
  excludeIds: Iterable<string> = [],
): WorkflowNode | undefined {
  const excluded = new Set(excludeIds);
  for (const id of descendantIds(nodes, excluded)) excluded.add(id);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let best: WorkflowNode | undefined;
  let bestDepth = -1;
  for (const node of nodes) {
    if (excluded.has(node.id) || !isScope(node)) continue;
    const pos = absolutePosition(node, byId);
    const { width, height } = nodeSize(node);
    if (point.x < pos.x || point.y < pos.y || point.x > pos.x + width || point.y > pos.y + height) continue;
    const depth = scopeDepth(node, byId);
    if (depth > bestDepth) {
      best = node;
      bestDepth = depth;
    }
  }
  return best;
}

function scopeDepth(node: WorkflowNode, byId: ReadonlyMap<string, WorkflowNode>): number {
  let depth = 0;
  let parentId = node.parentId;
  while (parentId && depth < 100) {
    depth++;
    parentId = byId.get(parentId)?.parentId;
  }
  return depth;
}

/**
 * Moves a node into `newParentId` (or to the top level when undefined), keeping it where it
 * is on screen by converting its position between coordinate frames.
 */
export function reparentNode(nodes: readonly WorkflowNode[], nodeId: string, newParentId: string | undefined): WorkflowNode[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const node = byId.get(nodeId);
  if (!node || node.parentId === newParentId) return [...nodes];
  const absolute = absolutePosition(node, byId);
  const parent = newParentId ? byId.get(newParentId) : undefined;
  const origin = parent ? absolutePosition(parent, byId) : { x: 0, y: 0 };
  const moved: WorkflowNode = { ...node, position: { x: absolute.x - origin.x, y: absolute.y - origin.y } };
  if (parent) moved.parentId = parent.id;
  else delete moved.parentId;
  return sortParentsFirst(nodes.map((n) => (n.id === nodeId ? moved : n)));
}
