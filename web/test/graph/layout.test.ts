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

describe('autoLayout of a long chain', () => {
  it('folds a strip far wider than high into stacked rows, so it fits a screen', () => {
    const count = 120;
    const graph = payloadToGraph(
      {
        nodes: Array.from({ length: count }, (_, i) => ({ id: `n${i}`, type: 'number', data: { value: i } })),
        edges: Array.from({ length: count - 1 }, (_, i) => ({ source: `n${i}`, target: `n${i + 1}` })),
      },
      fixtureCatalogue,
    );
    const laid = autoLayout(graph, { isScope });
    const xs = laid.nodes.map((n) => n.position.x);
    const ys = laid.nodes.map((n) => n.position.y);
    const width = Math.max(...xs) - Math.min(...xs) + 220;
    const height = Math.max(...ys) - Math.min(...ys) + 96;
    // Unfolded: 120 layers of 300 px in one row (36,000 × 96).
    expect(width / height).toBeLessThan(4);
    expect(new Set(ys).size).toBeGreaterThan(1);
    // No two nodes overlap.
    const boxes = laid.nodes.map((n) => n.position);
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++)
        expect(Math.abs(boxes[i].x - boxes[j].x) >= 220 || Math.abs(boxes[i].y - boxes[j].y) >= 96).toBe(true);
    // Each row keeps the chain's order left to right.
    const pos = Object.fromEntries(laid.nodes.map((n) => [n.id, n.position]));
    for (let i = 1; i < count; i++) {
      if (pos[`n${i}`].y === pos[`n${i - 1}`].y) expect(pos[`n${i}`].x).toBeGreaterThan(pos[`n${i - 1}`].x);
      else expect(pos[`n${i}`].y).toBeGreaterThan(pos[`n${i - 1}`].y);
    }
  });

  it('leaves a graph of ordinary shape as dagre placed it', () => {
    const graph = payloadToGraph(
      { nodes: [{ id: 'a', type: 'number', data: { value: 1 } }, { id: 'b', type: 'number', data: { value: 2 } }], edges: [{ source: 'a', target: 'b' }] },
      fixtureCatalogue,
    );
    const laid = autoLayout(graph, { isScope });
    expect(laid.nodes.map((n) => n.position.y)).toEqual([0, 0]);
  });
});
