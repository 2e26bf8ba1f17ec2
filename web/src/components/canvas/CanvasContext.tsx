import { createContext, useContext, useRef, useSyncExternalStore } from 'react';
import { EMPTY_CATALOGUE, type NodeCatalogue } from '../../catalogue/catalogue';
import type { CheckProblem } from '../../api/types';
import type { ScopeIterations } from '../../editor/iterations';
import type { NodeRunInfo } from '../../editor/useWorkflowRun';

/** Below this zoom a card's text is under 3 px high: cards are drawn as plain boxes. */
export const FAR_ZOOM = 0.2;

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

/**
 * What the canvas shares with its cards, as a store each card reads only its own part of: a card
 * re-renders when its part changes, not when any node's problems, result or inputs change (with
 * 500 cards, re-rendering all of them on every check answer or wire is most of the editor's time).
 */
export class CanvasStore {
  private listeners = new Set<() => void>();
  constructor(private value: CanvasContextValue) {}
  get = (): CanvasContextValue => this.value;
  /** Takes the new value; readers that render now already see it. `notify` tells the others. */
  set(value: CanvasContextValue): void {
    this.value = value;
  }
  notify(): void {
    for (const listener of this.listeners) listener();
  }
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}

const DEFAULT_VALUE: CanvasContextValue = {
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
};

export const CanvasContext = createContext<CanvasStore>(new CanvasStore(DEFAULT_VALUE));

/**
 * One part of the canvas's shared state. `select` must return a value that stays the same
 * (===) while that part is unchanged: a map entry, a flag, a function.
 */
export function useCanvasValue<T>(select: (value: CanvasContextValue) => T): T {
  const store = useContext(CanvasContext);
  const read = () => select(store.get());
  return useSyncExternalStore(store.subscribe, read, read);
}

/**
 * Several parts of the shared state with one subscription: `select` returns them as a tuple, each
 * part following {@link useCanvasValue}'s rule; the tuple read last is kept while every part is the
 * same. A card of a 500-node graph subscribes once instead of once per part (docs/performance.md).
 */
export function useCanvasValues<T extends readonly unknown[]>(select: (value: CanvasContextValue) => T): T {
  const store = useContext(CanvasContext);
  const last = useRef<T | undefined>(undefined);
  const read = () => {
    const next = select(store.get());
    const previous = last.current;
    if (previous && previous.length === next.length && previous.every((part, i) => Object.is(part, next[i]))) return previous;
    last.current = next;
    return next;
  };
  return useSyncExternalStore(store.subscribe, read, read);
}
