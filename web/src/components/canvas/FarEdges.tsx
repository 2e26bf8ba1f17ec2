import { EdgeLabelRenderer, useStore, type InternalNode, type ReactFlowState } from '@xyflow/react';
import { useCallback } from 'react';
import type { WorkflowEdge } from '../../graph/model';

/** The edges as drawn zoomed far out: one SVG path per look. */
export interface FarEdgePaths {
  plain: string;
  /** Into a node the last run skipped: faded. */
  skipped: string;
  /** Between two nodes an error names: red. */
  highlighted: string;
}

/** Where a wire meets its node: the handle's centre once measured, else the middle of the card's side. */
function anchor(node: InternalNode, handleId: string | null | undefined, side: 'source' | 'target'): [number, number] {
  const { x, y } = node.internals.positionAbsolute;
  const handles = node.internals.handleBounds?.[side];
  const handle = handles?.find((h) => h.id === (handleId ?? null)) ?? handles?.[0];
  if (handle) return [x + handle.x + handle.width / 2, y + handle.y + handle.height / 2];
  const width = node.measured.width ?? node.width ?? 0;
  const height = node.measured.height ?? node.height ?? 0;
  return [side === 'source' ? x + width : x, y + height / 2];
}

/**
 * Every edge as a straight segment between its handles, gathered into three path strings. Zoomed
 * far out a wire is a line of a pixel or less: 1,000 edge components (each with its own store
 * subscription, path computation and SVG group) draw nothing a single path does not.
 */
export function farEdgePaths(
  edges: readonly WorkflowEdge[],
  lookup: ReadonlyMap<string, InternalNode>,
  skipped: (edge: WorkflowEdge) => boolean,
  highlighted: (edge: WorkflowEdge) => boolean,
): FarEdgePaths {
  const parts: Record<keyof FarEdgePaths, string[]> = { plain: [], skipped: [], highlighted: [] };
  for (const edge of edges) {
    const source = lookup.get(edge.source);
    const target = lookup.get(edge.target);
    if (!source || !target || source.hidden || target.hidden) continue;
    const [sx, sy] = anchor(source, edge.sourceHandle, 'source');
    const [tx, ty] = anchor(target, edge.targetHandle, 'target');
    const look = highlighted(edge) ? 'highlighted' : skipped(edge) ? 'skipped' : 'plain';
    parts[look].push(`M${Math.round(sx)} ${Math.round(sy)}L${Math.round(tx)} ${Math.round(ty)}`);
  }
  return { plain: parts.plain.join(''), skipped: parts.skipped.join(''), highlighted: parts.highlighted.join('') };
}

const samePaths = (a: FarEdgePaths, b: FarEdgePaths) => a.plain === b.plain && a.skipped === b.skipped && a.highlighted === b.highlighted;

/**
 * The canvas's edges zoomed far out, drawn under the cards (in React Flow's edge-label layer, which
 * lies between its edges and its nodes) with a stroke of one screen pixel whatever the zoom. They
 * follow the cards as they are measured and dragged: the paths are recomputed on every change of
 * React Flow's store and redrawn only when they differ.
 */
export function FarEdges({
  edges,
  skipped,
  highlighted,
}: {
  edges: readonly WorkflowEdge[];
  skipped: (edge: WorkflowEdge) => boolean;
  highlighted: (edge: WorkflowEdge) => boolean;
}) {
  const paths = useStore(
    useCallback((s: ReactFlowState) => farEdgePaths(edges, s.nodeLookup as ReadonlyMap<string, InternalNode>, skipped, highlighted), [edges, skipped, highlighted]),
    samePaths,
  );
  return (
    <EdgeLabelRenderer>
      <svg className="far-edges" data-testid="far-edges" aria-hidden="true" width="1" height="1">
        {paths.plain && <path className="far-edges-plain" d={paths.plain} />}
        {paths.skipped && <path className="far-edges-skipped" d={paths.skipped} />}
        {paths.highlighted && <path className="far-edges-highlighted" d={paths.highlighted} />}
      </svg>
    </EdgeLabelRenderer>
  );
}
