import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApiClient } from '../../src/api/client';

/** An EventSource the test drives: it delivers named events and ends the stream on demand. */
class ScriptedEventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  static last: ScriptedEventSource;
  readyState = ScriptedEventSource.OPEN;
  closed = false;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, ((e: { data: string }) => void)[]>();
  constructor(readonly url: string) {
    ScriptedEventSource.last = this;
  }
  addEventListener(name: string, listener: (e: { data: string }) => void) {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
  }
  close() {
    this.closed = true;
    this.readyState = ScriptedEventSource.CLOSED;
  }
  send(name: string, data: unknown) {
    for (const l of this.listeners.get(name) ?? []) l({ data: JSON.stringify(data) });
  }
  /** The server ended the response: EventSource would reconnect after its retry delay. */
  end() {
    this.readyState = ScriptedEventSource.CONNECTING;
    this.onerror?.();
  }
}

const original = globalThis.EventSource;
afterEach(() => {
  globalThis.EventSource = original;
  vi.useRealTimers();
});

function follow() {
  globalThis.EventSource = ScriptedEventSource as unknown as typeof EventSource;
  const seen: string[] = [];
  let settled = false;
  const done = createApiClient('', vi.fn()).followExecution!('run1', (e) => seen.push(e.type)).then((e) => {
    settled = true;
    return e;
  });
  return { source: ScriptedEventSource.last, seen, done, settled: () => settled };
}

describe('following a run’s events', () => {
  it('lets the server end the stream after the final event, then closes before any reconnect', async () => {
    const { source, seen, done, settled } = follow();
    source.send('node.completed', { node_id: 'a' });
    source.send('run.completed', { status: 'completed' });
    await Promise.resolve();
    // Not closed by the editor while the server is finishing the response (that aborts the request).
    expect(source.closed).toBe(false);
    expect(settled()).toBe(false);
    source.end();
    expect((await done).type).toBe('run.completed');
    expect(source.closed).toBe(true);
    expect(seen).toEqual(['node.completed', 'run.completed']);
  });

  it('closes the stream itself when the server keeps it open after the final event', async () => {
    vi.useFakeTimers();
    const { source, done } = follow();
    source.send('run.failed', { status: 'failed' });
    expect(source.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await done).type).toBe('run.failed');
    expect(source.closed).toBe(true);
  });
});
