import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src/api/client';
import { useWorkflowCheck } from '../../src/editor/useWorkflowCheck';
import type { WorkflowNode } from '../../src/graph/model';

const expressionNode = (expression: string): WorkflowNode => ({
  id: 'e',
  type: 'workflow',
  position: { x: 0, y: 0 },
  data: { type: 'expression', config: { expression } },
});

describe('useWorkflowCheck', () => {
  it('drops a field mark as soon as the node is edited, before the next answer arrives', async () => {
    const check = vi.fn().mockImplementation(async (payload: { nodes: { data: { expression: string } }[] }) =>
      payload.nodes[0].data.expression.includes('* *')
        ? { valid: false, errors: [{ node_id: 'e', field: 'expression', message: "unexpected '*'", column: 9 }, { node_id: 'e', field: null, message: 'needs 1 input, has 0' }] }
        : { valid: true, errors: [] },
    );
    const client = { check } as unknown as ApiClient;
    const { result, rerender } = renderHook(({ nodes }) => useWorkflowCheck(client, nodes, []), {
      initialProps: { nodes: [expressionNode('input * * 2')] },
    });
    await waitFor(() => expect(result.current.byNode.get('e')).toHaveLength(2));

    // Fixed, and not yet checked again: the field's old error is gone at once; the node-wide problem stays.
    rerender({ nodes: [expressionNode('input * 2')] });
    expect(result.current.byNode.get('e')?.map((p) => p.message)).toEqual(['needs 1 input, has 0']);
    expect(check).toHaveBeenCalledTimes(1);

    await waitFor(() => expect(check).toHaveBeenCalledTimes(2));
    await waitFor(() => expect(result.current.byNode.has('e')).toBe(false));
  });
});
