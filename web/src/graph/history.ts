/**
 * Undo/redo over immutable snapshots. The editor records the state *before* each change;
 * a run of changes sharing a coalesce key (typing in one field) becomes one undo step.
 */
export class UndoHistory<T> {
  private past: T[] = [];
  private future: T[] = [];
  private lastKey: string | undefined;
  private lastTime = 0;

  constructor(
    private readonly limit = 200,
    private readonly coalesceWindowMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Remembers `before` as the state to return to. Clears the redo stack. */
  record(before: T, coalesceKey?: string): void {
    const time = this.now();
    const coalesce =
      coalesceKey !== undefined &&
      coalesceKey === this.lastKey &&
      time - this.lastTime <= this.coalesceWindowMs &&
      this.past.length > 0;
    this.lastKey = coalesceKey;
    this.lastTime = time;
    this.future = [];
    if (coalesce) return;
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
  }

  /** The state to show after undoing, given the current one (kept for redo). */
  undo(current: T): T | undefined {
    const previous = this.past.pop();
    if (previous === undefined) return undefined;
    this.future.push(current);
    this.lastKey = undefined;
    return previous;
  }

  redo(current: T): T | undefined {
    const next = this.future.pop();
    if (next === undefined) return undefined;
    this.past.push(current);
    this.lastKey = undefined;
    return next;
  }

  /** Ends coalescing so the next change starts a new undo step (e.g. when a field loses focus). */
  breakCoalescing(): void {
    this.lastKey = undefined;
  }

  clear(): void {
    this.past = [];
    this.future = [];
    this.lastKey = undefined;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}
