import { Graph as DagreGraph, layout as dagreLayout } from '@dagrejs/dagre';
import type { Graph, WorkflowNode } from './model';
import { sortParentsFirst } from './scopes';

export interface LayoutOptions {
  /** Whether a node is drawn as a scope box (its body is laid out inside it). */
  isScope: (node: WorkflowNode) => boolean;
  nodeGap?: number;
  rankGap?: number;
}

/** Room inside a scope box around its body: the header sits at the top. */
export const SCOPE_PADDING = { left: 24, top: 60, right: 24, bottom: 40 } as const;
const CARD_SIZE = { width: 220, height: 96 };
const EMPTY_SCOPE = { width: 320, height: 180 };

/** What the layout needs of a node: plain data, so it can cross to a worker. */
export interface LayoutNode {
  id: string;
  parentId?: string;
  scope: boolean;
  width?: number;
  height?: number;
  measured?: { width?: number; height?: number };
}

export interface LayoutInput {
  nodes: LayoutNode[];
  edges: { source: string; target: string }[];
  nodeGap?: number;
  rankGap?: number;
}

export interface LayoutResult {
  positions: Record<string, { x: number; y: number }>;
  sizes: Record<string, { width: number; height: number }>;
}

export function layoutInput(graph: Graph, options: LayoutOptions): LayoutInput {
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      parentId: n.parentId,
      scope: options.isScope(n),
      width: n.width,
      height: n.height,
      measured: n.measured ? { width: n.measured.width, height: n.measured.height } : undefined,
    })),
    edges: graph.edges.map((e) => ({ source: e.source, target: e.target })),
    nodeGap: options.nodeGap,
    rankGap: options.rankGap,
  };
}

/** Puts computed positions and box sizes onto a graph (nodes the layout did not see stay where they are). */
export function applyLayout(graph: Graph, result: LayoutResult): Graph {
  const nodes = graph.nodes.map((node) => {
    const position = result.positions[node.id] ?? node.position;
    const size = result.sizes[node.id];
    const next: WorkflowNode = { ...node, position };
    if (size) {
      next.width = Math.round(size.width);
      next.height = Math.round(size.height);
    }
    return next;
  });
  return { nodes: sortParentsFirst(nodes), edges: graph.edges };
}

/**
 * Left-to-right layered layout. Scope bodies are laid out first (innermost out) and each
 * box is sized to hold its body, then every level is laid out with those sizes.
 */
export function autoLayout(graph: Graph, options: LayoutOptions): Graph {
  return applyLayout(graph, computeLayout(layoutInput(graph, options)));
}

/** The layout itself, on plain data (runs in the layout worker). */
export function computeLayout(input: LayoutInput): LayoutResult {
  const { nodeGap = 40, rankGap = 80 } = input;
  const graph = input;
  const isScope = (n: LayoutNode) => n.scope;
  const positions = new Map<string, { x: number; y: number }>();
  const sizes = new Map<string, { width: number; height: number }>();
  const childrenOf = new Map<string | undefined, LayoutNode[]>();
  const ids = new Set(graph.nodes.map((n) => n.id));
  for (const node of graph.nodes) {
    const parent = node.parentId && ids.has(node.parentId) ? node.parentId : undefined;
    let list = childrenOf.get(parent);
    if (!list) childrenOf.set(parent, (list = []));
    list.push(node);
  }

  const sizeOf = (node: LayoutNode) =>
    sizes.get(node.id) ?? {
      width: node.measured?.width ?? node.width ?? CARD_SIZE.width,
      height: node.measured?.height ?? node.height ?? CARD_SIZE.height,
    };

  const layoutLevel = (parentId: string | undefined, depth: number): { width: number; height: number } => {
    const members = childrenOf.get(parentId) ?? [];
    for (const member of members) {
      if (!isScope(member) || depth > 50) continue;
      const body = layoutLevel(member.id, depth + 1);
      sizes.set(
        member.id,
        (childrenOf.get(member.id) ?? []).length === 0
          ? { width: Math.max(member.width ?? 0, EMPTY_SCOPE.width), height: Math.max(member.height ?? 0, EMPTY_SCOPE.height) }
          : { width: body.width + SCOPE_PADDING.left + SCOPE_PADDING.right, height: body.height + SCOPE_PADDING.top + SCOPE_PADDING.bottom },
      );
    }
    if (members.length === 0) return { width: 0, height: 0 };

    const g = new DagreGraph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: nodeGap, ranksep: rankGap, marginx: 0, marginy: 0 });
    g.setDefaultEdgeLabel(() => ({}));
    const memberIds = new Set(members.map((m) => m.id));
    for (const member of members) g.setNode(member.id, { ...sizeOf(member) });
    graph.edges.forEach((edge, i) => {
      if (memberIds.has(edge.source) && memberIds.has(edge.target) && edge.source !== edge.target) {
        g.setEdge(edge.source, edge.target, {}, `e${i}`);
      }
    });
    dagreLayout(g);

    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const member of members) {
      const placed = g.node(member.id);
      const { width, height } = sizeOf(member);
      const x = placed.x - width / 2;
      const y = placed.y - height / 2;
      positions.set(member.id, { x, y });
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x + width);
      maxY = Math.max(maxY, y + height);
    }
    // Body positions are relative to the scope box, below its header.
    const originX = parentId === undefined ? 0 : SCOPE_PADDING.left;
    const originY = parentId === undefined ? 0 : SCOPE_PADDING.top;
    for (const member of members) {
      const p = positions.get(member.id)!;
      positions.set(member.id, { x: Math.round(p.x - minX + originX), y: Math.round(p.y - minY + originY) });
    }
    return { width: maxX - minX, height: maxY - minY };
  };

  layoutLevel(undefined, 0);
  return { positions: Object.fromEntries(positions), sizes: Object.fromEntries(sizes) };
}
