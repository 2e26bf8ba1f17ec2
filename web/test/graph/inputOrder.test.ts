import { describe, expect, it } from 'vitest';
import { subgraphUpTo, ancestorsOf } from '../../src/graph/ancestors';
import { edgesInInputOrder, moveInput, orderedInputEdges } from '../../src/graph/inputOrder';
import { nodeSignatures, staleNodes } from '../../src/editor/staleness';
import { payloadToGraph } from '../../src/graph/payload';
import { fixtureCatalogue } from '../fixtures/catalogue';

const graph = (payload: unknown) => payloadToGraph(payload, fixtureCatalogue);

describe('input order', () => {
  const g = graph({
    nodes: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'join', type: 'join' }, { id: 'op', type: 'operation', data: { op: 'subtract' } }],
    edges: [
      { id: 'ab', source: 'a', target: 'join' },
      { id: 'bop', source: 'b', target: 'op', targetHandle: 'in-2' },
      { id: 'cb', source: 'c', target: 'join' },
      { id: 'aop', source: 'a', target: 'op', targetHandle: 'in-1' },
    ],
  });

  it('orders numbered inputs by number and the others as listed', () => {
    expect(orderedInputEdges(g.edges, 'op').map((e) => e.id)).toEqual(['aop', 'bop']);
    expect(orderedInputEdges(g.edges, 'join').map((e) => e.id)).toEqual(['ab', 'cb']);
    expect(edgesInInputOrder(g.edges).map((e) => e.id)).toEqual(['ab', 'aop', 'cb', 'bop']);
  });

  it('moves an input: numbered handles are renumbered, a plain list is reordered in place', () => {
    const swapped = moveInput(g, 'op', 'aop', 1, true);
    expect(swapped.edges.filter((e) => e.target === 'op').map((e) => [e.id, e.targetHandle])).toEqual([
      ['bop', 'in-1'],
      ['aop', 'in-2'],
    ]);
    const listed = moveInput(g, 'join', 'cb', -1, false);
    expect(listed.edges.map((e) => e.id)).toEqual(['cb', 'bop', 'ab', 'aop']);
    expect(moveInput(g, 'join', 'ab', -1, false)).toBe(g); // already first
  });
});

describe('ancestors, run to here and staleness', () => {
  const g = graph({
    nodes: [
      { id: 'src', type: 'number', data: { value: 1 } },
      { id: 'loop', type: 'for_each' },
      { id: 'body', type: 'expression', parentId: 'loop', data: { expression: 'item' } },
      { id: 'after', type: 'expression', data: { expression: 'input' } },
      { id: 'other', type: 'number', data: { value: 2 } },
    ],
    edges: [
      { id: 'e1', source: 'src', target: 'loop' },
      { id: 'e2', source: 'loop', target: 'after' },
    ],
  });

  it('finds what a node depends on, through edges and enclosing scopes', () => {
    expect([...ancestorsOf('after', g.nodes, g.edges)].sort()).toEqual(['loop', 'src']);
    expect([...ancestorsOf('body', g.nodes, g.edges)].sort()).toEqual(['loop', 'src']);
  });

  it('runs a scope with its whole body, and leaves unrelated nodes out', () => {
    const part = subgraphUpTo('after', g.nodes, g.edges);
    expect(part.nodes.map((n) => n.id).sort()).toEqual(['after', 'body', 'loop', 'src']);
    expect(part.edges.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('marks a changed node, what is downstream and the loop around a changed body as stale', () => {
    const ran = nodeSignatures(g.nodes, g.edges);
    expect(staleNodes(ran, g.nodes, g.edges).size).toBe(0);
    const edited = g.nodes.map((n) => (n.id === 'body' ? { ...n, data: { ...n.data, config: { expression: 'item * 2' } } } : n));
    expect([...staleNodes(ran, edited, g.edges)].sort()).toEqual(['after', 'body', 'loop']);
    const rewired = g.edges.filter((e) => e.id !== 'e1');
    expect([...staleNodes(ran, g.nodes, rewired)].sort()).toEqual(['after', 'body', 'loop']);
  });
});
