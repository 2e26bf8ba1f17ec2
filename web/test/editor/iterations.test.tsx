import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src/api/client';
import { App } from '../../src/App';
import { collectIterations, defaultIteration } from '../../src/editor/iterations';
import { fixtureCatalogueBody } from '../fixtures/catalogue';

/** Per-iteration records in the shape the engine reports: node_id, scope_node_id, 0-based iteration. */
const events = [
  { type: 'node_started', node_id: 'sq', scope_node_id: 'loop', iteration: 0 },
  { type: 'node_completed', node_id: 'sq', scope_node_id: 'loop', iteration: 0, result: 1 },
  { type: 'node_completed', node_id: 'sq', scope_node_id: 'loop', iteration: 1, result: 4 },
  { type: 'node_failed', node_id: 'sq', scope_node_id: 'loop', iteration: 2, error: 'item is not a number' },
  { type: 'node_completed', node_id: 'sq', scope_node_id: 'loop', iteration: 3, result: 16 },
];

describe('per-iteration results', () => {
  it('collects records from any array of the results, counting iterations and failures', () => {
    const scopes = collectIterations({ execution_id: 'x', node_results: { loop: [1, 4] }, events });
    const loop = scopes.get('loop')!;
    expect(loop.count).toBe(4);
    expect(loop.failed).toEqual([2]);
    expect(loop.byIteration.get(1)?.get('sq')).toEqual({ status: 'succeeded', result: 4 });
    expect(loop.byIteration.get(2)?.get('sq')).toEqual({ status: 'failed', message: 'item is not a number' });
    expect(defaultIteration(loop)).toBe(2);
    expect(collectIterations({ node_results: {} }).size).toBe(0);
  });

  it('shows a body node’s result for the iteration picked on its box', async () => {
    const user = userEvent.setup();
    const api = {
      getNodeCatalogue: vi.fn(),
      validate: vi.fn().mockResolvedValue({ valid: true }),
      execute: vi.fn().mockResolvedValue({
        success: true,
        execution_time: '1ms',
        results: { execution_id: 'r1', node_results: { items: [1, 2, 'x', 4], loop: [1, 4, null, 16] }, final_output: null, events },
      }),
      save: vi.fn(),
      list: vi.fn().mockResolvedValue([]),
      load: vi.fn(),
      remove: vi.fn(),
    } as unknown as ApiClient;
    render(<App api={api} loadCatalogue={vi.fn().mockResolvedValue(fixtureCatalogueBody)} />);
    await screen.findByTestId('palette-item-number');
    const file = new File(
      [
        JSON.stringify({
          nodes: [
            { id: 'items', type: 'transform', data: { transform_type: 'to_array' }, position: { x: 0, y: 0 } },
            { id: 'loop', type: 'for_each', data: {}, position: { x: 300, y: 0 }, width: 400, height: 260 },
            { id: 'sq', type: 'expression', parentId: 'loop', data: { expression: 'item * item' }, position: { x: 40, y: 80 } },
          ],
          edges: [{ id: 'e1', source: 'items', target: 'loop' }],
        }),
      ],
      'loop.json',
      { type: 'application/json' },
    );
    await user.upload(screen.getByTestId('import-file-input'), file);
    await screen.findByTestId('node-sq');
    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(screen.getByTestId('execution-status').getAttribute('data-phase')).toBe('succeeded'));

    expect(screen.getByTestId('iteration-summary-loop').textContent).toBe('4 iterations · 1 failed');
    expect(screen.getByTestId('node-result-row-sq').textContent).toContain('4 iterations, 1 failed');
    // The failed iteration is shown first.
    expect(screen.getByTestId('node-sq').getAttribute('data-status')).toBe('failed');
    expect(screen.getByTestId('node-error-sq').textContent).toBe('item is not a number');
    await user.click(screen.getByRole('button', { name: 'Previous iteration' }));
    expect(screen.getByTestId('node-result-sq').textContent).toBe('4');
    await user.click(screen.getByRole('button', { name: 'First iteration' }));
    expect(screen.getByTestId('node-result-sq').textContent).toBe('1');
    await user.click(screen.getByRole('button', { name: 'Last iteration' }));
    expect(screen.getByTestId('node-result-sq').textContent).toBe('16');
    await user.click(screen.getByTestId('iteration-failed-loop'));
    expect((screen.getByTestId('iteration-index-loop') as HTMLInputElement).value).toBe('2');
  });
});
