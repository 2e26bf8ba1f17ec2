import { useEffect, useRef, useState } from 'react';
import { paletteGroups, type NodeCatalogue } from '../../catalogue/catalogue';

/** Where a wire was dropped from, so the node added there gets connected to it. */
export interface WireStart {
  nodeId: string;
  handleId: string | null;
  handleType: 'source' | 'target';
}

export type MenuState =
  | { kind: 'node'; x: number; y: number; nodeId: string }
  | { kind: 'canvas'; x: number; y: number }
  | { kind: 'add'; x: number; y: number; wire?: WireStart };

export interface MenuAction {
  label: string;
  testId: string;
  run(): void;
  disabled?: boolean;
}

interface CanvasMenuProps {
  menu: MenuState;
  actions: MenuAction[];
  catalogue: NodeCatalogue;
  onAdd(type: string): void;
  onClose(): void;
}

/** The right-click menu of a node or the canvas, and the "add a node here" list. */
export function CanvasMenu({ menu, actions, catalogue, onAdd, onClose }: CanvasMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [query, setQuery] = useState('');

  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    document.addEventListener('mousedown', onDown, true);
    document.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('mousedown', onDown, true);
      document.removeEventListener('keydown', onKey, true);
    };
  }, [onClose]);

  // Keep the menu on screen.
  const left = Math.min(menu.x, window.innerWidth - 240);
  const top = Math.min(menu.y, window.innerHeight - (menu.kind === 'add' ? 340 : 40 * actions.length + 16));
  const groups = menu.kind === 'add' ? paletteGroups(catalogue, query) : [];

  return (
    <div ref={ref} className="context-menu" role="menu" style={{ left, top }} data-testid={`context-menu-${menu.kind}`}>
      {menu.kind === 'add' ? (
        <>
          <input
            className="input"
            autoFocus
            placeholder={menu.wire ? 'Add and connect a node…' : 'Add a node…'}
            aria-label="Search node types"
            data-testid="context-menu-search"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              const first = groups[0]?.nodes[0];
              if (e.key === 'Enter' && first) onAdd(first.type);
            }}
          />
          <div className="context-menu-list">
            {groups.flatMap((g) =>
              g.nodes.map((n) => (
                <button key={n.type} type="button" role="menuitem" data-testid={`context-menu-add-${n.type}`} onClick={() => onAdd(n.type)} title={n.description}>
                  {n.label} <span className="muted">· {g.category}</span>
                </button>
              )),
            )}
            {groups.length === 0 && <p className="muted">No node type matches.</p>}
          </div>
        </>
      ) : (
        actions.map((a) => (
          <button
            key={a.testId}
            type="button"
            role="menuitem"
            data-testid={`context-menu-${a.testId}`}
            disabled={a.disabled}
            onClick={() => {
              onClose();
              a.run();
            }}
          >
            {a.label}
          </button>
        ))
      )}
    </div>
  );
}
