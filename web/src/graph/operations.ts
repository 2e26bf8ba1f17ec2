import { inputSlot } from './inputOrder';
import type { Connection, XYPosition } from '@xyflow/react';
import type { NodeCatalogue } from '../catalogue/catalogue';
import { acceptsInputs, defaultDataFor } from '../catalogue/catalogue';
import { outputHandlesFor, type SwitchCase } from '../catalogue/handles';
import type { NodeSpec } from '../catalogue/types';
import { nextEdgeId, nextNodeId } from './ids';
import { effectiveType, WORKFLOW_NODE, type Graph, type WorkflowEdge, type WorkflowNode } from './model';
import { DEFAULT_SCOPE_SIZE } from './payload';
import { absolutePosition, descendantIds, sortParentsFirst } from './scopes';

/** A new node of the given catalogue type with its editor defaults. */
export function createNode(spec: NodeSpec, position: XYPosition, existingIds: Iterable<string>, parentId?: string): WorkflowNode {
  const node: WorkflowNode = {
    id: nextNodeId(spec.type, existingIds),
    type: WORKFLOW_NODE,
    position: { x: Math.round(position.x), y: Math.round(position.y) },
    data: { type: spec.type, config: defaultDataFor(spec) },
  };
  if (parentId) node.parentId = parentId;
  if (spec.scope) {
    node.width = DEFAULT_SCOPE_SIZE.width;
    node.height = DEFAULT_SCOPE_SIZE.height;
  }
  return node;
}

export function addNode(graph: Graph, node: WorkflowNode): Graph {
  return { nodes: sortParentsFirst([...graph.nodes, node]), edges: graph.edges };
}

/** Why a connection is refused, or `undefined` when it may be drawn. */
export function connectionProblem(graph: Graph, connection: Connection, catalogue: NodeCatalogue): string | undefined {
  const source = graph.nodes.find((n) => n.id === connection.source);
  const target = graph.nodes.find((n) => n.id === connection.target);
  if (!source || !target) return 'Both ends of a connection must be nodes.';
  if (source.id === target.id) return 'A node cannot be connected to itself.';
  const targetSpec = catalogue.byType.get(effectiveType(target.data));
  if (!acceptsInputs(targetSpec)) return `${targetSpec?.label ?? 'This node'} takes no inputs.`;
  const sourceHandle = connection.sourceHandle ?? null;
  const duplicate = graph.edges.some(
    (e) => e.source === source.id && e.target === target.id && (e.sourceHandle ?? null) === sourceHandle,
  );
  if (duplicate) return 'These handles are already connected.';
  if ((source.parentId ?? '') !== (target.parentId ?? '')) {
    // design/scopes.md: body nodes connect only to nodes of the same body.
    return 'A connection cannot cross the border of a scope box; connect to the scope node itself instead.';
  }
  const slot = inputSlot(connection.targetHandle);
  if (slot !== undefined && graph.edges.some((e) => e.target === target.id && inputSlot(e.targetHandle) === slot)) {
    return `Input ${slot} of ${targetSpec?.label ?? 'this node'} is already connected; remove that wire first.`;
  }
  const maxInputs = targetSpec?.max_inputs;
  if (typeof maxInputs === 'number') {
    const incoming = graph.edges.filter((e) => e.target === target.id).length;
    if (incoming >= maxInputs) return `${targetSpec!.label} uses at most ${maxInputs} input${maxInputs === 1 ? '' : 's'}.`;
  }
  return undefined;
}

export function connect(graph: Graph, connection: Connection): Graph {
  const edge: WorkflowEdge = {
    id: nextEdgeId(connection.source, connection.sourceHandle, connection.target, graph.edges.map((e) => e.id)),
    source: connection.source,
    target: connection.target,
    sourceHandle: connection.sourceHandle ?? null,
    targetHandle: connection.targetHandle ?? null,
  };
  return { nodes: graph.nodes, edges: [...graph.edges, edge] };
}

/** Removes nodes (with everything inside removed scopes), their edges, and the given edges. */
export function deleteElements(graph: Graph, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): Graph {
  const removed = new Set(nodeIds);
  for (const id of descendantIds(graph.nodes, removed)) removed.add(id);
  const removedEdges = new Set(edgeIds);
  return {
    nodes: graph.nodes.filter((n) => !removed.has(n.id)),
    edges: graph.edges.filter((e) => !removedEdges.has(e.id) && !removed.has(e.source) && !removed.has(e.target)),
  };
}

export function updateNodeConfig(graph: Graph, nodeId: string, update: (config: Record<string, unknown>) => Record<string, unknown>): Graph {
  return {
    nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, config: update(n.data.config) } } : n)),
    edges: graph.edges,
  };
}

/** Gives a node another type, keeping its data (e.g. a legacy `retryNode` becomes `retry`). */
export function changeNodeType(graph: Graph, nodeId: string, type: string, catalogue: NodeCatalogue): Graph {
  const spec = catalogue.byType.get(type);
  return {
    nodes: graph.nodes.map((n) => {
      if (n.id !== nodeId) return n;
      const next: WorkflowNode = { ...n, data: { ...n.data, type } };
      if (spec?.scope && next.width === undefined) {
        next.width = DEFAULT_SCOPE_SIZE.width;
        next.height = DEFAULT_SCOPE_SIZE.height;
      }
      return next;
    }),
    edges: graph.edges,
  };
}

/** Sets one configuration key; `undefined` removes it. */
export function setConfigValue(graph: Graph, nodeId: string, key: string, value: unknown): Graph {
  return updateNodeConfig(graph, nodeId, (config) => {
    const next = { ...config };
    if (value === undefined) delete next[key];
    else next[key] = value;
    return next;
  });
}

/**
 * Replaces a switch's cases and keeps its edges consistent: edges on a renamed handle follow
 * the rename, edges on a handle that disappeared are removed (the original left them dangling).
 */
export function updateSwitchCases(
  graph: Graph,
  nodeId: string,
  cases: SwitchCase[],
  renamed: Record<string, string>,
  catalogue: NodeCatalogue,
): Graph {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return graph;
  const spec = catalogue.byType.get(effectiveType(node.data));
  const before = new Set(outputHandlesFor(spec, node.data.config).map((h) => h.id));
  const config = { ...node.data.config, cases };
  const after = new Set(outputHandlesFor(spec, config).map((h) => h.id));
  const edges = graph.edges
    .map((e) => {
      if (e.source !== nodeId || !e.sourceHandle || !(e.sourceHandle in renamed)) return e;
      return { ...e, sourceHandle: renamed[e.sourceHandle] };
    })
    .filter((e) => e.source !== nodeId || !before.has(e.sourceHandle ?? null) || after.has(e.sourceHandle ?? null));
  return {
    nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, data: { ...n.data, config } } : n)),
    edges,
  };
}

/** Nodes and edges copied to the clipboard; positions of top-level entries are absolute. */
export interface ClipboardContent {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

/** Copies the nodes, everything inside copied scopes, and the edges among them. */
export function copyNodes(graph: Graph, nodeIds: Iterable<string>): ClipboardContent {
  const ids = new Set(nodeIds);
  for (const id of descendantIds(graph.nodes, ids)) ids.add(id);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes = graph.nodes
    .filter((n) => ids.has(n.id))
    .map((n) => {
      const copy: WorkflowNode = structuredClone({ ...n, selected: false });
      if (n.parentId && !ids.has(n.parentId)) {
        copy.position = absolutePosition(n, byId);
        delete copy.parentId;
      }
      return copy;
    });
  const edges = graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => structuredClone({ ...e, selected: false }));
  return { nodes, edges };
}

/**
 * Inserts clipboard content with fresh ids, shifted by `offset`. Pasted nodes come in
 * selected (and everything else deselected) so they can be moved at once.
 */
export function pasteContent(graph: Graph, clip: ClipboardContent, offset: XYPosition): { graph: Graph; pastedIds: string[] } {
  const used = new Set(graph.nodes.map((n) => n.id));
  const idMap = new Map<string, string>();
  for (const n of clip.nodes) {
    const id = nextNodeId(effectiveType(n.data) || 'node', used);
    used.add(id);
    idMap.set(n.id, id);
  }
  const pasted = clip.nodes.map((n): WorkflowNode => {
    const copy: WorkflowNode = structuredClone(n);
    copy.id = idMap.get(n.id)!;
    copy.selected = true;
    if (copy.parentId) copy.parentId = idMap.get(copy.parentId);
    else copy.position = { x: n.position.x + offset.x, y: n.position.y + offset.y };
    if (!copy.parentId) delete copy.parentId;
    delete copy.measured;
    return copy;
  });
  const edgeIds = graph.edges.map((e) => e.id);
  const pastedEdges = clip.edges.map((e): WorkflowEdge => {
    const source = idMap.get(e.source)!;
    const target = idMap.get(e.target)!;
    const id = nextEdgeId(source, e.sourceHandle, target, edgeIds);
    edgeIds.push(id);
    return { ...structuredClone(e), id, source, target, selected: false };
  });
  return {
    graph: {
      nodes: sortParentsFirst([...graph.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted]),
      edges: [...graph.edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pastedEdges],
    },
    pastedIds: pasted.map((n) => n.id),
  };
}

/** The catalogue entry for a node, if its type is known. */
export function specOf(node: WorkflowNode, catalogue: NodeCatalogue): NodeSpec | undefined {
  return catalogue.byType.get(effectiveType(node.data));
}
