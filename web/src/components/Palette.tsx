import { useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { paletteGroups, type NodeCatalogue } from '../catalogue/catalogue';
import type { NodeSpec } from '../catalogue/types';
import { PALETTE_DRAG_TYPE } from './canvas/WorkflowCanvas';
import { Icon } from './Icon';

interface PaletteProps {
  catalogue: NodeCatalogue;
  status: 'loading' | 'ready' | 'error';
  error?: string;
  onRetry(): void;
  onAdd(type: string): void;
  onClose(): void;
}

/** Node types by category, with search; click adds at the view centre, drag places. */
export function Palette({ catalogue, status, error, onRetry, onAdd, onClose }: PaletteProps) {
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const searchRef = useRef<HTMLInputElement>(null);
  const groups = useMemo(() => paletteGroups(catalogue, query), [catalogue, query]);

  useEffect(() => {
    searchRef.current?.focus({ preventScroll: true });
  }, []);

  const toggle = (category: string) =>
    setCollapsed((c) => {
      const next = new Set(c);
      if (next.has(category)) next.delete(category);
      else next.add(category);
      return next;
    });

  const onDragStart = (e: DragEvent, spec: NodeSpec) => {
    e.dataTransfer.setData(PALETTE_DRAG_TYPE, spec.type);
    e.dataTransfer.setData('text/plain', spec.type);
    e.dataTransfer.effectAllowed = 'copy';
  };

  const add = (type: string) => {
    onAdd(type);
    setQuery('');
  };

  return (
    <aside className="palette" aria-label="Node palette" data-testid="palette">
      <div className="palette-header">
        <h2>Nodes</h2>
        <button type="button" className="icon-button" aria-label="Hide node palette" title="Hide node palette" onClick={onClose} data-testid="palette-close">
          <Icon name="panel" />
        </button>
      </div>
      <input
        ref={searchRef}
        type="search"
        className="palette-search"
        placeholder="Search nodes…"
        aria-label="Search nodes"
        data-testid="palette-search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && groups[0]?.nodes[0]) add(groups[0].nodes[0].type);
          if (e.key === 'Escape') setQuery('');
        }}
      />
      <div className="palette-groups">
        {status === 'loading' && <p className="muted">Loading node catalogue…</p>}
        {status === 'error' && (
          <div className="palette-error" role="alert">
            <p>Could not load the node catalogue: {error}</p>
            <button type="button" className="button" onClick={onRetry} aria-label="Retry loading the node catalogue">
              Retry
            </button>
          </div>
        )}
        {status === 'ready' && groups.length === 0 && <p className="muted">No nodes match “{query}”.</p>}
        {groups.map((group) => {
          const isCollapsed = collapsed.has(group.category) && query === '';
          return (
            <section key={group.category} className="palette-group">
              <button
                type="button"
                className="palette-category"
                aria-expanded={!isCollapsed}
                aria-label={`${group.category} (${group.nodes.length})`}
                onClick={() => toggle(group.category)}
              >
                <span className={`chevron${isCollapsed ? '' : ' open'}`}>
                  <Icon name="chevron" size={12} />
                </span>
                {group.category}
                <span className="count">{group.nodes.length}</span>
              </button>
              {!isCollapsed && (
                <ul>
                  {group.nodes.map((spec) => (
                    <li key={spec.type}>
                      <button
                        type="button"
                        className="palette-item"
                        draggable
                        onDragStart={(e) => onDragStart(e, spec)}
                        onClick={() => add(spec.type)}
                        data-testid={`palette-item-${spec.type}`}
                        aria-label={`Add ${spec.label} node`}
                        title={`${spec.description}\nClick to add, or drag onto the canvas.`}
                      >
                        <Icon name="grip" size={12} />
                        <span className="palette-label">{spec.label}</span>
                        {spec.scope && <span className="badge">box</span>}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      <p className="palette-hint">Click to add · drag to place · drop into a box to nest</p>
    </aside>
  );
}
