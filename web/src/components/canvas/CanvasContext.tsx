import { createContext, useContext } from 'react';
import { EMPTY_CATALOGUE, type NodeCatalogue } from '../../catalogue/catalogue';
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
  onResizeStart(): void;
}

export const CanvasContext = createContext<CanvasContextValue>({
  catalogue: EMPTY_CATALOGUE,
  nodeInfo: {},
  highlighted: new Set(),
  referencedHandles: new Map(),
  childCount: new Map(),
  onResizeStart() {},
});

export function useCanvasContext(): CanvasContextValue {
  return useContext(CanvasContext);
}
