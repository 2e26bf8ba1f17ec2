import { describe, expect, it } from 'vitest';
import { nodeIdsNamedInError } from '../../src/graph/errorTargets';

describe('nodeIdsNamedInError', () => {
  const ids = ['a', 'b', 'n3', 'check'];

  it('names every existing node of a cycle', () => {
    expect(nodeIdsNamedInError('workflow contains cycles (circular dependencies): a → b → a', undefined, ids)).toEqual(['a', 'b']);
    expect(nodeIdsNamedInError('workflow contains cycles (circular dependencies): a -> ghost -> a', undefined, ids)).toEqual(['a']);
  });

  it('reads the failing node from engine and decode messages', () => {
    expect(nodeIdsNamedInError('error executing node n3: division by zero', undefined, ids)).toEqual(['n3']);
    expect(
      nodeIdsNamedInError('failed to parse payload: failed to unmarshal data for node check (type condition): missing required field: condition', undefined, ids),
    ).toEqual(['check']);
  });

  it('puts the explicit node_id first and ignores unknown ids', () => {
    expect(nodeIdsNamedInError('edge from "b" to "a" crosses a scope', 'a', ids)).toEqual(['a', 'b']);
    expect(nodeIdsNamedInError('something else', 'zzz', ids)).toEqual([]);
    expect(nodeIdsNamedInError(undefined, 'check', ids)).toEqual(['check']);
  });
});
