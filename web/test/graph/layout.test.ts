import { describe, expect, it } from 'vitest';
import { autoLayout, SCOPE_PADDING } from '../../src/graph/layout';
import type { WorkflowNode } from '../../src/graph/model';
import { payloadToGraph } from '../../src/graph/payload';
import { fixtureCatalogue } from '../fixtures/catalogue';

const isScope = (n: WorkflowNode) => !!fixtureCatalogue.byType.get(n.data.type ?? '')?.scope;

describe('autoLayout', () => {
  it('places a chain left to right in layers', () => {
    const graph = payloadToGraph(
      {
        nodes: [
          { id: 'c', type: 'operation', data: { op: 'add' } },
          { id: 'a', type: 'number', data: { value: 1 } },
          { id: 'b', type: 'number', data: { value: 2 } },
          { id: 'd', type: 'visualization', data: {} },
        ],
        edges: [
          { source: 'a', target: 'c' },
          { source: 'b', target: 'c' },
          { source: 'c', target: 'd' },
        ],
      },
      fixtureCatalogue,
    );
    const laid = autoLayout(graph, { isScope });
    const pos = Object.fromEntries(laid.nodes.map((n) => [n.id, n.position]));
    expect(pos.a.x).toBe(pos.b.x);
    expect(pos.a.y).not.toBe(pos.b.y);
    expect(pos.c.x).toBeGreaterThan(pos.a.x);
    expect(pos.d.x).toBeGreaterThan(pos.c.x);
    expect(laid.edges).toBe(graph.edges);
  });

  it('lays out scope bodies inside their box and sizes the box to fit', () => {
    const graph = payloadToGraph(
      {
        nodes: [
          { id: 'items', type: 'range', data: { start: 1, end: 3 } },
          { id: 'loop', type: 'for_each', data: {} },
          { id: 'sq', type: 'expression', parentId: 'loop', data: { expression: 'item * item' } },
          { id: 'plus', type: 'expression', parentId: 'loop', data: { expression: 'input + 1' } },
        ],
        edges: [
          { source: 'items', target: 'loop' },
          { source: 'sq', target: 'plus' },
        ],
      },
      fixtureCatalogue,
    );
    const laid = autoLayout(graph, { isScope });
    const byId = Object.fromEntries(laid.nodes.map((n) => [n.id, n]));
    expect(byId.sq.position).toEqual({ x: SCOPE_PADDING.left, y: SCOPE_PADDING.top });
    expect(byId.plus.position.x).toBeGreaterThan(byId.sq.position.x);
    expect(byId.loop.width!).toBeGreaterThanOrEqual(byId.plus.position.x + 200);
    expect(byId.loop.position.x).toBeGreaterThan(byId.items.position.x);
    // Parents stay before children.
    const order = laid.nodes.map((n) => n.id);
    expect(order.indexOf('loop')).toBeLessThan(order.indexOf('sq'));
  });
});
