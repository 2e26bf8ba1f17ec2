import { createContext, useContext } from 'react';
import { EMPTY_CATALOGUE, type NodeCatalogue } from '../../catalogue/catalogue';
import type { CheckProblem } from '../../api/types';
import type { ScopeIterations } from '../../editor/iterations';
import type { NodeRunInfo } from '../../editor/useWorkflowRun';

/** Handle ids that edges use on a node, so handles missing from the catalogue still get drawn. */
export interface ReferencedHandles {
  sources: Set<string | null>;
  targets: Set<string | null>;
}

export interface CanvasContextValue {
  catalogue: NodeCatalogue;
  nodeInfo: Record<string, NodeRunInfo>;
  highlighted: ReadonlySet<string>;
  referencedHandles: ReadonlyMap<string, ReferencedHandles>;
  childCount: ReadonlyMap<string, number>;
  /** The server's check, by node. */
  problems: ReadonlyMap<string, CheckProblem[]>;
  /** Nodes whose shown result predates an edit. */
  stale: ReadonlySet<string>;
  /** Sources wired into each node, in input order. */
  inputs: ReadonlyMap<string, { edgeId: string; source: string; sourceTitle: string; targetHandle: string | null }[]>;
  /** Per-iteration results of scope bodies, and the iteration each scope box shows. */
  iterations: ReadonlyMap<string, ScopeIterations>;
  chosenIteration: ReadonlyMap<string, number>;
  onChooseIteration?(scopeId: string, iteration: number): void;
  onResizeStart(): void;
  onMoveInput?(nodeId: string, edgeId: string, delta: -1 | 1): void;
}

export const CanvasContext = createContext<CanvasContextValue>({
  catalogue: EMPTY_CATALOGUE,
  nodeInfo: {},
  highlighted: new Set(),
  referencedHandles: new Map(),
  childCount: new Map(),
  problems: new Map(),
  stale: new Set(),
  inputs: new Map(),
  iterations: new Map(),
  chosenIteration: new Map(),
  onResizeStart() {},
});

export function useCanvasContext(): CanvasContextValue {
  return useContext(CanvasContext);
}
