import { useEffect, useRef } from 'react';

export interface ShortcutHandlers {
  save(): void;
  run(): void;
  undo(): void;
  redo(): void;
  deleteSelection(): void;
  copy(): void;
  paste(): void;
  duplicate(): void;
  selectAll(): void;
  layout(): void;
  fitView(): void;
  help(): void;
  escape(): void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

/**
 * Editor-wide keyboard shortcuts. Save and Run work everywhere; editing shortcuts are left to
 * text fields while one has focus, and are off while a dialog is open.
 */
export function useShortcuts(handlers: ShortcutHandlers, dialogOpen: boolean): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  const dialogRef = useRef(dialogOpen);
  dialogRef.current = dialogOpen;

  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      const h = ref.current;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      const act = (fn: () => void) => {
        e.preventDefault();
        fn();
      };
      if (mod && key === 's') return act(h.save);
      if (mod && key === 'Enter') return act(h.run);
      if (dialogRef.current || isTyping(e.target)) return;
      if (mod && key === 'z' && !e.shiftKey) return act(h.undo);
      if ((mod && key === 'z' && e.shiftKey) || (mod && key === 'y')) return act(h.redo);
      if (mod && key === 'c') return act(h.copy);
      if (mod && key === 'v') return act(h.paste);
      if (mod && key === 'd') return act(h.duplicate);
      if (mod && key === 'a') return act(h.selectAll);
      if (mod || e.altKey) return;
      if (key === 'Delete' || key === 'Backspace') return act(h.deleteSelection);
      if (e.shiftKey && key === 'l') return act(h.layout);
      if (e.shiftKey && key === 'f') return act(h.fitView);
      if (key === '?') return act(h.help);
      if (key === 'Escape') return h.escape();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
