import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src/api/client';
import { App } from '../../src/App';
import { fixtureCatalogueBody } from '../fixtures/catalogue';

function fakeApi(overrides: Partial<ApiClient> = {}): ApiClient {
  return {
    getNodeCatalogue: vi.fn(),
    execute: vi.fn().mockResolvedValue({ success: true, execution_time: '1ms', results: { execution_id: 'abc', node_results: {}, final_output: null } }),
    validate: vi.fn().mockResolvedValue({ valid: true }),
    save: vi.fn().mockResolvedValue('saved-1'),
    list: vi.fn().mockResolvedValue([]),
    load: vi.fn(),
    remove: vi.fn().mockResolvedValue(undefined),
    ...overrides,
  } as ApiClient;
}

async function renderApp(api = fakeApi()) {
  const loadCatalogue = vi.fn().mockResolvedValue(fixtureCatalogueBody);
  render(<App api={api} loadCatalogue={loadCatalogue} />);
  await screen.findByTestId('palette-item-number');
  return { api, loadCatalogue };
}

const nodeIds = () => [...document.querySelectorAll('[data-testid^="node-"][data-node-type]')].map((el) => el.getAttribute('data-testid')!.slice(5));

describe('editor (jsdom)', () => {
  it('builds the palette from the catalogue, grouped, with search', async () => {
    const user = userEvent.setup();
    const { loadCatalogue } = await renderApp();
    expect(loadCatalogue).toHaveBeenCalledOnce();
    expect(screen.getByRole('button', { name: 'Control Flow (5)' })).toBeTruthy();
    await user.type(screen.getByLabelText('Search nodes'), 'delay');
    expect(screen.getAllByRole('button', { name: /^Add .* node$/ }).map((b) => b.getAttribute('data-testid'))).toEqual(['palette-item-delay']);
  });

  it('adds nodes by click and undoes/redoes with the keyboard', async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.click(screen.getByTestId('palette-item-number'));
    await user.click(screen.getByTestId('palette-item-number'));
    expect(nodeIds()).toEqual(['number_1', 'number_2']);
    expect(screen.getByTestId('unsaved-indicator')).toBeTruthy();

    const body = document.body;
    fireEvent.keyDown(body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(nodeIds()).toEqual(['number_1']));
    fireEvent.keyDown(body, { key: 'Z', ctrlKey: true, shiftKey: true });
    await waitFor(() => expect(nodeIds()).toEqual(['number_1', 'number_2']));
    fireEvent.keyDown(body, { key: 'z', ctrlKey: true });
    fireEvent.keyDown(body, { key: 'z', ctrlKey: true });
    await waitFor(() => expect(nodeIds()).toEqual([]));
    fireEvent.keyDown(body, { key: 'y', ctrlKey: true });
    await waitFor(() => expect(nodeIds()).toEqual(['number_1']));
  });

  it('edits the selected node in the side panel, deletes with the Delete key, duplicates with Ctrl+D', async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.click(screen.getByTestId('palette-item-delay'));
    // A new node is selected, so the panel shows its form.
    const duration = await screen.findByLabelText('Duration');
    await user.clear(duration);
    await user.type(duration, '250ms');
    await user.click(screen.getByTestId('json-button'));
    const payload = JSON.parse(screen.getByTestId('json-dialog-text').textContent!);
    expect(payload.nodes).toEqual([{ id: 'delay_1', type: 'delay', data: { duration: '250ms' }, position: expect.any(Object) }]);
    await user.click(screen.getByRole('button', { name: 'Close dialog' }));

    fireEvent.keyDown(document.body, { key: 'd', ctrlKey: true });
    await waitFor(() => expect(nodeIds()).toEqual(['delay_1', 'delay_2']));
    fireEvent.keyDown(document.body, { key: 'Delete' });
    await waitFor(() => expect(nodeIds()).toEqual(['delay_1']));
  });

  it('copies and pastes the selection with fresh ids, and adds nodes dropped from the palette', async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.click(screen.getByTestId('palette-item-text_input'));
    fireEvent.keyDown(document.body, { key: 'c', ctrlKey: true });
    fireEvent.keyDown(document.body, { key: 'v', ctrlKey: true });
    fireEvent.keyDown(document.body, { key: 'v', ctrlKey: true });
    await waitFor(() => expect(nodeIds()).toEqual(['text_input_1', 'text_input_2', 'text_input_3']));

    const dataTransfer = { types: ['application/x-thaiyyal-node-type'], getData: (t: string) => (t === 'application/x-thaiyyal-node-type' ? 'range' : ''), dropEffect: '' };
    fireEvent.dragOver(screen.getByTestId('canvas'), { dataTransfer, clientX: 300, clientY: 200 });
    fireEvent.drop(screen.getByTestId('canvas'), { dataTransfer, clientX: 300, clientY: 200 });
    await waitFor(() => expect(nodeIds()).toContain('range_1'));
  });

  it('imports a file, runs it and shows the per-node results', async () => {
    const user = userEvent.setup();
    const api = fakeApi({
      execute: vi.fn().mockResolvedValue({
        success: true,
        execution_time: '2ms',
        results: { execution_id: 'run-7', node_results: { a: 10, b: 5, sum: 15 }, final_output: 15 },
      }),
    });
    await renderApp(api);
    const file = new File(
      [JSON.stringify({ nodes: [{ id: 'a', data: { value: 10 } }, { id: 'b', data: { value: 5 } }, { id: 'sum', data: { op: 'add' } }], edges: [{ source: 'a', target: 'sum' }, { source: 'b', target: 'sum' }] })],
      'sum.json',
      { type: 'application/json' },
    );
    await user.upload(screen.getByTestId('import-file-input'), file);
    await waitFor(() => expect(nodeIds()).toEqual(['a', 'b', 'sum']));
    expect(screen.getByTestId('workflow-title').textContent).toContain('sum');

    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(screen.getByTestId('execution-status').getAttribute('data-phase')).toBe('succeeded'));
    expect(screen.getByTestId('node-result-sum').textContent).toBe('15');
    expect(screen.getByTestId('final-output').textContent).toBe('15');
    expect(screen.getByTestId('execution-id').textContent).toBe('run-7');
    // The request is the unchanged payload: no types were added to the inferred nodes.
    const sent = (api.execute as ReturnType<typeof vi.fn>).mock.calls[0][0];
    expect(sent.nodes.map((n: { type?: string }) => n.type)).toEqual([undefined, undefined, undefined]);
    expect(sent.edges.map((e: { sourceHandle: unknown }) => e.sourceHandle)).toEqual([null, null]);
  });

  it('shows the failing node and the details of a failed run', async () => {
    const user = userEvent.setup();
    const api = fakeApi({
      execute: vi.fn().mockResolvedValue({ success: false, error: 'Workflow execution failed', details: 'error executing node number_1: boom', error_kind: 'node_failed' }),
    });
    await renderApp(api);
    await user.click(screen.getByTestId('palette-item-number'));
    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(screen.getByTestId('execution-status').getAttribute('data-phase')).toBe('failed'));
    expect(screen.getByTestId('execution-error-details').textContent).toBe('error executing node number_1: boom');
    expect(screen.getByTestId('node-number_1').getAttribute('data-highlighted')).toBe('true');
    expect(screen.getByTestId('node-error-number_1').textContent).toBe('error executing node number_1: boom');
  });

  it('asks before discarding unsaved work, and saves under a name', async () => {
    const user = userEvent.setup();
    const { api } = await renderApp();
    await user.click(screen.getByTestId('palette-item-number'));
    await user.click(screen.getByTestId('new-button'));
    expect(screen.getByTestId('confirm-dialog')).toBeTruthy();
    await user.click(screen.getByTestId('confirm-cancel'));
    expect(nodeIds()).toEqual(['number_1']);

    fireEvent.keyDown(document.body, { key: 's', ctrlKey: true });
    const name = await screen.findByTestId('save-name-input');
    await user.clear(name);
    await user.type(name, 'My sum');
    await user.click(screen.getByTestId('save-confirm'));
    await screen.findByTestId('saved-indicator');
    expect(api.save).toHaveBeenCalledWith('My sum', '', expect.objectContaining({ nodes: [expect.objectContaining({ id: 'number_1' })] }));
    expect(screen.queryByTestId('unsaved-indicator')).toBeNull();

    await user.click(screen.getByTestId('new-button'));
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(nodeIds()).toEqual([]);
  });

  it('drops the pins of a workflow when another replaces it, so a node with the same id is not pinned', async () => {
    const user = userEvent.setup();
    const { api } = await renderApp();
    await user.click(screen.getByTestId('palette-item-number'));
    fireEvent.contextMenu(screen.getByTestId('node-title-number_1'));
    await user.click(await screen.findByTestId('context-menu-pin-output'));
    fireEvent.change(await screen.findByTestId('pin-value-input'), { target: { value: '42' } });
    await user.click(screen.getByTestId('pin-save'));
    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(api.execute).toHaveBeenCalledTimes(1));
    expect(vi.mocked(api.execute).mock.calls[0][0]).toMatchObject({ pinned_results: { number_1: 42 } });

    await user.click(screen.getByTestId('new-button'));
    await user.click(screen.getByTestId('confirm-ok'));
    await user.click(screen.getByTestId('palette-item-number'));
    expect(nodeIds()).toEqual(['number_1']);
    await user.click(screen.getByTestId('run-button'));
    await waitFor(() => expect(api.execute).toHaveBeenCalledTimes(2));
    expect(vi.mocked(api.execute).mock.calls[1][0]).not.toHaveProperty('pinned_results');
  });

  it('opens examples, which lay themselves out and draw scope bodies inside their box', async () => {
    const user = userEvent.setup();
    await renderApp();
    await user.click(screen.getByTestId('examples-button'));
    await user.click(screen.getByTestId('example-array-loop'));
    await waitFor(() => expect(nodeIds().sort()).toEqual(['each', 'numbers', 'times_ten', 'total']));
    expect(screen.getByTestId('node-each').className).toContain('scope-box');
    await user.click(screen.getByTestId('json-button'));
    const payload = JSON.parse(screen.getByTestId('json-dialog-text').textContent!);
    const byId = Object.fromEntries(payload.nodes.map((n: { id: string }) => [n.id, n]));
    // The body node keeps its parentId and sits inside the box, which was sized to hold it.
    expect(byId.times_ten.parentId).toBe('each');
    expect(byId.times_ten.position.x).toBeGreaterThan(0);
    expect(byId.times_ten.position.x + 200).toBeLessThanOrEqual(byId.each.width);
    expect(byId.times_ten.position.y + 80).toBeLessThanOrEqual(byId.each.height);
    // Layout put the box after the range that feeds it.
    expect(byId.each.position.x).toBeGreaterThan(byId.numbers.position.x);
  });

  it('remembers the theme choice', async () => {
    const user = userEvent.setup();
    localStorage.removeItem('thaiyyal.theme');
    await renderApp();
    const before = document.documentElement.dataset.theme;
    await user.click(screen.getByTestId('theme-toggle'));
    const after = document.documentElement.dataset.theme;
    expect(after).not.toBe(before);
    expect(localStorage.getItem('thaiyyal.theme')).toBe(after);
    await act(async () => {});
  });
});
