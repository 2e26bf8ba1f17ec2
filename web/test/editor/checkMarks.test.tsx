import { act, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { EditorView } from '@codemirror/view';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../src/api/client';
import type { CheckProblem } from '../../src/api/types';
import { FieldEditor } from '../../src/components/config/FieldEditor';
import { useWorkflowCheck, type MarkedProblem } from '../../src/editor/useWorkflowCheck';
import { fixtureCatalogue } from '../fixtures/catalogue';
import { ConfigPanelHarness, configNode } from '../support/ConfigPanelHarness';

const expressionNode = (expression: string) => configNode('e', 'expression', { expression });

/** The side panel of one expression node, with the server's problems as the check left them. */
function Panel({ problems }: { problems: CheckProblem[] }) {
  return <ConfigPanelHarness initial={expressionNode('input * * 2')} problems={problems} />;
}

describe('check marks after a fix', () => {
  it('records the value each field problem was about', async () => {
    const check = vi.fn().mockResolvedValue({
      valid: false,
      errors: [
        { node_id: 'e', field: 'expression', message: "unexpected '*'", column: 9 },
        { node_id: 'e', field: null, message: 'needs 1 input, has 0' },
      ],
    });
    const client = { check } as unknown as ApiClient;
    const { result } = renderHook(() => useWorkflowCheck(client, [expressionNode('input * * 2')], []));
    await waitFor(() => expect(result.current.byNode.get('e')).toHaveLength(2));
    const [field, node] = result.current.byNode.get('e')! as MarkedProblem[];
    expect(field.checkedValue).toBe('input * * 2');
    expect('checkedValue' in node).toBe(false);
  });

  it("drops a field's server mark at the first edit; the node's own problem stays until checked again", async () => {
    const problems: MarkedProblem[] = [
      { node_id: 'e', field: 'expression', message: "unexpected '*'", column: 9, checkedValue: 'input * * 2' },
      { node_id: 'e', field: null, message: 'needs 1 input, has 0' },
    ];
    render(<Panel problems={problems} />);
    expect(screen.getByTestId('field-error-expression').textContent).toMatch(/unexpected/);
    fireEvent.change(screen.getByTestId('field-expression'), { target: { value: 'input * 2' } });
    expect(screen.queryByTestId('field-error-expression')).toBeNull();
    expect(screen.getByTestId('config-node-problems').textContent).toMatch(/needs 1 input/);
    // Typed back to the text the check was about: its mark is true again.
    fireEvent.change(screen.getByTestId('field-expression'), { target: { value: 'input * * 2' } });
    expect(screen.getByTestId('field-error-expression').textContent).toMatch(/unexpected/);
  });

  it("drops the live parse error at the first keystroke, without waiting for the parser's next answer", async () => {
    const field = fixtureCatalogue.byType.get('expression')!.fields.find((f) => f.name === 'expression')!;
    let answered = 0;
    const check = vi.fn((text: string) => {
      if (text.includes('* *')) {
        answered++;
        return Promise.resolve({ message: "unexpected '*'", column: 9 });
      }
      return new Promise<undefined>(() => {}); // the answer about the fixed text never comes
    });
    function Field() {
      const [value, setValue] = useState<unknown>('input * * 2');
      return <FieldEditor field={field} value={value} onCommit={setValue} expression={{ scope: () => ({ functions: [], methods: [], upstream: [], bound: [], variables: [] }), check }} />;
    }
    render(<Field />);
    const error = await screen.findByTestId('field-error-expression', {}, { timeout: 5000 });
    expect(error.textContent).toMatch(/unexpected '\*' \(column 9\)/);
    expect(answered).toBe(1);

    const view = EditorView.findFromDOM(screen.getByTestId('field-expression'))!;
    act(() => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: 'input * 2' } }));
    expect(screen.queryByTestId('field-error-expression')).toBeNull();
  });
});
