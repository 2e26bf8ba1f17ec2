import { describe, expect, it } from 'vitest';
import { outputHandlesFor, switchCaseHandleId, switchCasesProblem, uniqueCasePath } from '../../src/catalogue/handles';
import type { Graph } from '../../src/graph/model';
import {
  addNode,
  connect,
  connectionProblem,
  copyNodes,
  createNode,
  deleteElements,
  pasteContent,
  setConfigValue,
  updateSwitchCases,
} from '../../src/graph/operations';
import { payloadToGraph } from '../../src/graph/payload';
import { reparentNode, scopeAt } from '../../src/graph/scopes';
import { fixtureCatalogue } from '../fixtures/catalogue';

const spec = (type: string) => fixtureCatalogue.byType.get(type)!;
const load = (payload: unknown): Graph => payloadToGraph(payload, fixtureCatalogue);
const edge = (source: string, target: string, sourceHandle: string | null = null) => ({ source, target, sourceHandle, targetHandle: null });

describe('switch dynamic handles', () => {
  const data = {
    cases: [
      { when: 'input == 200', output_path: 'success' },
      { when: 'input == 404', output_path: 'not_found' },
      { when: 'default', is_default: true },
    ],
  };

  it('gives one handle per case, the default named by its output_path or "default"', () => {
    expect(outputHandlesFor(spec('switch'), data).map((h) => h.id)).toEqual(['success', 'not_found', 'default']);
    const named = { cases: [...data.cases.slice(0, 2), { when: 'default', output_path: 'other', is_default: true }] };
    expect(outputHandlesFor(spec('switch'), named).map((h) => h.id)).toEqual(['success', 'not_found', 'other']);
  });

  it('falls back to case_<index> for a case without output_path, like the engine', () => {
    expect(switchCaseHandleId({ when: 'x' }, 2)).toBe('case_2');
    expect(switchCasesProblem([{ when: 'x' }, { when: 'default', is_default: true }])).toMatch(/Case 1 needs an output path/);
  });

  it('reports misplaced or missing default cases', () => {
    expect(switchCasesProblem([{ is_default: true }, { when: 'a', output_path: 'a' }])).toMatch(/must be the last/);
    expect(switchCasesProblem([{ when: 'a', output_path: 'a' }])).toMatch(/exactly one default/);
    expect(switchCasesProblem(data.cases)).toBeUndefined();
  });

  it('uses fixed catalogue outputs for other nodes', () => {
    expect(outputHandlesFor(spec('condition'), {}).map((h) => h.id)).toEqual(['true', 'false']);
    expect(outputHandlesFor(spec('number'), {}).map((h) => h.id)).toEqual([null]);
    expect(outputHandlesFor(undefined, {}).map((h) => h.id)).toEqual([null]);
  });

  it('generates unused case names', () => {
    expect(uniqueCasePath([{ output_path: 'case_1' }, { output_path: 'case_3' }])).toBe('case_2');
  });

  it('renames edges with their case and removes edges of deleted cases', () => {
    const graph = load({
      nodes: [
        { id: 's', type: 'switch', data },
        { id: 'ok', type: 'text_input', data: { text: 'ok' } },
        { id: 'nf', type: 'text_input', data: { text: 'nf' } },
        { id: 'other', type: 'text_input', data: { text: 'other' } },
      ],
      edges: [edge('s', 'ok', 'success'), edge('s', 'nf', 'not_found'), edge('s', 'other', 'default')],
    });
    const cases = [
      { when: 'input == 200', output_path: 'good' },
      { when: 'default', is_default: true },
    ];
    const next = updateSwitchCases(graph, 's', cases, { success: 'good' }, fixtureCatalogue);
    expect(next.edges.map((e) => [e.target, e.sourceHandle])).toEqual([
      ['ok', 'good'],
      ['other', 'default'],
    ]);
    expect(next.nodes.find((n) => n.id === 's')!.data.config.cases).toEqual(cases);
  });
});

describe('graph operations', () => {
  it('creates nodes with readable ids and catalogue defaults', () => {
    const a = createNode(spec('number'), { x: 10.4, y: 20.6 }, []);
    expect(a.id).toBe('number_1');
    expect(a.data).toEqual({ type: 'number', config: { value: 0 } });
    expect(a.position).toEqual({ x: 10, y: 21 });
    const b = createNode(spec('number'), { x: 0, y: 0 }, ['number_1']);
    expect(b.id).toBe('number_2');
    const loop = createNode(spec('for_each'), { x: 0, y: 0 }, []);
    expect(loop.width).toBeGreaterThan(0);
  });

  it('does not share default objects between nodes', () => {
    const a = createNode(spec('switch'), { x: 0, y: 0 }, []);
    const b = createNode(spec('switch'), { x: 0, y: 0 }, [a.id]);
    expect(a.data.config.cases).not.toBe(b.data.config.cases);
  });

  it('refuses self-loops, duplicates, inputs on source nodes, full inputs and scope crossings', () => {
    let graph = load({
      nodes: [
        { id: 'a', type: 'number', data: { value: 1 } },
        { id: 'b', type: 'number', data: { value: 2 } },
        { id: 'c', type: 'number', data: { value: 3 } },
        { id: 'op', type: 'operation', data: { op: 'add' } },
        { id: 'loop', type: 'for_each', data: {} },
        { id: 'body', type: 'expression', parentId: 'loop', data: { expression: 'item' } },
      ],
      edges: [],
    });
    const c = (source: string, target: string) => ({ source, target, sourceHandle: null, targetHandle: null });
    expect(connectionProblem(graph, c('a', 'a'), fixtureCatalogue)).toMatch(/itself/);
    expect(connectionProblem(graph, c('op', 'a'), fixtureCatalogue)).toMatch(/takes no inputs/);
    expect(connectionProblem(graph, c('a', 'body'), fixtureCatalogue)).toMatch(/scope/);
    expect(connectionProblem(graph, c('a', 'loop'), fixtureCatalogue)).toBeUndefined();
    graph = connect(graph, c('a', 'op'));
    expect(connectionProblem(graph, c('a', 'op'), fixtureCatalogue)).toMatch(/already connected/);
    graph = connect(graph, c('b', 'op'));
    expect(connectionProblem(graph, c('c', 'op'), fixtureCatalogue)).toMatch(/at most 2 inputs/);
    expect(graph.edges.map((e) => e.id)).toEqual(['e-a-op', 'e-b-op']);
    expect(graph.edges[0].sourceHandle).toBeNull();
  });

  it('deletes scopes with their bodies and all attached edges', () => {
    const graph = load({
      nodes: [
        { id: 'in', type: 'range', data: { start: 1, end: 3 } },
        { id: 'loop', type: 'for_each', data: {} },
        { id: 'x', type: 'expression', parentId: 'loop', data: { expression: 'item' } },
        { id: 'y', type: 'expression', parentId: 'loop', data: { expression: 'item' } },
        { id: 'out', type: 'visualization', data: {} },
      ],
      edges: [edge('in', 'loop'), edge('x', 'y'), edge('loop', 'out')],
    });
    const next = deleteElements(graph, ['loop']);
    expect(next.nodes.map((n) => n.id)).toEqual(['in', 'out']);
    expect(next.edges).toEqual([]);
    const onlyEdge = deleteElements(graph, [], [graph.edges[0].id]);
    expect(onlyEdge.edges).toHaveLength(2);
    expect(onlyEdge.nodes).toHaveLength(5);
  });

  it('copies and pastes nodes with fresh ids, internal edges and scope bodies', () => {
    const graph = load({
      nodes: [
        { id: 'loop', type: 'for_each', data: {}, position: { x: 100, y: 100 } },
        { id: 'x', type: 'expression', parentId: 'loop', data: { expression: 'item' }, position: { x: 10, y: 50 } },
        { id: 'y', type: 'expression', parentId: 'loop', data: { expression: 'item' }, position: { x: 200, y: 50 } },
        { id: 'z', type: 'number', data: { value: 4 }, position: { x: 0, y: 0 } },
      ],
      edges: [edge('x', 'y'), edge('z', 'loop')],
    });
    const clip = copyNodes(graph, ['loop']);
    expect(clip.nodes.map((n) => n.id)).toEqual(['loop', 'x', 'y']);
    expect(clip.edges).toHaveLength(1);
    const { graph: next, pastedIds } = pasteContent(graph, clip, { x: 40, y: 40 });
    expect(pastedIds).toEqual(['for_each_1', 'expression_1', 'expression_2']);
    const pastedLoop = next.nodes.find((n) => n.id === 'for_each_1')!;
    expect(pastedLoop.position).toEqual({ x: 140, y: 140 });
    expect(next.nodes.find((n) => n.id === 'expression_1')!.parentId).toBe('for_each_1');
    expect(next.nodes.find((n) => n.id === 'expression_1')!.position).toEqual({ x: 10, y: 50 });
    expect(next.edges.at(-1)).toMatchObject({ source: 'expression_1', target: 'expression_2' });
    // Originals untouched.
    expect(next.nodes.filter((n) => ['loop', 'x', 'y', 'z'].includes(n.id))).toHaveLength(4);
  });

  it('copying a body node alone pastes it at the top level at its screen position', () => {
    const graph = load({
      nodes: [
        { id: 'loop', type: 'for_each', data: {}, position: { x: 100, y: 100 } },
        { id: 'x', type: 'expression', parentId: 'loop', data: { expression: 'item' }, position: { x: 10, y: 50 } },
      ],
      edges: [],
    });
    const { graph: next } = pasteContent(graph, copyNodes(graph, ['x']), { x: 0, y: 0 });
    const pasted = next.nodes.find((n) => n.id === 'expression_1')!;
    expect(pasted.parentId).toBeUndefined();
    expect(pasted.position).toEqual({ x: 110, y: 150 });
  });

  it('sets and removes configuration keys without touching other nodes', () => {
    const graph = addNode({ nodes: [], edges: [] }, createNode(spec('number'), { x: 0, y: 0 }, []));
    const set = setConfigValue(graph, 'number_1', 'value', 42);
    expect(set.nodes[0].data.config).toEqual({ value: 42 });
    expect(graph.nodes[0].data.config).toEqual({ value: 0 });
    expect(setConfigValue(set, 'number_1', 'value', undefined).nodes[0].data.config).toEqual({});
  });

  it('finds the innermost scope under a point and reparents keeping the screen position', () => {
    const graph = load({
      nodes: [
        { id: 'outer', type: 'try_catch', data: {}, position: { x: 0, y: 0 }, width: 600, height: 400 },
        { id: 'inner', type: 'for_each', data: {}, parentId: 'outer', position: { x: 50, y: 60 }, width: 300, height: 200 },
        { id: 'n', type: 'number', data: { value: 1 }, position: { x: 700, y: 700 } },
      ],
      edges: [],
    });
    const isScope = (node: { data: { type?: string } }) => !!fixtureCatalogue.byType.get(node.data.type ?? '')?.scope;
    expect(scopeAt({ x: 100, y: 100 }, graph.nodes, isScope)?.id).toBe('inner');
    expect(scopeAt({ x: 500, y: 350 }, graph.nodes, isScope)?.id).toBe('outer');
    expect(scopeAt({ x: 100, y: 100 }, graph.nodes, isScope, ['outer'])).toBeUndefined();
    const moved = reparentNode(graph.nodes, 'n', 'inner');
    expect(moved.find((x) => x.id === 'n')).toMatchObject({ parentId: 'inner', position: { x: 650, y: 640 } });
    const back = reparentNode(moved, 'n', undefined);
    expect(back.find((x) => x.id === 'n')!.position).toEqual({ x: 700, y: 700 });
    expect(back.find((x) => x.id === 'n')!.parentId).toBeUndefined();
  });
});
