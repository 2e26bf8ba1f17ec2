import { render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { WorkflowCanvas } from '../../src/components/canvas/WorkflowCanvas';
import { payloadToGraph } from '../../src/graph/payload';
import { fixtureCatalogue } from '../fixtures/catalogue';

const noop = () => {};

function renderCanvas(payload: unknown) {
  const graph = payloadToGraph(payload, fixtureCatalogue);
  render(
    <ReactFlowProvider>
      <WorkflowCanvas
        nodes={graph.nodes}
        edges={graph.edges}
        catalogue={fixtureCatalogue}
        theme="light"
        nodeInfo={{}}
        highlighted={[]}
        onNodesChange={noop}
        onEdgesChange={noop}
        onConnect={noop}
        onGestureStart={noop}
        onNodeDragStop={noop}
        onDropNodeType={noop}
        onSelectionChange={noop}
      />
    </ReactFlowProvider>,
  );
}

describe('input marks on the canvas', () => {
  it('does not ask for an input on the first node inside a loop body: the loop hands it the item', async () => {
    renderCanvas({
      nodes: [
        { id: 'items', type: 'range', data: { start: 1, end: 3 }, position: { x: 0, y: 0 } },
        { id: 'loop', type: 'for_each', data: {}, position: { x: 300, y: 0 }, width: 600, height: 300 },
        { id: 'sq', type: 'expression', parentId: 'loop', data: { expression: 'item * item' }, position: { x: 24, y: 60 } },
        { id: 'plus', type: 'expression', parentId: 'loop', data: { expression: 'input + 1' }, position: { x: 300, y: 60 } },
        { id: 'alone', type: 'expression', data: { expression: 'input' }, position: { x: 0, y: 400 } },
      ],
      edges: [
        { id: 'e1', source: 'items', target: 'loop' },
        { id: 'e2', source: 'sq', target: 'plus' },
      ],
    });
    await screen.findByTestId('node-sq');
    // The body's entry node gets the loop's item; the next one is wired from it.
    expect(screen.queryByTestId('node-inputs-needed-sq')).toBeNull();
    expect(screen.queryByTestId('node-inputs-needed-plus')).toBeNull();
    // Outside any box, nothing hands the node a value: the mark stays.
    expect(screen.getByTestId('node-inputs-needed-alone').textContent).toMatch(/needs 1 input · has 0/);
  });

  it('still asks for the second operand of an operation inside a loop body', async () => {
    renderCanvas({
      nodes: [
        { id: 'loop', type: 'for_each', data: {}, position: { x: 0, y: 0 }, width: 600, height: 300 },
        { id: 'minus', type: 'operation', parentId: 'loop', data: { op: 'subtract' }, position: { x: 24, y: 60 } },
      ],
      edges: [],
    });
    expect((await screen.findByTestId('node-inputs-needed-minus')).textContent).toMatch(/needs 2 inputs · has 1/);
  });
});
