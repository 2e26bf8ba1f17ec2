import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ConfigPanelHarness as Harness, configNode as node } from '../support/ConfigPanelHarness';

const data = () => JSON.parse(screen.getByTestId('data').textContent!);

describe('catalogue-driven configuration form', () => {
  it('renders one control per catalogue field, chosen by field type', () => {
    render(<Harness initial={node('r', 'retry', { max_attempts: 3, backoff_strategy: 'exponential', initial_delay: '1s' })} />);
    // integer → text input, options → select, duration → text, number → text, string_array → tag input
    expect(screen.getByLabelText('Max attempts')).toHaveProperty('tagName', 'INPUT');
    expect((screen.getByLabelText('Max attempts') as HTMLInputElement).value).toBe('3');
    const backoff = screen.getByLabelText('Back-off') as HTMLSelectElement;
    expect(backoff.tagName).toBe('SELECT');
    expect([...backoff.options].map((o) => o.value)).toEqual(['', 'exponential', 'linear', 'constant']);
    expect(backoff.value).toBe('exponential');
    expect((screen.getByLabelText('Initial delay') as HTMLInputElement).value).toBe('1s');
    // Unset optional fields show their default as a hint and stay out of the data.
    expect(screen.getByLabelText('Max delay')).toHaveProperty('placeholder', 'e.g. 500ms, 2s, 1m30s');
    expect(screen.getByLabelText('Multiplier')).toHaveProperty('placeholder', 'default: 2');
    expect(screen.getByTestId('field-retry_on_errors').closest('.tag-list')).not.toBeNull();
    expect(screen.getByText('Runs the steps inside it again when they fail, waiting longer each time; without steps, checks its input for an error.')).toBeTruthy();
  });

  it('uses a checkbox for booleans and JSON boxes for any/object/array fields', () => {
    render(<Harness initial={node('t', 'try_catch', {})} />);
    const box = screen.getByLabelText('Continue on error') as HTMLInputElement;
    expect(box.type).toBe('checkbox');
    expect(box.checked).toBe(true); // catalogue default
    expect(screen.getByLabelText('Fallback value').tagName).toBe('TEXTAREA');
  });

  it('validates numbers as they are typed and only commits valid values', async () => {
    const user = userEvent.setup();
    const onValue = vi.fn();
    render(<Harness initial={node('n', 'number', { value: 0 })} onValue={onValue} />);
    const input = screen.getByLabelText('Value');
    await user.clear(input);
    expect(screen.getByTestId('field-error-value').textContent).toBe('Value is required.');
    await user.type(input, '12x');
    expect(screen.getByTestId('field-error-value').textContent).toBe('Value must be a number.');
    expect(data()).toEqual({ value: 12 });
    await user.type(input, '{Backspace}.5');
    expect(screen.queryByTestId('field-error-value')).toBeNull();
    expect(data()).toEqual({ value: 12.5 });
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(onValue).not.toHaveBeenCalledWith('value', undefined);
  });

  it('explains bad integers, durations and JSON', async () => {
    const user = userEvent.setup();
    render(<Harness initial={node('d', 'delay', { duration: '1s' })} />);
    const duration = screen.getByLabelText('Duration');
    await user.clear(duration);
    await user.type(duration, '5 minutes');
    expect(screen.getByTestId('field-error-duration').textContent).toMatch(/duration such as 500ms, 2s or 1m30s/);
    expect(data()).toEqual({ duration: '5' }); // "5" alone is valid (milliseconds); the rest was refused
    await user.clear(duration);
    await user.type(duration, '1m30s');
    expect(data()).toEqual({ duration: '1m30s' });

    render(<Harness initial={node('s', 'schema_validator', { schema: {} })} />);
    const schema = screen.getByLabelText('Schema');
    await user.clear(schema);
    await user.type(schema, '{{"type":');
    await user.tab();
    expect(screen.getByTestId('field-error-schema').textContent).toMatch(/JSON/);
  });

  it('shows the current value even when it is not among the options', () => {
    render(<Harness initial={node('o', 'operation', { op: 'modulo' })} />);
    const select = screen.getByLabelText('Operation') as HTMLSelectElement;
    expect(select.value).toBe('modulo');
    expect([...select.options].map((o) => o.value)).toContain('modulo');
  });

  it('flags stored values of the wrong type on open', () => {
    render(<Harness initial={node('n', 'number', { value: 'ten' })} />);
    expect(screen.getByTestId('field-error-value').textContent).toBe('Value must be a number, not string.');
  });

  it('edits tag lists', async () => {
    const user = userEvent.setup();
    render(<Harness initial={node('s', 'split', { paths: ['a'] })} />);
    await user.type(screen.getByLabelText('Paths'), 'b{Enter}c,');
    expect(data()).toEqual({ paths: ['a', 'b', 'c'] });
    await user.click(screen.getByRole('button', { name: 'Remove a' }));
    expect(data()).toEqual({ paths: ['b', 'c'] });
  });

  it('edits switch cases with unique output names and the default last', async () => {
    const user = userEvent.setup();
    render(<Harness initial={node('sw', 'switch', { cases: [{ when: 'input > 1', output_path: 'big' }, { when: 'default', output_path: 'default', is_default: true }] })} />);
    await user.click(screen.getByRole('button', { name: 'Add case' }));
    expect(data().cases).toEqual([
      { when: 'input > 1', output_path: 'big' },
      { when: '', output_path: 'case_1' },
      { when: 'default', output_path: 'default', is_default: true },
    ]);
    const name = screen.getByLabelText('Case 2 output name');
    await user.clear(name);
    await user.type(name, 'big');
    expect(within(screen.getByTestId('switch-case-1')).getByRole('alert').textContent).toMatch(/already uses “big”/);
    expect(data().cases[1].output_path).not.toBe('big');
    await user.type(name, 'ger');
    expect(data().cases[1].output_path).toBe('bigger');
  });

  it('falls back to a JSON editor for types the catalogue lacks, and offers the likely type', async () => {
    const user = userEvent.setup();
    render(<Harness initial={node('x', 'retryNode', { max_attempts: 3 })} />);
    expect(screen.getByRole('note').textContent).toMatch(/no node type “retryNode”/);
    expect((screen.getByTestId('raw-data-editor') as HTMLTextAreaElement).value).toBe('{\n  "max_attempts": 3\n}');
    await user.click(screen.getByRole('button', { name: 'Change the type to retry' }));
    // Now a retry node: the catalogue form replaces the JSON fallback, data unchanged.
    expect((screen.getByLabelText('Max attempts') as HTMLInputElement).value).toBe('3');
    expect(data()).toEqual({ max_attempts: 3 });
  });

  it('shows the inferred type of a node without one', () => {
    render(<Harness initial={node('i', undefined, { value: 3 })} />);
    expect(screen.getByTestId('config-node-type').textContent).toBe('number — inferred from the data');
    expect((screen.getByLabelText('Value') as HTMLInputElement).value).toBe('3');
  });
});
