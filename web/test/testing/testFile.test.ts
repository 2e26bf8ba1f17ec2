import { describe, expect, it } from 'vitest';
import type { WorkflowPayload } from '../../src/graph/payload';
import type { ScopeIterations } from '../../src/editor/iterations';
import type { NodeRunInfo } from '../../src/editor/useWorkflowRun';
import { buildTestFile, testFileName, withPins } from '../../src/testing/testFile';

const payload: WorkflowPayload = {
  workflow_id: 'prices',
  nodes: [
    { id: 'fetch', type: 'http', data: { url: 'https://prices.example.com/' } },
    { id: 'qty', type: 'number', data: { value: 3 } },
    { id: 'total', type: 'expression', data: { expression: 'node.fetch.price * node.qty' } },
    { id: 'big', type: 'condition', data: { condition: 'input > 100' } },
    { id: 'yes', type: 'visualization', data: {} },
  ],
  edges: [
    { source: 'fetch', target: 'total' },
    { source: 'total', target: 'big' },
    { source: 'big', target: 'yes', sourceHandle: 'true' },
  ],
};

describe('withPins', () => {
  it('attaches the pins of nodes the payload has and drops the rest', () => {
    const sent = withPins(payload, { fetch: { price: 5 }, deleted: 1 });
    expect(sent.pinned_results).toEqual({ fetch: { price: 5 } });
    expect(sent.nodes).toBe(payload.nodes);
  });

  it('sends no field when nothing is pinned, even if the imported payload had one', () => {
    expect('pinned_results' in withPins({ ...payload, pinned_results: { qty: 1 } }, {})).toBe(false);
  });
});

describe('buildTestFile', () => {
  const startedAt = new Date('2026-03-01T09:30:00.000Z');

  it('pins the http nodes with what they returned and expects every other result', () => {
    const file = buildTestFile(
      {
        payload,
        startedAt,
        success: true,
        nodeResults: { fetch: { price: 5 }, qty: 3, total: 15, big: false },
        finalOutput: false,
      },
      'a run',
    );
    expect(file.workflow).toEqual(payload);
    expect(file.now).toBe('2026-03-01T09:30:00.000Z');
    expect(file.cases).toEqual([
      {
        name: 'a run',
        pin: { fetch: { price: 5 } },
        expect: { 'node.qty': 3, 'node.total': 15, 'node.big': false, final_output: false, skipped: ['yes'] },
      },
    ]);
  });

  it('keeps the pins the run was sent with, drops them from the workflow and does not expect pinned nodes', () => {
    const file = buildTestFile(
      { payload: withPins(payload, { qty: 10, fetch: { price: 1 } }), startedAt, success: true, nodeResults: { fetch: { price: 1 }, qty: 10, total: 10, big: false }, finalOutput: false },
      'pinned',
    );
    expect('pinned_results' in file.workflow).toBe(false);
    expect(file.cases[0].pin).toEqual({ qty: 10, fetch: { price: 1 } });
    expect(Object.keys(file.cases[0].expect)).toEqual(['node.total', 'node.big', 'final_output', 'skipped']);
  });

  it('expects the error of a failed run and nothing else', () => {
    const file = buildTestFile(
      { payload, startedAt, success: false, nodeResults: { qty: 3 }, error: 'error executing node fetch: lookup failed' },
      'failing',
    );
    expect(file.cases[0].expect).toEqual({ error_contains: 'error executing node fetch: lookup failed' });
    expect(file.cases[0].pin).toBeUndefined();
  });
});

describe('buildTestFile with loops', () => {
  const startedAt = new Date('2026-03-01T09:30:00.000Z');
  const loop: WorkflowPayload = {
    nodes: [
      { id: 'items', type: 'range', data: { start: 1, end: 2 } },
      { id: 'each', type: 'for_each', data: {} },
      { id: 'fetch', type: 'http', parentId: 'each', data: { url: 'https://prices.example.com/' } },
      { id: 'line', type: 'expression', parentId: 'each', data: { expression: 'input.body.price * item' } },
    ],
    edges: [
      { source: 'items', target: 'each' },
      { source: 'fetch', target: 'line' },
    ],
  };
  const scope = (count: number, fetched: (i: number) => NodeRunInfo | undefined): Map<string, ScopeIterations> => {
    const byIteration = new Map<number, Map<string, NodeRunInfo>>();
    for (let i = 0; i < count; i++) {
      const nodes = new Map<string, NodeRunInfo>();
      const info = fetched(i);
      if (info) nodes.set('fetch', info);
      byIteration.set(i, nodes);
    }
    return new Map([['each', { count, failed: [], byIteration }]]);
  };

  it('pins an http node in a loop body with its result in each iteration', () => {
    const iterations = scope(2, (i) => ({ status: 'succeeded', result: { body: { price: 10 * (i + 1) } } }));
    const file = buildTestFile({ payload: loop, startedAt, success: true, nodeResults: { items: [1, 2], each: [10, 40] }, iterations }, 'loop');
    expect(file.cases[0].pin_iterations).toEqual({ fetch: [{ body: { price: 10 } }, { body: { price: 20 } }] });
    expect(file.cases[0].pin).toBeUndefined();
  });

  it('leaves the node unpinned when an iteration is missing or the loop had more items than were recorded', () => {
    const gap = scope(2, (i) => (i === 0 ? { status: 'succeeded', result: 1 } : undefined));
    expect(buildTestFile({ payload: loop, startedAt, success: true, nodeResults: { each: [1, 2] }, iterations: gap }, 'g').cases[0].pin_iterations).toBeUndefined();
    const cut = scope(2, () => ({ status: 'succeeded', result: 1 }));
    expect(buildTestFile({ payload: loop, startedAt, success: true, nodeResults: { each: [1, 2, 3] }, iterations: cut }, 'c').cases[0].pin_iterations).toBeUndefined();
  });
});

describe('testFileName', () => {
  it('is the title as a slug with the test suffix', () => {
    expect(testFileName('Order total (v2)')).toBe('order-total-v2.thaiyyal-test.json');
    expect(testFileName('   ')).toBe('workflow.thaiyyal-test.json');
  });
});
