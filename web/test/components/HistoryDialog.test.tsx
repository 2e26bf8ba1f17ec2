import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { createApiClient, type ApiClient, type FetchLike } from '../../src/api/client';
import type { ExecutionSummary } from '../../src/api/types';
import { HistoryDialog } from '../../src/components/dialogs/HistoryDialog';

function run(n: number): ExecutionSummary {
  return { id: `run-${n}`, workflow_id: 'wf', workflow_version: 1, mode: 'async', source: 'editor', status: 'succeeded', created_at: `2026-12-0${1 + (n % 5)}T00:00:00Z`, duration_ms: n };
}

describe('HistoryDialog', () => {
  it('shows the first page of runs and appends older pages until the last one', async () => {
    const user = userEvent.setup();
    const pages: Record<string, { executions: ExecutionSummary[]; next_cursor: string | null }> = {
      '': { executions: [run(1), run(2)], next_cursor: 'c1' },
      c1: { executions: [run(3)], next_cursor: 'c2' },
      c2: { executions: [run(4)], next_cursor: null },
    };
    const listExecutions = vi.fn(async (_id: string, cursor?: string) => pages[cursor ?? '']);
    const api = { listExecutions, listVersions: vi.fn().mockResolvedValue([]) } as unknown as ApiClient;
    render(<HistoryDialog api={api} workflowId="wf" title="W" onOpenExecution={vi.fn()} onOpenVersion={vi.fn()} onClose={vi.fn()} />);

    const table = await screen.findByTestId('history-runs');
    expect(within(table).getAllByRole('row')).toHaveLength(3); // header + 2 runs
    await user.click(screen.getByTestId('history-older-runs'));
    await waitFor(() => expect(within(table).getAllByRole('row')).toHaveLength(4));
    await user.click(screen.getByTestId('history-older-runs'));
    await waitFor(() => expect(screen.getByTestId('history-run-run-4')).toBeTruthy());
    expect(screen.queryByTestId('history-older-runs')).toBeNull();
    expect(listExecutions.mock.calls.map((c) => c[1])).toEqual([undefined, 'c1', 'c2']);
  });

  it('asks the server for the next page with the cursor it was given', async () => {
    const urls: string[] = [];
    const fetchImpl: FetchLike = async (url) => {
      urls.push(url);
      const body = url.includes('cursor=') ? { executions: [run(3)], next_cursor: null } : { executions: [run(1)], next_cursor: 'a/b+c' };
      return new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });
    };
    const api = createApiClient('', fetchImpl);
    const first = await api.listExecutions!('w 1');
    expect(first).toEqual({ executions: [run(1)], next_cursor: 'a/b+c' });
    const second = await api.listExecutions!('w 1', first.next_cursor!);
    expect(second.next_cursor).toBeNull();
    expect(urls).toEqual(['/api/v1/executions?workflow_id=w%201&limit=50', '/api/v1/executions?workflow_id=w%201&limit=50&cursor=a%2Fb%2Bc']);
  });
});
