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
/** A top-level layout wider than this many times its height is folded into rows. */
const FOLD_ASPECT = 4;
/** …and wider than this (about 20 layers): shorter strips still read well on one row. */
const FOLD_MIN_WIDTH = 6000;
/** The shape folded rows aim for (a landscape screen), and the gap between rows. */
const FOLD_TARGET_ASPECT = 1.6;
const FOLD_ROW_GAP = 160;
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

  const top = layoutLevel(undefined, 0);
  foldLongRows(childrenOf.get(undefined) ?? [], positions, sizeOf, top);
  return { positions: Object.fromEntries(positions), sizes: Object.fromEntries(sizes) };
}

/**
 * A long chain laid out left to right is a strip (500 steps: about 150,000 px by a few hundred),
 * which no screen can show: fit view would shrink it to a hairline. Such a strip is cut at layer
 * boundaries into rows, stacked top to bottom like lines of text; each row takes only the height
 * its own nodes use. The row count is the one whose folded shape is closest to a landscape screen.
 */
function foldLongRows(
  members: readonly LayoutNode[],
  positions: Map<string, { x: number; y: number }>,
  sizeOf: (node: LayoutNode) => { width: number; height: number },
  extent: { width: number; height: number },
): void {
  if (extent.width <= Math.max(FOLD_ASPECT * extent.height, FOLD_MIN_WIDTH)) return;
  // Nodes of one layer share their centre line, so cutting by centre never splits a layer.
  const boxes = members.map((m) => {
    const p = positions.get(m.id)!;
    const size = sizeOf(m);
    return { id: m.id, x: p.x, y: p.y, width: size.width, height: size.height, centre: p.x + size.width / 2 };
  });
  const fold = (rows: number) => {
    const rowWidth = extent.width / rows;
    const rowOf = (b: (typeof boxes)[number]) => Math.min(rows - 1, Math.floor(b.centre / rowWidth));
    const minX = new Array<number>(rows).fill(Infinity);
    const maxX = new Array<number>(rows).fill(-Infinity);
    const minY = new Array<number>(rows).fill(Infinity);
    const maxY = new Array<number>(rows).fill(-Infinity);
    for (const b of boxes) {
      const r = rowOf(b);
      minX[r] = Math.min(minX[r], b.x);
      maxX[r] = Math.max(maxX[r], b.x + b.width);
      minY[r] = Math.min(minY[r], b.y);
      maxY[r] = Math.max(maxY[r], b.y + b.height);
    }
    const top = new Array<number>(rows).fill(0);
    let height = 0;
    let width = 0;
    for (let r = 0; r < rows; r++) {
      if (minX[r] === Infinity) continue; // an empty row (a long edge crossed it) takes no room
      top[r] = height;
      height += maxY[r] - minY[r] + FOLD_ROW_GAP;
      width = Math.max(width, maxX[r] - minX[r]);
    }
    const place = (b: (typeof boxes)[number]) => {
      const r = rowOf(b);
      return { x: Math.round(b.x - minX[r]), y: Math.round(b.y - minY[r] + top[r]) };
    };
    return { misfit: Math.abs(Math.log(width / Math.max(1, height - FOLD_ROW_GAP) / FOLD_TARGET_ASPECT)), place };
  };
  let best = fold(2);
  for (let rows = 3; rows <= Math.min(boxes.length, 200); rows++) {
    const next = fold(rows);
    if (next.misfit < best.misfit) best = next;
  }
  for (const b of boxes) positions.set(b.id, best.place(b));
}
