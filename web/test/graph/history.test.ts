import { describe, expect, it } from 'vitest';
import { UndoHistory } from '../../src/graph/history';

describe('UndoHistory', () => {
  it('undoes and redoes in order', () => {
    const h = new UndoHistory<string>();
    let state = 'a';
    const change = (next: string) => {
      h.record(state);
      state = next;
    };
    change('b');
    change('c');
    expect(h.canUndo).toBe(true);
    state = h.undo(state)!;
    expect(state).toBe('b');
    state = h.undo(state)!;
    expect(state).toBe('a');
    expect(h.undo(state)).toBeUndefined();
    expect(h.canRedo).toBe(true);
    state = h.redo(state)!;
    expect(state).toBe('b');
    state = h.redo(state)!;
    expect(state).toBe('c');
    expect(h.redo(state)).toBeUndefined();
  });

  it('drops the redo stack when a new change is recorded', () => {
    const h = new UndoHistory<number>();
    h.record(1);
    const back = h.undo(2);
    expect(back).toBe(1);
    h.record(1);
    expect(h.canRedo).toBe(false);
  });

  it('coalesces changes with the same key inside the time window', () => {
    let now = 0;
    const h = new UndoHistory<string>(100, 1000, () => now);
    h.record('', 'node-1:value');
    now = 200;
    h.record('1', 'node-1:value');
    now = 400;
    h.record('12', 'node-1:value');
    // One step back undoes the whole burst of typing.
    expect(h.undo('123')).toBe('');
    expect(h.canUndo).toBe(false);
  });

  it('starts a new step after the window, a different key, or breakCoalescing', () => {
    let now = 0;
    const h = new UndoHistory<string>(100, 1000, () => now);
    h.record('a', 'k');
    now = 5000;
    h.record('b', 'k');
    h.record('c', 'other');
    h.breakCoalescing();
    h.record('d', 'other');
    expect(h.undo('e')).toBe('d');
    expect(h.undo('d')).toBe('c');
    expect(h.undo('c')).toBe('b');
    expect(h.undo('b')).toBe('a');
  });

  it('forgets the oldest steps past the limit, and clear empties both stacks', () => {
    const h = new UndoHistory<number>(3);
    for (let i = 0; i < 5; i++) h.record(i);
    expect(h.undo(5)).toBe(4);
    expect(h.undo(4)).toBe(3);
    expect(h.undo(3)).toBe(2);
    expect(h.undo(2)).toBeUndefined();
    h.clear();
    expect(h.canUndo || h.canRedo).toBe(false);
  });
});
