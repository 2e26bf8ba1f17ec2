import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src/api/client';
import { useWorkflowRun } from '../../src/editor/useWorkflowRun';

const payload = {
  nodes: ['a', 'b', 'c'].map((id) => ({ id, type: 'number', data: { value: 1 } })),
  edges: [],
};

function api(overrides: Partial<ApiClient>): ApiClient {
  return {
    getNodeCatalogue: vi.fn(),
    execute: vi.fn(),
    validate: vi.fn().mockResolvedValue({ valid: true }),
    save: vi.fn(),
    list: vi.fn(),
    load: vi.fn(),
    remove: vi.fn(),
    ...overrides,
  } as ApiClient;
}

describe('useWorkflowRun', () => {
  it('validates first and stops with every node a cycle error names highlighted', async () => {
    const client = api({
      validate: vi.fn().mockResolvedValue({ valid: false, error: 'workflow contains cycles (circular dependencies): a → b → a' }),
    });
    const { result } = renderHook(() => useWorkflowRun(client));
    await act(() => result.current.run(payload));
    expect(client.execute).not.toHaveBeenCalled();
    expect(result.current.state.phase).toBe('invalid');
    expect(result.current.state.highlighted).toEqual(['a', 'b']);
    expect(result.current.state.nodeInfo.a.status).toBe('invalid');
    expect(result.current.state.failure?.details).toMatch(/cycles/);
  });

  it('marks executed nodes with their results and the rest as skipped', async () => {
    const client = api({
      execute: vi.fn().mockResolvedValue({
        success: true,
        execution_time: '1ms',
        results: { execution_id: 'e', node_results: { a: 1, c: 3 }, final_output: 3 },
      }),
    });
    const { result } = renderHook(() => useWorkflowRun(client));
    await act(() => result.current.run(payload));
    expect(result.current.state.phase).toBe('succeeded');
    expect(result.current.state.nodeInfo).toEqual({
      a: { status: 'succeeded', result: 1 },
      b: { status: 'skipped' },
      c: { status: 'succeeded', result: 3 },
    });
  });

  it('shows details, the failing node and partial results of a failure', async () => {
    const client = api({
      execute: vi.fn().mockResolvedValue({
        success: false,
        error: 'Workflow execution failed',
        details: 'error executing node b: division by zero',
        error_kind: 'node_failed',
        node_id: 'b',
        results: { node_results: { a: 1 } },
      }),
    });
    const { result } = renderHook(() => useWorkflowRun(client));
    await act(() => result.current.run(payload));
    const state = result.current.state;
    expect(state.phase).toBe('failed');
    expect(state.failure).toEqual({ summary: 'Workflow execution failed', details: 'error executing node b: division by zero', kind: 'node_failed', nodeId: 'b' });
    expect(state.highlighted).toEqual(['b']);
    expect(state.nodeInfo.a).toEqual({ status: 'succeeded', result: 1 });
    expect(state.nodeInfo.b.status).toBe('failed');
    expect(state.nodeInfo.c).toBeUndefined();
  });

  it('runs anyway when the validator is unavailable', async () => {
    const { ApiError } = await import('../../src/api/client');
    const client = api({
      validate: vi.fn().mockRejectedValue(new ApiError('HTTP error 404', 404)),
      execute: vi.fn().mockResolvedValue({ success: true, execution_time: '1ms', results: { execution_id: 'e', node_results: {}, final_output: null } }),
    });
    const { result } = renderHook(() => useWorkflowRun(client));
    await act(() => result.current.run(payload));
    expect(result.current.state.phase).toBe('succeeded');
  });

  it('aborts the request on cancel and reports a cancellation', async () => {
    let seenSignal: AbortSignal | undefined;
    const client = api({
      execute: vi.fn(
        (_p, signal?: AbortSignal) =>
          new Promise((_resolve, reject) => {
            seenSignal = signal;
            signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
          }),
      ) as ApiClient['execute'],
    });
    const { result } = renderHook(() => useWorkflowRun(client));
    let running!: Promise<void>;
    act(() => {
      running = result.current.run(payload);
    });
    await waitFor(() => expect(result.current.state.phase).toBe('running'));
    expect(result.current.busy).toBe(true);
    act(() => result.current.cancel());
    await act(() => running);
    expect(seenSignal?.aborted).toBe(true);
    expect(result.current.state.phase).toBe('cancelled');
    expect(result.current.busy).toBe(false);
  });
});

describe('useWorkflowRun with scopes', () => {
  it('does not call body nodes skipped when the server reports only the scope result', async () => {
    const client = api({
      execute: vi.fn().mockResolvedValue({
        success: true,
        execution_time: '1ms',
        results: { execution_id: 'e', node_results: { items: [1, 2], loop: [1, 4] }, final_output: [1, 4] },
      }),
    });
    const scoped = {
      nodes: [
        { id: 'items', type: 'range', data: { start: 1, end: 2 } },
        { id: 'loop', type: 'for_each', data: {} },
        { id: 'sq', type: 'expression', parentId: 'loop', data: { expression: 'item * item' } },
        { id: 'unused', type: 'number', data: { value: 1 } },
      ],
      edges: [],
    };
    const { result } = renderHook(() => useWorkflowRun(client));
    await act(() => result.current.run(scoped));
    expect(result.current.state.nodeInfo.sq).toBeUndefined();
    expect(result.current.state.nodeInfo.loop).toEqual({ status: 'succeeded', result: [1, 4] });
    expect(result.current.state.nodeInfo.unused).toEqual({ status: 'skipped' });
  });
});
