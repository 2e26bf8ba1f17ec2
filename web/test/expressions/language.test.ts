import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { boundNames } from '../../src/expressions/bindings';
import { completeExpression, type CompletionScope } from '../../src/expressions/language';

const scope: CompletionScope = {
  functions: [
    { name: 'sum', signature: 'sum(array) | sum(a, b, …)', description: 'Sum.' },
    { name: 'upperBound', signature: 'upperBound(x)', description: 'made up for the test' },
  ],
  methods: [{ name: 'toUpperCase', signature: '.toUpperCase()', description: 'Upper case.' }],
  upstream: [{ id: 'orders', title: 'Orders' }],
  bound: boundNames('map'),
  variables: ['limit'],
};

function complete(text: string, explicit = false) {
  const state = EditorState.create({ doc: text });
  return completeExpression(() => scope)(new CompletionContext(state, text.length, explicit));
}

describe('expression completion', () => {
  it('offers functions with their signatures and the names bound in the field', () => {
    const result = complete('su')!;
    expect(result.from).toBe(0);
    const sum = result.options.find((o) => o.label === 'sum(')!;
    expect(sum.detail).toBe('sum(array) | sum(a, b, …)');
    expect(result.options.map((o) => o.label)).toEqual(expect.arrayContaining(['item', 'index', 'items', 'node.', 'variables.', 'context.']));
  });

  it('offers methods after a dot, upstream ids after node., variable names after variables.', () => {
    const methods = complete('item.name.up')!;
    expect(methods.from).toBe('item.name.'.length);
    expect(methods.options.map((o) => o.label)).toEqual(['toUpperCase(']);
    const nodes = complete('node.')!;
    expect(nodes.options.map((o) => [o.label, o.detail])).toEqual([['orders', 'Orders']]);
    const variables = complete('variables.li')!;
    expect(variables.from).toBe('variables.'.length);
    expect(variables.options.map((o) => o.label)).toEqual(['limit']);
    expect(complete('sum(x).')!.options.map((o) => o.label)).toEqual(['toUpperCase(']);
  });

  it('stays quiet on an operator unless asked', () => {
    expect(complete('1 + ')).toBeNull();
    expect(complete('1 + ', true)!.options.length).toBeGreaterThan(0);
  });

  it('binds accumulator only in reduce and item only where elements are evaluated', () => {
    expect(boundNames('reduce')).toContain('accumulator');
    expect(boundNames('map')).not.toContain('accumulator');
    expect(boundNames('condition')).toEqual(['input']);
  });
});
