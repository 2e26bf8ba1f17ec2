import type { Edge, Node } from '@xyflow/react';
import { inferNodeType } from '../catalogue/typeInference';

/** What the editor keeps for one workflow node (React Flow's `data`). */
export interface WorkflowNodeData extends Record<string, unknown> {
  /** The payload `type` exactly as created or imported; `undefined` when the key was absent. */
  type?: string;
  /** The payload `data` object: the node's configuration. */
  config: Record<string, unknown>;
  /** How `data` appeared when it was not an object, so an untouched node exports the same way. */
  rawData?: 'null' | 'absent';
  /** Node keys the editor does not use (e.g. `width` on a card), re-emitted verbatim. */
  extra?: Record<string, unknown>;
}

export interface WorkflowEdgeData extends Record<string, unknown> {
  /** Edge keys the editor does not use (e.g. the legacy `condition`), re-emitted verbatim. */
  extra?: Record<string, unknown>;
}

/** All workflow nodes use one React Flow node type; the catalogue decides card or scope box. */
export const WORKFLOW_NODE = 'workflow';

export type WorkflowNode = Node<WorkflowNodeData, typeof WORKFLOW_NODE>;
export type WorkflowEdge = Edge<WorkflowEdgeData>;

export interface Graph {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
}

/** The type the editor shows: the explicit one, or what the server would infer from the data. */
export function effectiveType(data: WorkflowNodeData): string {
  return data.type ? data.type : inferNodeType(data.config);
}

/** Whether the node's type came from inference (the payload has none). */
export function isTypeInferred(data: WorkflowNodeData): boolean {
  return !data.type;
}

/** The title shown on a card: the user's label, else the catalogue label, else the type. */
export function nodeTitle(data: WorkflowNodeData, catalogueLabel?: string): string {
  const label = data.config.label;
  if (typeof label === 'string' && label.trim() !== '') return label;
  return catalogueLabel ?? (effectiveType(data) || 'Untyped node');
}
