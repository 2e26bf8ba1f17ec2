import type { InternalNode } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { farEdgePaths } from '../../src/components/canvas/FarEdges';
import type { WorkflowEdge } from '../../src/graph/model';

/** An internal node as React Flow keeps it: absolute position, measured size, handle bounds once measured. */
function node(id: string, x: number, y: number, handles?: InternalNode['internals']['handleBounds'], hidden = false): InternalNode {
  return {
    id,
    position: { x, y },
    data: {},
    hidden,
    measured: { width: 200, height: 80 },
    internals: { positionAbsolute: { x, y }, z: 0, userNode: { id, position: { x, y }, data: {} }, handleBounds: handles },
  } as InternalNode;
}

const edge = (id: string, source: string, target: string, sourceHandle?: string): WorkflowEdge => ({ id, source, target, sourceHandle });
const never = () => false;

describe('far-zoom edges', () => {
  it('draws each edge from the middle of its source card’s right side to the middle of its target’s left side before handles are measured', () => {
    const lookup = new Map([
      ['a', node('a', 0, 0)],
      ['b', node('b', 300, 100)],
    ]);
    expect(farEdgePaths([edge('e', 'a', 'b')], lookup, never, never)).toEqual({ plain: 'M200 40L300 140', skipped: '', highlighted: '' });
  });

  it('uses the centre of the measured handle the edge names', () => {
    const lookup = new Map([
      [
        'if',
        node('if', 10, 20, {
          source: [
            { id: 'true', type: 'source', nodeId: 'if', position: 'right', x: 195, y: 30, width: 10, height: 10 },
            { id: 'false', type: 'source', nodeId: 'if', position: 'right', x: 195, y: 60, width: 10, height: 10 },
          ],
          target: [{ id: null, type: 'target', nodeId: 'if', position: 'left', x: -5, y: 35, width: 10, height: 10 }],
        } as InternalNode['internals']['handleBounds']),
      ],
      ['next', node('next', 400, 20)],
    ]);
    const paths = farEdgePaths([edge('f', 'if', 'next', 'false'), edge('back', 'next', 'if')], lookup, never, never);
    expect(paths.plain).toBe('M210 85L400 60M600 60L10 60');
  });

  it('sorts edges into plain, skipped and highlighted paths, and leaves out edges whose ends are missing or hidden', () => {
    const lookup = new Map([
      ['a', node('a', 0, 0)],
      ['b', node('b', 300, 0)],
      ['c', node('c', 600, 0)],
      ['h', node('h', 900, 0, undefined, true)],
    ]);
    const edges = [edge('ab', 'a', 'b'), edge('bc', 'b', 'c'), edge('ac', 'a', 'c'), edge('ch', 'c', 'h'), edge('ax', 'a', 'gone')];
    const paths = farEdgePaths(
      edges,
      lookup,
      (e) => e.target === 'c',
      (e) => e.id === 'ac',
    );
    expect(paths).toEqual({ plain: 'M200 40L300 40', skipped: 'M500 40L600 40', highlighted: 'M200 40L600 40' });
  });
});
