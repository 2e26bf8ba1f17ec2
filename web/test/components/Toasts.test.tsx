import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ToastProvider, useToasts } from '../../src/components/Toasts';

let api: ReturnType<typeof useToasts>;
function Capture() {
  api = useToasts();
  return null;
}

describe('toasts', () => {
  it('a progress toast goes as soon as its work ends, the others stay', () => {
    render(
      <ToastProvider>
        <Capture />
      </ToastProvider>,
    );
    let done = () => {};
    act(() => {
      done = api.show('info', 'Laying out 500 nodes…');
      api.show('success', 'Imported 500 nodes');
    });
    expect(screen.getAllByTestId('toast').map((t) => t.textContent)).toEqual(['Laying out 500 nodes…×', 'Imported 500 nodes×']);
    act(() => done());
    expect(screen.getAllByTestId('toast').map((t) => t.textContent)).toEqual(['Imported 500 nodes×']);
  });
});
