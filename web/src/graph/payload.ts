import type { NodeCatalogue } from '../catalogue/catalogue';
import { effectiveType, WORKFLOW_NODE, type Graph, type WorkflowEdge, type WorkflowNode } from './model';
import { edgesInInputOrder } from './inputOrder';
import { sortParentsFirst } from './scopes';

/** A node as the server receives it (workflow-format.md §2). */
export interface PayloadNode {
  id: string;
  type?: string;
  data?: Record<string, unknown> | null;
  position?: { x: number; y: number };
  parentId?: string;
  [key: string]: unknown;
}

/** An edge as the server receives it (workflow-format.md §4). */
export interface PayloadEdge {
  id?: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
  [key: string]: unknown;
}

export interface WorkflowPayload {
  nodes: PayloadNode[];
  edges: PayloadEdge[];
  [key: string]: unknown;
}

/** The result of opening a payload. */
export interface LoadedGraph extends Graph {
  /** Top-level keys other than nodes/edges (e.g. `workflow_id`), kept for export. */
  meta: Record<string, unknown>;
  /** Some node had no position: the caller should auto-layout. */
  needsLayout: boolean;
}

export class PayloadFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadFormatError';
  }
}

export const DEFAULT_SCOPE_SIZE = { width: 380, height: 240 } as const;

const NODE_KEYS = new Set(['id', 'type', 'data', 'position', 'parentId']);
const EDGE_KEYS = new Set(['id', 'source', 'target', 'sourceHandle', 'targetHandle']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isPosition(p: unknown): p is { x: number; y: number } {
  return isObject(p) && Number.isFinite(p.x) && Number.isFinite(p.y);
}

function pickExtra(source: Record<string, unknown>, known: Set<string>): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) if (!known.has(k)) extra[k] = v;
  return Object.keys(extra).length > 0 ? extra : undefined;
}

/**
 * Converts a payload into React Flow nodes and edges. Nothing is normalised away: types,
 * data, handles, edge order and unknown keys all survive a round trip through
 * `graphToPayload`. Scope nodes (catalogue `scope: true`) become sized boxes.
 */
export function payloadToGraph(payload: unknown, catalogue: NodeCatalogue): LoadedGraph {
  if (!isObject(payload)) throw new PayloadFormatError('A workflow must be a JSON object with "nodes" and "edges" arrays.');
  const rawNodes = payload.nodes ?? [];
  const rawEdges = payload.edges ?? [];
  if (!Array.isArray(rawNodes)) throw new PayloadFormatError('"nodes" must be an array.');
  if (!Array.isArray(rawEdges)) throw new PayloadFormatError('"edges" must be an array.');

  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(payload)) if (k !== 'nodes' && k !== 'edges') meta[k] = v;

  const ids = new Set<string>();
  let needsLayout = false;
  const nodes: WorkflowNode[] = rawNodes.map((raw, index) => {
    if (!isObject(raw)) throw new PayloadFormatError(`Node ${index + 1} is not an object.`);
    if (typeof raw.id !== 'string' || raw.id === '') throw new PayloadFormatError(`Node ${index + 1} has no "id" text.`);
    if (ids.has(raw.id)) throw new PayloadFormatError(`Two nodes share the id "${raw.id}".`);
    ids.add(raw.id);
    if (!isPosition(raw.position)) needsLayout = true;

    const extra = pickExtra(raw, NODE_KEYS) ?? {};
    const data: WorkflowNode['data'] = {
      config: isObject(raw.data) ? structuredClone(raw.data) : {},
    };
    if (typeof raw.type === 'string') data.type = raw.type;
    else if (raw.type !== undefined) extra.type = raw.type; // a non-text type is kept as it was
    if (raw.data === null) data.rawData = 'null';
    else if (raw.data === undefined) data.rawData = 'absent';

    const node: WorkflowNode = {
      id: raw.id,
      type: WORKFLOW_NODE,
      position: isPosition(raw.position) ? { x: raw.position.x, y: raw.position.y } : { x: 0, y: 0 },
      data,
    };
    if (typeof raw.parentId === 'string' && raw.parentId !== '') node.parentId = raw.parentId;
    if (catalogue.byType.get(effectiveType(data))?.scope) {
      // A scope box keeps its size in the payload's width/height (ignored by the engine).
      node.width = Number.isFinite(extra.width) ? (extra.width as number) : DEFAULT_SCOPE_SIZE.width;
      node.height = Number.isFinite(extra.height) ? (extra.height as number) : DEFAULT_SCOPE_SIZE.height;
      delete extra.width;
      delete extra.height;
    }
    if (Object.keys(extra).length > 0) data.extra = extra;
    return node;
  });

  // A parentId naming no node cannot be drawn as a sub-flow; keep it verbatim for export.
  for (const node of nodes) {
    if (node.parentId && !ids.has(node.parentId)) {
      node.data.extra = { ...node.data.extra, parentId: node.parentId };
      delete node.parentId;
    }
  }
  breakParentCycles(nodes);

  const edgeIds = new Set<string>();
  const edges: WorkflowEdge[] = rawEdges.map((raw, index) => {
    if (!isObject(raw)) throw new PayloadFormatError(`Edge ${index + 1} is not an object.`);
    if (typeof raw.source !== 'string' || typeof raw.target !== 'string') {
      throw new PayloadFormatError(`Edge ${index + 1} needs "source" and "target" node ids.`);
    }
    let id = typeof raw.id === 'string' && raw.id !== '' && !edgeIds.has(raw.id) ? raw.id : '';
    if (id === '') id = uniqueEdgeId(edgeIds, `e-${raw.source}-${raw.target}`);
    edgeIds.add(id);
    const edge: WorkflowEdge = {
      id,
      source: raw.source,
      target: raw.target,
      sourceHandle: typeof raw.sourceHandle === 'string' ? raw.sourceHandle : null,
      targetHandle: typeof raw.targetHandle === 'string' ? raw.targetHandle : null,
    };
    const extra = pickExtra(raw, EDGE_KEYS);
    if (extra) edge.data = { extra };
    return edge;
  });

  return { nodes: sortParentsFirst(nodes), edges, meta, needsLayout };
}

function uniqueEdgeId(used: Set<string>, base: string): string {
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}

/** A parent chain that loops cannot be drawn; the loop's last link is kept as an extra key. */
function breakParentCycles(nodes: WorkflowNode[]): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const node of nodes) {
    const seen = new Set<string>([node.id]);
    let current = node;
    while (current.parentId) {
      if (seen.has(current.parentId)) {
        current.data.extra = { ...current.data.extra, parentId: current.parentId };
        delete current.parentId;
        break;
      }
      seen.add(current.parentId);
      current = byId.get(current.parentId)!;
    }
  }
}

/** Builds the exact request payload (workflow-format.md §1–§4) from the editor's graph. */
export function graphToPayload(nodes: readonly WorkflowNode[], edges: readonly WorkflowEdge[], meta: Record<string, unknown> = {}): WorkflowPayload {
  const payloadNodes = nodes.map((node): PayloadNode => {
    const out: PayloadNode = { id: node.id };
    if (node.data.type !== undefined) out.type = node.data.type;
    const config = node.data.config;
    const untouched = Object.keys(config).length === 0;
    if (untouched && node.data.rawData === 'null') out.data = null;
    else if (!(untouched && node.data.rawData === 'absent')) out.data = structuredClone(config);
    out.position = { x: node.position.x, y: node.position.y };
    if (node.parentId) out.parentId = node.parentId;
    const width = node.width ?? node.measured?.width;
    const height = node.height ?? node.measured?.height;
    if (node.width !== undefined && width !== undefined && height !== undefined) {
      out.width = Math.round(width);
      out.height = Math.round(height);
    }
    if (node.data.extra) for (const [k, v] of Object.entries(node.data.extra)) if (!(k in out)) out[k] = structuredClone(v);
    return out;
  });
  // The engine takes inputs in edge order: numbered input handles decide it.
  const payloadEdges = edgesInInputOrder(edges).map((edge): PayloadEdge => {
    const out: PayloadEdge = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: edge.sourceHandle ?? null,
      targetHandle: edge.targetHandle ?? null,
    };
    const extra = edge.data?.extra;
    if (extra) for (const [k, v] of Object.entries(extra)) if (!(k in out)) out[k] = structuredClone(v);
    return out;
  });
  return { ...structuredClone(meta), nodes: payloadNodes, edges: payloadEdges };
}

/** A workflow file: a bare payload, or a stored record (`{name, data}` / `{workflow: {...}}`). */
export interface ParsedWorkflowFile {
  payload: WorkflowPayload;
  name?: string;
  description?: string;
}

/** Reads an imported file's text, explaining what is wrong when it is not a workflow. */
export function parseWorkflowFile(text: string): ParsedWorkflowFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new PayloadFormatError(`The file is not valid JSON: ${(e as Error).message}`);
  }
  if (isObject(value) && isObject(value.workflow)) value = value.workflow;
  if (isObject(value) && !('nodes' in value) && isObject(value.data) && 'nodes' in value.data) {
    return {
      payload: value.data as WorkflowPayload,
      name: typeof value.name === 'string' ? value.name : undefined,
      description: typeof value.description === 'string' ? value.description : undefined,
    };
  }
  if (!isObject(value) || !Array.isArray(value.nodes)) {
    throw new PayloadFormatError('A workflow file must be a JSON object with a "nodes" array (and usually an "edges" array).');
  }
  if (value.edges !== undefined && value.edges !== null && !Array.isArray(value.edges)) {
    throw new PayloadFormatError('"edges" must be an array.');
  }
  // An exported file names the workflow beside the payload: it becomes the title, not payload data.
  const { name, description, ...payload } = value;
  if (typeof name === 'string' || typeof description === 'string') {
    return {
      payload: { ...(typeof name === 'string' ? {} : { name }), ...(typeof description === 'string' ? {} : { description }), ...payload } as WorkflowPayload,
      name: typeof name === 'string' ? name : undefined,
      description: typeof description === 'string' ? description : undefined,
    };
  }
  return { payload: value as WorkflowPayload };
}
