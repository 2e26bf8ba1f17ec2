import { applyLayout, autoLayout, layoutInput, type LayoutOptions, type LayoutResult } from './layout';
import type { Graph } from './model';

/** Graphs this small are laid out at once: a worker round trip would cost more than it saves. */
const WORKER_THRESHOLD = 60;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve(r: LayoutResult): void; reject(e: Error): void }>();

function layoutWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  if (!worker) {
    try {
      worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    } catch {
      return undefined;
    }
    worker.onmessage = (event: MessageEvent<{ id: number; result?: LayoutResult; error?: string }>) => {
      const waiting = pending.get(event.data.id);
      pending.delete(event.data.id);
      if (event.data.result) waiting?.resolve(event.data.result);
      else waiting?.reject(new Error(event.data.error ?? 'layout failed'));
    };
    worker.onerror = () => {
      for (const p of pending.values()) p.reject(new Error('The layout worker stopped.'));
      pending.clear();
      worker = undefined;
    };
  }
  return worker;
}

/**
 * Lays a graph out: small graphs at once, big ones in a Web Worker so the page stays responsive.
 * Returns the laid-out graph, or a promise of the layout to apply to whatever the graph is by then.
 */
export function layoutGraphSoon(graph: Graph, options: LayoutOptions): Graph | Promise<LayoutResult> {
  const w = graph.nodes.length >= WORKER_THRESHOLD ? layoutWorker() : undefined;
  if (!w) return autoLayout(graph, options);
  const id = nextId++;
  const input = layoutInput(graph, options);
  return new Promise<LayoutResult>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    w.postMessage({ id, input });
  });
}

export { applyLayout };
