import { useCallback, useRef, useState } from 'react';
import type { WorkflowPayload } from '../graph/payload';
import { withPins, type FinishedRun, type Pins } from './testFile';

export interface PinState {
  pins: Pins;
  pin(nodeId: string, value: unknown): void;
  unpin(nodeId: string): void;
  /** Drops every pin: another workflow replaced the canvas, and its nodes may reuse the same ids. */
  clear(): void;
  /** The payload to send for a run, pins attached; remembers it (and when) for "save as test". */
  prepareRun(payload: WorkflowPayload): WorkflowPayload;
  /** The last payload sent and when, to pair with the run's results. */
  lastSent(): Pick<FinishedRun, 'payload' | 'startedAt'> | undefined;
}

/** Pinned node outputs of the open workflow (kept while it stays open, not saved with the workflow). */
export function usePins(): PinState {
  const [pins, setPins] = useState<Pins>({});
  const pinsRef = useRef(pins);
  pinsRef.current = pins;
  const sent = useRef<Pick<FinishedRun, 'payload' | 'startedAt'> | undefined>(undefined);

  const pin = useCallback((nodeId: string, value: unknown) => setPins((p) => ({ ...p, [nodeId]: value })), []);
  const unpin = useCallback(
    (nodeId: string) =>
      setPins((p) => {
        const { [nodeId]: _removed, ...rest } = p;
        return rest;
      }),
    [],
  );
  const clear = useCallback(() => setPins({}), []);
  const prepareRun = useCallback((payload: WorkflowPayload) => {
    const withPinned = withPins(payload, pinsRef.current);
    sent.current = { payload: withPinned, startedAt: new Date() };
    return withPinned;
  }, []);
  const lastSent = useCallback(() => sent.current, []);
  return { pins, pin, unpin, clear, prepareRun, lastSent };
}
