import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { UndoHistory } from '../graph/history';
import type { Graph, WorkflowEdge, WorkflowNode } from '../graph/model';
import { graphToPayload, type WorkflowPayload } from '../graph/payload';

export const UNTITLED = 'Untitled workflow';

/** Who the open workflow is: its title and, once saved, its server id. */
export interface DocumentInfo {
  title: string;
  description: string;
  /** Id in the server's store; undefined until first saved (or for imports/examples). */
  savedId?: string;
  /** The stored version shown, when the server keeps versions. */
  version?: number;
  /** Top-level payload keys other than nodes/edges (e.g. workflow_id), kept for export. */
  meta: Record<string, unknown>;
}

export interface WorkflowDocument {
  nodes: WorkflowNode[];
  edges: WorkflowEdge[];
  info: DocumentInfo;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** The current graph, for event handlers that must not wait for a render. */
  current(): Graph;
  /** Applies an undoable edit. Edits sharing a coalesce key in quick succession undo as one. */
  change(edit: (graph: Graph) => Graph, coalesceKey?: string): void;
  /** Records the current graph as an undo step before a drag or resize starts. */
  beginGesture(): void;
  /** Applies an edit that belongs to the gesture already recorded (e.g. dropping into a box). */
  amend(edit: (graph: Graph) => Graph): void;
  onNodesChange(changes: NodeChange<WorkflowNode>[]): void;
  onEdgesChange(changes: EdgeChange<WorkflowEdge>[]): void;
  undo(): void;
  redo(): void;
  breakCoalescing(): void;
  /** Replaces the whole document (open, import, example, new); history starts afresh. */
  replace(graph: Graph, info: DocumentInfo, options?: { dirty?: boolean }): void;
  setInfo(update: Partial<DocumentInfo>, options?: { markDirty?: boolean }): void;
  markSaved(savedId: string, title: string, description: string, version?: number): void;
  payload(): WorkflowPayload;
}

const EMPTY: Graph = { nodes: [], edges: [] };

/**
 * The editor's document state. The graph lives in a ref (the source of truth for handlers)
 * mirrored into React state for rendering, so history is recorded exactly once per edit
 * even under StrictMode's double-invoked updaters.
 */
export function useWorkflowDocument(): WorkflowDocument {
  const graphRef = useRef<Graph>(EMPTY);
  const historyRef = useRef(new UndoHistory<Graph>());
  const [graph, setGraph] = useState<Graph>(EMPTY);
  const [info, setInfoState] = useState<DocumentInfo>({ title: UNTITLED, description: '', meta: {} });
  const [dirty, setDirty] = useState(false);
  const [historyState, setHistoryState] = useState({ canUndo: false, canRedo: false });
  const infoRef = useRef(info);
  infoRef.current = info;

  const syncHistory = useCallback(() => {
    const h = historyRef.current;
    setHistoryState((s) => (s.canUndo === h.canUndo && s.canRedo === h.canRedo ? s : { canUndo: h.canUndo, canRedo: h.canRedo }));
  }, []);

  const commit = useCallback((next: Graph) => {
    graphRef.current = next;
    setGraph(next);
  }, []);

  const change = useCallback(
    (edit: (g: Graph) => Graph, coalesceKey?: string) => {
      const before = graphRef.current;
      const after = edit(before);
      if (after === before) return;
      historyRef.current.record(before, coalesceKey);
      commit(after);
      setDirty(true);
      syncHistory();
    },
    [commit, syncHistory],
  );

  const beginGesture = useCallback(() => {
    historyRef.current.record(graphRef.current);
    setDirty(true);
    syncHistory();
  }, [syncHistory]);

  const amend = useCallback(
    (edit: (g: Graph) => Graph) => {
      const after = edit(graphRef.current);
      if (after === graphRef.current) return;
      commit(after);
      setDirty(true);
    },
    [commit],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<WorkflowNode>[]) => {
      // Removals come only from our own delete command; React Flow's delete key is off.
      const kept = changes.filter((c) => c.type !== 'remove');
      if (kept.length === 0) return;
      const g = graphRef.current;
      commit({ nodes: applyNodeChanges(kept, g.nodes), edges: g.edges });
    },
    [commit],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<WorkflowEdge>[]) => {
      const kept = changes.filter((c) => c.type !== 'remove');
      if (kept.length === 0) return;
      const g = graphRef.current;
      commit({ nodes: g.nodes, edges: applyEdgeChanges(kept, g.edges) });
    },
    [commit],
  );

  const undo = useCallback(() => {
    const previous = historyRef.current.undo(graphRef.current);
    if (!previous) return;
    commit(previous);
    setDirty(true);
    syncHistory();
  }, [commit, syncHistory]);

  const redo = useCallback(() => {
    const next = historyRef.current.redo(graphRef.current);
    if (!next) return;
    commit(next);
    setDirty(true);
    syncHistory();
  }, [commit, syncHistory]);

  const replace = useCallback(
    (next: Graph, nextInfo: DocumentInfo, options?: { dirty?: boolean }) => {
      historyRef.current.clear();
      commit(next);
      setInfoState(nextInfo);
      setDirty(options?.dirty ?? false);
      syncHistory();
    },
    [commit, syncHistory],
  );

  const setInfo = useCallback((update: Partial<DocumentInfo>, options?: { markDirty?: boolean }) => {
    setInfoState((i) => ({ ...i, ...update }));
    if (options?.markDirty ?? true) setDirty(true);
  }, []);

  const markSaved = useCallback((savedId: string, title: string, description: string, version?: number) => {
    setInfoState((i) => ({ ...i, savedId, title, description, version }));
    setDirty(false);
  }, []);

  const payload = useCallback(() => {
    const g = graphRef.current;
    return graphToPayload(g.nodes, g.edges, infoRef.current.meta);
  }, []);

  return useMemo(
    () => ({
      nodes: graph.nodes,
      edges: graph.edges,
      info,
      dirty,
      canUndo: historyState.canUndo,
      canRedo: historyState.canRedo,
      current: () => graphRef.current,
      change,
      beginGesture,
      amend,
      onNodesChange,
      onEdgesChange,
      undo,
      redo,
      breakCoalescing: () => historyRef.current.breakCoalescing(),
      replace,
      setInfo,
      markSaved,
      payload,
    }),
    [graph, info, dirty, historyState, change, beginGesture, amend, onNodesChange, onEdgesChange, undo, redo, replace, setInfo, markSaved, payload],
  );
}
