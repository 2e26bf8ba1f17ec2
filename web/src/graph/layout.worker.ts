/// <reference lib="webworker" />
// Runs the auto-layout off the main thread: a 500-node graph takes dagre a second or more.
import { computeLayout, type LayoutInput } from './layout';

self.onmessage = (event: MessageEvent<{ id: number; input: LayoutInput }>) => {
  const { id, input } = event.data;
  try {
    self.postMessage({ id, result: computeLayout(input) });
  } catch (e) {
    self.postMessage({ id, error: (e as Error).message });
  }
};
