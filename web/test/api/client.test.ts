import { describe, expect, it, vi } from 'vitest';
import { ApiError, createApiClient, type FetchLike } from '../../src/api/client';
import { renameStoredWorkflow, saveReplacing } from '../../src/api/workflowStore';

type Call = { url: string; init?: RequestInit };

/** A fetch that answers from a table of (method path) → [status, body]. */
function fakeFetch(routes: Record<string, [number, unknown]>) {
  const calls: Call[] = [];
  const fetchImpl: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const key = `${init?.method ?? 'GET'} ${url}`;
    const route = routes[key];
    if (!route) return new Response('not found', { status: 404 });
    const [status, body] = route;
    return new Response(body === undefined ? '' : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
  return { fetchImpl, calls };
}

const payload = { nodes: [{ id: 'a', type: 'number', data: { value: 1 } }], edges: [] };

describe('ApiClient', () => {
  it('posts the payload to execute as JSON with the abort signal', async () => {
    const success = { success: true, execution_time: '1.2ms', execution_time_ms: 1.2, results: { execution_id: 'x', node_results: { a: 1 }, final_output: 1 } };
    const { fetchImpl, calls } = fakeFetch({ 'POST /api/v1/workflow/execute': [200, success] });
    const controller = new AbortController();
    const result = await createApiClient('', fetchImpl).execute(payload, controller.signal);
    expect(result).toEqual(success);
    expect(JSON.parse(calls[0].init!.body as string)).toEqual(payload);
    expect((calls[0].init!.headers as Record<string, string>)['Content-Type']).toBe('application/json');
    expect(calls[0].init!.signal).toBe(controller.signal);
  });

  it('returns execution failure bodies (4xx/5xx) instead of throwing, with details and node', async () => {
    const failure = { success: false, error: 'Workflow execution failed', details: 'error executing node n3: division by zero', error_kind: 'node_failed', node_id: 'n3' };
    const { fetchImpl } = fakeFetch({ 'POST /api/v1/workflow/execute': [500, failure] });
    expect(await createApiClient('', fetchImpl).execute(payload)).toEqual(failure);
  });

  it('turns a body-less error answer into a failure with the status', async () => {
    const { fetchImpl } = fakeFetch({ 'POST /api/v1/workflow/execute': [502, undefined] });
    expect(await createApiClient('', fetchImpl).execute(payload)).toEqual({ success: false, error: 'HTTP error 502' });
  });

  it('lets aborts propagate so the caller can report a cancellation', async () => {
    const fetchImpl: FetchLike = () => Promise.reject(new DOMException('aborted', 'AbortError'));
    await expect(createApiClient('', fetchImpl).execute(payload)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('validates', async () => {
    const { fetchImpl } = fakeFetch({ 'POST /api/v1/workflow/validate': [200, { valid: false, error: 'bad', node_id: 'a' }] });
    expect(await createApiClient('', fetchImpl).validate(payload)).toEqual({ valid: false, error: 'bad', node_id: 'a' });
  });

  it('saves, lists, loads and deletes stored workflows', async () => {
    const { fetchImpl, calls } = fakeFetch({
      'POST /api/v1/workflow/save': [201, { success: true, id: 'id-1', message: 'Workflow saved successfully' }],
      'GET /api/v1/workflow/list': [200, { success: true, workflows: [{ id: 'id-1', name: 'W' }], count: 1 }],
      'GET /api/v1/workflow/load/id-1': [200, { success: true, workflow: { id: 'id-1', name: 'W', data: payload } }],
      'DELETE /api/v1/workflow/delete/id-1': [200, { success: true, message: 'Workflow deleted successfully' }],
    });
    const api = createApiClient('', fetchImpl);
    expect(await api.save('W', 'd', payload)).toBe('id-1');
    expect(JSON.parse(calls[0].init!.body as string)).toEqual({ name: 'W', description: 'd', data: payload });
    expect(await api.list()).toEqual([{ id: 'id-1', name: 'W' }]);
    expect((await api.load('id-1')).data).toEqual(payload);
    await api.remove('id-1');
    expect(calls.map((c) => `${c.init?.method ?? 'GET'} ${c.url}`)).toEqual([
      'POST /api/v1/workflow/save',
      'GET /api/v1/workflow/list',
      'GET /api/v1/workflow/load/id-1',
      'DELETE /api/v1/workflow/delete/id-1',
    ]);
  });

  it('throws ApiError with the server summary for failed store calls', async () => {
    const { fetchImpl } = fakeFetch({ 'GET /api/v1/workflow/load/nope': [404, { success: false, error: 'workflow with ID nope not found' }] });
    const error = await createApiClient('', fetchImpl).load('nope').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ message: 'workflow with ID nope not found', status: 404 });
  });

  it('reads the node catalogue', async () => {
    const { fetchImpl } = fakeFetch({ 'GET /api/v1/nodes': [200, { categories: [], nodes: [] }] });
    expect(await createApiClient('', fetchImpl).getNodeCatalogue()).toEqual({ categories: [], nodes: [] });
  });
});

describe('stored workflow helpers', () => {
  it('saveReplacing stores a new record and deletes the previous one', async () => {
    const api = { save: vi.fn().mockResolvedValue('new'), remove: vi.fn().mockResolvedValue(undefined) };
    const saved = await saveReplacing(api as never, 'old', 'Name', '', payload);
    expect(saved).toEqual({ id: 'new' });
    expect(api.save).toHaveBeenCalledWith('Name', '', payload);
    expect(api.remove).toHaveBeenCalledWith('old');
  });

  it('saveReplacing keeps the new record when deleting the old one fails', async () => {
    const api = { save: vi.fn().mockResolvedValue('new'), remove: vi.fn().mockRejectedValue(new Error('gone')) };
    await expect(saveReplacing(api as never, 'old', 'Name', '', payload)).resolves.toEqual({ id: 'new' });
  });

  it('with versions, saving a stored workflow makes its next version under the same id', async () => {
    const { fetchImpl, calls } = fakeFetch({ 'POST /api/v1/workflow/save': [201, { success: true, id: 'wf', version: 4 }] });
    const api = createApiClient('', fetchImpl);
    await expect(saveReplacing(api, 'wf', 'Name', 'd', payload)).resolves.toEqual({ id: 'wf', version: 4 });
    expect(JSON.parse(calls[0].init!.body as string)).toEqual({ name: 'Name', description: 'd', data: payload, id: 'wf' });
    expect(calls).toHaveLength(1); // nothing deleted
  });

  it('queues runs in async mode, for payloads and stored workflows, marked as from the editor', async () => {
    const { fetchImpl, calls } = fakeFetch({
      'POST /api/v1/workflow/execute?mode=async': [202, { execution_id: 'e1' }],
      'POST /api/v1/workflow/execute/wf%201?mode=async': [202, { execution_id: 'e2' }],
    });
    const api = createApiClient('', fetchImpl);
    await expect(api.executeAsync!(payload)).resolves.toBe('e1');
    await expect(api.executeAsync!(payload, 'wf 1')).resolves.toBe('e2');
    expect((calls[0].init!.headers as Record<string, string>)['X-Thaiyyal-Source']).toBe('editor');
  });

  it('reads the recent list and the workflow address back', async () => {
    const { rememberRecent, recentWorkflows, workflowIdFromHash, hashForWorkflow } = await import('../../src/api/workflowStore');
    localStorage.clear();
    rememberRecent('a', 'A');
    rememberRecent('b', 'B');
    rememberRecent('a', 'A2');
    expect(recentWorkflows()).toEqual([{ id: 'a', name: 'A2' }, { id: 'b', name: 'B' }]);
    rememberRecent('b', '', true);
    expect(recentWorkflows()).toEqual([{ id: 'a', name: 'A2' }]);
    expect(workflowIdFromHash(hashForWorkflow('x/y z'))).toBe('x/y z');
    expect(workflowIdFromHash('#/elsewhere')).toBeUndefined();
  });

  it('rename saves the stored data under the new name, then deletes the old id', async () => {
    const order: string[] = [];
    const api = {
      load: vi.fn(async () => (order.push('load'), { id: 'old', name: 'A', description: 'd', data: payload })),
      save: vi.fn(async () => (order.push('save'), 'new')),
      remove: vi.fn(async () => void order.push('remove')),
    };
    expect(await renameStoredWorkflow(api as never, 'old', 'B')).toBe('new');
    expect(api.save).toHaveBeenCalledWith('B', 'd', payload);
    expect(order).toEqual(['load', 'save', 'remove']);
  });
});
