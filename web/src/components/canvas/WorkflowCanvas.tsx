import {
  Background,
  BackgroundVariant,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type OnSelectionChangeParams,
  type XYPosition,
  useStore,
} from '@xyflow/react';
import { useCallback, useLayoutEffect, useMemo, useState, type DragEvent } from 'react';
import type { NodeCatalogue } from '../../catalogue/catalogue';
import { acceptsInputs } from '../../catalogue/catalogue';
import type { CheckProblem } from '../../api/types';
import type { ScopeIterations } from '../../editor/iterations';
import type { NodeRunInfo } from '../../editor/useWorkflowRun';
import { inputEdgesByTarget } from '../../graph/inputOrder';
import { effectiveType, nodeTitle, WORKFLOW_NODE, type WorkflowEdge, type WorkflowNode } from '../../graph/model';
import type { Theme } from '../../theme/useTheme';
import { CanvasContext, CanvasStore, FAR_ZOOM, type CanvasContextValue, type ReferencedHandles } from './CanvasContext';
import type { WireStart } from './CanvasMenu';
import { FarEdges } from './FarEdges';
import { WorkflowNodeView } from './WorkflowNodeView';

/** The MIME type palette entries put on a drag; its value is the node type. */
export const PALETTE_DRAG_TYPE = 'application/x-thaiyyal-node-type';

/** Low enough that fit view fits a long 500-node chain (about 150,000 px wide when laid out). */
export const MIN_ZOOM = 0.002;

const MINIMAP_SIZE = { width: 160, height: 100 };

/**
 * The minimap's outline width, in canvas units: about 1.5 minimap pixels, so a node of a big graph
 * (a fraction of a pixel at the minimap's scale) is still drawn at least that thick.
 */
function minimapStrokeWidth(nodes: readonly WorkflowNode[]): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of nodes) {
    if (n.parentId) continue; // inside a box, which is counted
    minX = Math.min(minX, n.position.x);
    minY = Math.min(minY, n.position.y);
    maxX = Math.max(maxX, n.position.x + (n.measured?.width ?? n.width ?? 0));
    maxY = Math.max(maxY, n.position.y + (n.measured?.height ?? n.height ?? 0));
  }
  if (minX === Infinity) return 2;
  const unitsPerPixel = Math.max((maxX - minX) / MINIMAP_SIZE.width, (maxY - minY) / MINIMAP_SIZE.height);
  return Math.max(2, 1.5 * unitsPerPixel);
}

const EMPTY_ITERATIONS = new Map<string, ScopeIterations>();
const EMPTY_CHOICES = new Map<string, number>();

const nodeTypes = { [WORKFLOW_NODE]: WorkflowNodeView };
const EDGE_ARROW = { type: MarkerType.ArrowClosed, width: 16, height: 16 };

interface WorkflowCanvasProps {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  catalogue: NodeCatalogue;
  theme: Theme;
  nodeInfo: Record<string, NodeRunInfo>;
  highlighted: string[];
  problems?: ReadonlyMap<string, CheckProblem[]>;
  stale?: ReadonlySet<string>;
  onMoveInput?(nodeId: string, edgeId: string, delta: -1 | 1): void;
  /** An auto-layout is being computed. */
  layoutPending?: boolean;
  iterations?: ReadonlyMap<string, ScopeIterations>;
  chosenIteration?: ReadonlyMap<string, number>;
  onChooseIteration?(scopeId: string, iteration: number): void;
  onNodeMenu?(nodeId: string, at: XYPosition): void;
  onCanvasMenu?(at: XYPosition): void;
  /** A wire was dropped on empty canvas. */
  onWireDropped?(wire: WireStart, at: XYPosition): void;
  onNodesChange(changes: NodeChange<WorkflowNode>[]): void;
  onEdgesChange(changes: EdgeChange<WorkflowEdge>[]): void;
  onConnect(connection: Connection): void;
  onGestureStart(): void;
  onNodeDragStop(nodes: WorkflowNode[]): void;
  onDropNodeType(type: string, screenPosition: XYPosition): void;
  onSelectionChange(nodeIds: string[], edgeIds: string[]): void;
}

export function WorkflowCanvas(props: WorkflowCanvasProps) {
  const { nodes, edges, catalogue, theme, nodeInfo, highlighted } = props;
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const minimapStroke = useMemo(() => minimapStrokeWidth(nodes), [nodes]);

  const referencedHandles = useMemo(() => {
    const map = new Map<string, ReferencedHandles>();
    const entry = (id: string) => {
      let e = map.get(id);
      if (!e) map.set(id, (e = { sources: new Set(), targets: new Set() }));
      return e;
    };
    for (const edge of edges) {
      entry(edge.source).sources.add(edge.sourceHandle ?? null);
      entry(edge.target).targets.add(edge.targetHandle ?? null);
    }
    return map;
  }, [edges]);

  // Keys that change only when what they summarise changes, not when a node moves or is
  // measured: a new context value re-renders every node card.
  const parentsKey = nodes.map((n) => n.parentId ?? '').join('\u0000');
  const childCount = useMemo(() => {
    const counts = new Map<string, number>();
    for (const n of nodes) if (n.parentId) counts.set(n.parentId, (counts.get(n.parentId) ?? 0) + 1);
    return counts;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [parentsKey]);

  const highlightedSet = useMemo(() => new Set(highlighted), [highlighted]);

  // Each node's inputs in the order the engine will see them, with their sources' titles.
  const titlesKey = nodes.map((n) => `${n.id}\u0001${nodeTitle(n.data, catalogue.byType.get(effectiveType(n.data))?.label)}`).join('\u0000');
  const titles = useMemo(
    () => new Map(titlesKey === '' ? [] : titlesKey.split('\u0000').map((entry) => entry.split('\u0001') as [string, string])),
    [titlesKey],
  );
  const inputs = useMemo(() => {
    const map = new Map<string, { edgeId: string; source: string; sourceTitle: string; targetHandle: string | null }[]>();
    for (const [target, incoming] of inputEdgesByTarget(edges)) {
      map.set(
        target,
        incoming.map((e) => ({ edgeId: e.id, source: e.source, sourceTitle: titles.get(e.source) ?? e.source, targetHandle: e.targetHandle ?? null })),
      );
    }
    return map;
  }, [edges, titles]);

  const context: CanvasContextValue = useMemo(
    () => ({
      catalogue,
      nodeInfo,
      highlighted: highlightedSet,
      referencedHandles,
      childCount,
      problems: props.problems ?? new Map(),
      stale: props.stale ?? new Set(),
      inputs,
      iterations: props.iterations ?? EMPTY_ITERATIONS,
      chosenIteration: props.chosenIteration ?? EMPTY_CHOICES,
      onChooseIteration: props.onChooseIteration,
      onResizeStart: props.onGestureStart,
      onMoveInput: props.onMoveInput,
    }),
    [catalogue, nodeInfo, highlightedSet, referencedHandles, childCount, props.problems, props.stale, inputs, props.iterations, props.chosenIteration, props.onChooseIteration, props.onGestureStart, props.onMoveInput],
  );

  // Cards read the new value as they render; the ones not rendering now are told after the commit.
  const [store] = useState(() => new CanvasStore(context));
  store.set(context);
  useLayoutEffect(() => store.notify(), [store, context]);

  // Edges into a skipped node fade; edges between nodes an error names turn red.
  const isSkipped = useCallback((e: WorkflowEdge) => nodeInfo[e.target]?.status === 'skipped', [nodeInfo]);
  const isHighlighted = useCallback((e: WorkflowEdge) => highlightedSet.has(e.source) && highlightedSet.has(e.target), [highlightedSet]);
  // Zoomed far out, edges are drawn together as a few paths (FarEdges); only a selected one stays an
  // edge component, so it can still be seen selected and deleted.
  const farEdges = useMemo(() => (far ? edges.filter((e) => !e.selected) : []), [edges, far]);
  const displayEdges = useMemo(
    () =>
      (far ? edges.filter((e) => e.selected) : edges).map((e) => ({
        ...e,
        type: 'smoothstep',
        markerEnd: EDGE_ARROW,
        className: [isSkipped(e) ? 'edge-skipped' : '', isHighlighted(e) ? 'edge-highlighted' : ''].join(' ').trim(),
      })),
    [edges, far, isSkipped, isHighlighted],
  );

  const isValidConnection: IsValidConnection<WorkflowEdge> = useCallback(
    (c) => {
      if (c.source === c.target) return false;
      const target = nodes.find((n) => n.id === c.target);
      return !!target && acceptsInputs(catalogue.byType.get(effectiveType(target.data)));
    },
    [nodes, catalogue],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const { onDropNodeType, onSelectionChange } = props;
  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_DRAG_TYPE);
      if (!type) return;
      e.preventDefault();
      onDropNodeType(type, { x: e.clientX, y: e.clientY });
    },
    [onDropNodeType],
  );

  const handleSelection = useCallback(
    ({ nodes: selectedNodes, edges: selectedEdges }: OnSelectionChangeParams) =>
      onSelectionChange(
        selectedNodes.map((n) => n.id),
        selectedEdges.map((e) => e.id),
      ),
    [onSelectionChange],
  );

  return (
    <CanvasContext.Provider value={store}>
      <div className="canvas" data-testid="canvas" data-layout={props.layoutPending ? 'running' : 'idle'} data-zoom={far ? 'far' : 'near'} aria-busy={props.layoutPending || undefined} onDragOver={onDragOver} onDrop={onDrop}>
        <ReactFlow<WorkflowNode, WorkflowEdge>
          nodes={nodes}
          edges={displayEdges}
          nodeTypes={nodeTypes}
          onNodesChange={props.onNodesChange}
          onEdgesChange={props.onEdgesChange}
          onConnect={props.onConnect}
          isValidConnection={isValidConnection}
          onNodeDragStart={props.onGestureStart}
          onNodeDragStop={(_e, _node, dragged) => props.onNodeDragStop(dragged)}
          onSelectionDragStart={props.onGestureStart}
          onSelectionDragStop={(_e, dragged) => props.onNodeDragStop(dragged)}
          onSelectionChange={handleSelection}
          onNodeContextMenu={(e, node) => {
            if (!props.onNodeMenu) return;
            e.preventDefault();
            props.onNodeMenu(node.id, { x: e.clientX, y: e.clientY });
          }}
          onPaneContextMenu={(e) => {
            if (!props.onCanvasMenu) return;
            e.preventDefault();
            props.onCanvasMenu({ x: e.clientX, y: e.clientY });
          }}
          onConnectEnd={(event, state) => {
            if (!props.onWireDropped || state.isValid || !state.fromHandle || !state.fromNode) return;
            const target = event.target as Element | null;
            if (!target?.classList.contains('react-flow__pane')) return;
            const point = 'changedTouches' in event ? event.changedTouches[0] : event;
            props.onWireDropped(
              { nodeId: state.fromNode.id, handleId: state.fromHandle.id ?? null, handleType: state.fromHandle.type },
              { x: point.clientX, y: point.clientY },
            );
          }}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          colorMode={theme}
          minZoom={MIN_ZOOM}
          maxZoom={2.5}
          defaultViewport={{ x: 40, y: 40, zoom: 1 }}
          proOptions={{ hideAttribution: true }}
          aria-label="Workflow canvas"
        >
          {/* Zoomed far out the dots would be closer than a pixel: a sub-pixel pattern costs much to draw and shows nothing. */}
          {!far && <Background variant={BackgroundVariant.Dots} gap={20} size={1} />}
          {far && <FarEdges edges={farEdges} skipped={isSkipped} highlighted={isHighlighted} />}
          <MiniMap pannable zoomable position="top-right" ariaLabel="Minimap" className="minimap" style={MINIMAP_SIZE} nodeStrokeWidth={minimapStroke} />
          <Controls aria-label="Zoom controls" showInteractive={false} />
        </ReactFlow>
      </div>
    </CanvasContext.Provider>
  );
}
