import { useReactFlow, type Connection, type XYPosition } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { NodeCatalogue } from '../catalogue/catalogue';
import type { SwitchCase } from '../catalogue/handles';
import type { ToastKind } from '../components/Toasts';
import { applyLayout, layoutGraphSoon } from '../graph/layoutClient';
import { MIN_ZOOM } from '../components/canvas/WorkflowCanvas';
import type { LayoutResult } from '../graph/layout';
import { effectiveType, type Graph, type WorkflowEdge, type WorkflowNode } from '../graph/model';
import {
  addNode,
  changeNodeType,
  connect,
  connectionProblem,
  copyNodes,
  createNode,
  deleteElements,
  pasteContent,
  setConfigValue,
  updateNodeConfig,
  updateSwitchCases,
  type ClipboardContent,
} from '../graph/operations';
import { graphToPayload, parseWorkflowFile, payloadToGraph } from '../graph/payload';
import { absolutePosition, nodeSize, reparentNode, scopeAt } from '../graph/scopes';
import type { WorkflowDocument } from './useWorkflowDocument';

/** Where a new card's top-left goes relative to the point the user chose. */
const DROP_OFFSET = { x: 100, y: 30 };
const PASTE_STEP = 40;
/** Graphs from this many nodes open at their fitted view (and fit view jumps instead of animating). */
const PREPARE_VIEW_FROM = 150;

export interface GraphCommands {
  isScope(node: WorkflowNode): boolean;
  addNodeOfType(type: string, screenPosition?: XYPosition): string | undefined;
  deleteSelection(): void;
  deleteNodes(ids: string[]): void;
  copySelection(): void;
  paste(): void;
  duplicateSelection(): void;
  selectAll(): void;
  selectOnly(nodeId: string): void;
  clearSelection(): void;
  layout(): void;
  fitView(): void;
  /** Moves the view to fit a graph about to be drawn (big graphs only). */
  /** True when the view was moved to fit the graph (no fit after drawing it is needed). */
  prepareView(graph: Graph): boolean;
  /** A layout is being computed in the worker. */
  layoutPending: boolean;
  showNode(nodeId: string): void;
  connect(connection: Connection): void;
  dragStopped(dragged: WorkflowNode[]): void;
  setValue(nodeId: string, key: string, value: unknown): void;
  replaceConfig(nodeId: string, config: Record<string, unknown>): void;
  changeType(nodeId: string, type: string): void;
  setSwitchCases(nodeId: string, cases: SwitchCase[], renamed: Record<string, string>): void;
  /** The laid-out graph, or (for big graphs, laid out in a worker) a promise of the layout. */
  layoutGraph(graph: Graph): Graph | Promise<LayoutResult>;
}

/** Every canvas edit as one undoable command, shared by toolbar, panel and shortcuts. */
export function useGraphCommands(doc: WorkflowDocument, catalogue: NodeCatalogue, notify: (kind: ToastKind, text: string) => (() => void) | void): GraphCommands {
  const flow = useReactFlow<WorkflowNode, WorkflowEdge>();
  const [layoutPending, setLayoutPending] = useState(false);
  const clipboard = useRef<ClipboardContent | null>(null);
  const pasteCount = useRef(0);

  const isScope = useCallback((node: WorkflowNode) => catalogue.byType.get(effectiveType(node.data))?.scope === true, [catalogue]);

  const selectedIds = () => doc.current().nodes.filter((n) => n.selected).map((n) => n.id);

  const select = (graph: Graph, ids: Set<string>): Graph => ({
    nodes: graph.nodes.map((n) => (!!n.selected === ids.has(n.id) ? n : { ...n, selected: ids.has(n.id) })),
    edges: graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)),
  });

  /** A free spot near `point`: the first place no top-level card already occupies. */
  const freeSpot = (point: XYPosition): XYPosition => {
    const taken = doc.current().nodes.filter((n) => !n.parentId);
    for (let k = 0; k < 60; k++) {
      const candidate = { x: point.x + 30 * k, y: point.y + 30 * (k % 6) };
      const clash = taken.some((n) => Math.abs(n.position.x - candidate.x) < 160 && Math.abs(n.position.y - candidate.y) < 70);
      if (!clash) return candidate;
    }
    return point;
  };

  const addNodeOfType = (type: string, screenPosition?: XYPosition): string | undefined => {
    const spec = catalogue.byType.get(type);
    if (!spec) {
      notify('error', `Unknown node type “${type}”.`);
      return undefined;
    }
    let point: XYPosition;
    if (screenPosition) {
      point = flow.screenToFlowPosition(screenPosition);
    } else {
      const pane = document.querySelector('.canvas')?.getBoundingClientRect();
      const centre = pane ? { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 } : { x: window.innerWidth / 2, y: window.innerHeight / 2 };
      point = flow.screenToFlowPosition(centre);
    }
    const graph = doc.current();
    const scope = scopeAt(point, graph.nodes, isScope);
    let position = { x: point.x - DROP_OFFSET.x, y: point.y - DROP_OFFSET.y };
    if (!screenPosition && !scope) position = freeSpot(position);
    if (scope) {
      const origin = absolutePosition(scope, new Map(graph.nodes.map((n) => [n.id, n])));
      position = { x: Math.max(8, position.x - origin.x), y: Math.max(48, position.y - origin.y) };
    }
    const node = { ...createNode(spec, position, graph.nodes.map((n) => n.id), scope?.id), selected: true };
    doc.change((g) => addNode(select(g, new Set()), node));
    return node.id;
  };

  const deleteNodes = (ids: string[]) => doc.change((g) => deleteElements(g, ids));

  const deleteSelection = () => {
    const g = doc.current();
    const nodeIds = g.nodes.filter((n) => n.selected).map((n) => n.id);
    const edgeIds = g.edges.filter((e) => e.selected).map((e) => e.id);
    if (nodeIds.length === 0 && edgeIds.length === 0) return;
    doc.change((graph) => deleteElements(graph, nodeIds, edgeIds));
  };

  /**
   * Copies to the system clipboard as a workflow payload (so it pastes into another tab, or
   * into a text editor), and keeps a copy here for browsers that refuse clipboard access.
   */
  const copySelection = () => {
    const ids = selectedIds();
    if (ids.length === 0) return;
    const clip = copyNodes(doc.current(), ids);
    clipboard.current = clip;
    pasteCount.current = 0;
    const text = JSON.stringify(graphToPayload(clip.nodes, clip.edges), null, 2);
    const done = () => notify('info', `Copied ${ids.length} node${ids.length === 1 ? '' : 's'}.`);
    if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, done);
    else done();
  };

  /** Pastes a workflow payload from the system clipboard, else what was last copied here. */
  const paste = () => {
    const pasteClip = (clip: ClipboardContent | null | undefined) => {
      if (!clip || clip.nodes.length === 0) return;
      pasteCount.current += 1;
      const step = PASTE_STEP * pasteCount.current;
      doc.change((g) => pasteContent(g, clip, { x: step, y: step }).graph);
    };
    if (!navigator.clipboard?.readText) return pasteClip(clipboard.current);
    navigator.clipboard.readText().then(
      (text) => {
        let fromSystem: ClipboardContent | undefined;
        try {
          const parsed = parseWorkflowFile(text);
          const loaded = payloadToGraph(parsed.payload, catalogue);
          fromSystem = { nodes: loaded.nodes, edges: loaded.edges };
        } catch {
          fromSystem = undefined; // not a workflow: paste what was copied in this editor
        }
        pasteClip(fromSystem ?? clipboard.current);
      },
      () => pasteClip(clipboard.current),
    );
  };

  const duplicateSelection = () => {
    const ids = selectedIds();
    if (ids.length === 0) return;
    doc.change((g) => pasteContent(g, copyNodes(g, ids), { x: PASTE_STEP, y: PASTE_STEP }).graph);
  };

  const selectAll = () => {
    const g = doc.current();
    doc.onNodesChange(g.nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: true })));
  };

  const selectOnly = (nodeId: string) => {
    const g = doc.current();
    doc.onNodesChange(g.nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: n.id === nodeId })));
    doc.onEdgesChange(g.edges.filter((e) => e.selected).map((e) => ({ type: 'select' as const, id: e.id, selected: false })));
  };

  const clearSelection = () => {
    const g = doc.current();
    doc.onNodesChange(g.nodes.filter((n) => n.selected).map((n) => ({ type: 'select' as const, id: n.id, selected: false })));
    doc.onEdgesChange(g.edges.filter((e) => e.selected).map((e) => ({ type: 'select' as const, id: e.id, selected: false })));
  };

  const layoutGraph = (graph: Graph) => layoutGraphSoon(graph, { isScope });

  // Animating a big graph re-renders every node each frame: jump instead.
  const fitView = () => void flow.fitView({ padding: 0.15, duration: doc.current().nodes.length > PREPARE_VIEW_FROM ? 0 : 250, maxZoom: 1.5, minZoom: MIN_ZOOM });

  /**
   * Before a big graph is drawn, moves the view to where fit view will put it (from the laid-out
   * positions and the layout's card size), so its cards are created at that zoom, in the form drawn
   * there, instead of full-size cards that are redrawn a moment later.
   */
  const prepareView = (graph: Graph): boolean => {
    if (graph.nodes.length < PREPARE_VIEW_FROM) return false;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const n of graph.nodes) {
      if (n.parentId) continue;
      minX = Math.min(minX, n.position.x);
      minY = Math.min(minY, n.position.y);
      maxX = Math.max(maxX, n.position.x + (n.width ?? 220));
      maxY = Math.max(maxY, n.position.y + (n.height ?? 96));
    }
    if (minX === Infinity) return false;
    void flow.fitBounds({ x: minX, y: minY, width: maxX - minX, height: maxY - minY }, { padding: 0.15, duration: 0 });
    return true;
  };

  const layout = () => {
    const laid = layoutGraph(doc.current());
    if (!(laid instanceof Promise)) {
      doc.change(() => laid);
      window.setTimeout(fitView, 30);
      return;
    }
    const progress = notify('info', `Laying out ${doc.current().nodes.length} nodes…`);
    setLayoutPending(true);
    laid
      .then(
        (result) => {
          doc.change((g) => applyLayout(g, result));
          window.setTimeout(fitView, 30);
        },
        (e: Error) => notify('error', `Layout failed: ${e.message}`),
      )
      .finally(() => {
        progress?.();
        setLayoutPending(false);
      });
  };

  const showNode = (nodeId: string) => {
    selectOnly(nodeId);
    void flow.fitView({ nodes: [{ id: nodeId }], padding: 0.6, duration: 300, maxZoom: 1.2 });
  };

  const connectHandles = (connection: Connection) => {
    const problem = connectionProblem(doc.current(), connection, catalogue);
    if (problem) {
      notify('warning', problem);
      return;
    }
    doc.change((g) => connect(g, connection));
  };

  /** After a drag, nodes dropped over a scope box join its body; nodes dragged out leave it. */
  const dragStopped = (dragged: WorkflowNode[]) => {
    const draggedIds = new Set(dragged.map((n) => n.id));
    doc.amend((g) => {
      let nodes = g.nodes;
      for (const d of dragged) {
        const node = nodes.find((n) => n.id === d.id);
        if (!node || (node.parentId && draggedIds.has(node.parentId))) continue;
        const byId = new Map(nodes.map((n) => [n.id, n]));
        const abs = absolutePosition(node, byId);
        const size = nodeSize(node);
        const centre = { x: abs.x + size.width / 2, y: abs.y + Math.min(size.height / 2, 40) };
        const target = scopeAt(centre, nodes, isScope, [node.id]);
        if ((target?.id ?? undefined) !== node.parentId) {
          nodes = reparentNode(nodes, node.id, target?.id);
          const parentOf = (id: string) => nodes.find((n) => n.id === id)?.parentId;
          const crossing = g.edges.some(
            (e) => (e.source === node.id && parentOf(e.target) !== target?.id) || (e.target === node.id && parentOf(e.source) !== target?.id),
          );
          if (crossing) notify('warning', `${node.id} moved ${target ? `into ${target.id}` : 'out of its box'}; connections across a box border are not valid.`);
        }
      }
      return nodes === g.nodes ? g : { nodes, edges: g.edges };
    });
  };

  const setValue = (nodeId: string, key: string, value: unknown) => doc.change((g) => setConfigValue(g, nodeId, key, value), `${nodeId}:${key}`);

  const replaceConfig = (nodeId: string, config: Record<string, unknown>) => doc.change((g) => updateNodeConfig(g, nodeId, () => config), `${nodeId}:*`);

  const changeType = (nodeId: string, type: string) => doc.change((g) => changeNodeType(g, nodeId, type, catalogue));

  const setSwitchCases = (nodeId: string, cases: SwitchCase[], renamed: Record<string, string>) =>
    doc.change((g) => updateSwitchCases(g, nodeId, cases, renamed, catalogue), `${nodeId}:cases`);

  // The returned object changes when the document does, so consumers always act on fresh state.
  return useMemo(
    () => ({
      isScope,
      addNodeOfType,
      deleteSelection,
      deleteNodes,
      copySelection,
      paste,
      duplicateSelection,
      selectAll,
      selectOnly,
      clearSelection,
      layout,
      fitView,
      prepareView,
      showNode,
      connect: connectHandles,
      dragStopped,
      setValue,
      replaceConfig,
      changeType,
      setSwitchCases,
      layoutGraph,
      layoutPending,
    }),
    [doc, catalogue, isScope, flow, layoutPending],
  );
}
