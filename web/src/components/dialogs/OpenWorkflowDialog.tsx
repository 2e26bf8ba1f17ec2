import { useCallback, useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { StoredWorkflowSummary } from '../../api/types';
import { recentWorkflows, renameStoredWorkflow } from '../../api/workflowStore';
import { Icon } from '../Icon';
import { Modal } from '../Modal';

interface OpenWorkflowDialogProps {
  api: ApiClient;
  currentId?: string;
  onOpen(id: string): void;
  onRenamed(oldId: string, newId: string, name: string): void;
  onDeleted(id: string): void;
  onClose(): void;
}

function formatDate(ts?: string): string {
  if (!ts) return '';
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : d.toLocaleString();
}

/** The server's stored workflows: open, rename or delete each. */
export function OpenWorkflowDialog({ api, currentId, onOpen, onRenamed, onDeleted, onClose }: OpenWorkflowDialogProps) {
  const [items, setItems] = useState<StoredWorkflowSummary[] | null>(null);
  const [error, setError] = useState<string>();
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [filter, setFilter] = useState('');

  const refresh = useCallback(() => {
    setError(undefined);
    api
      .list()
      .then((list) => setItems([...list].sort((a, b) => (b.created_at ?? '').localeCompare(a.created_at ?? '') || a.name.localeCompare(b.name))))
      .catch((e: Error) => setError(`Could not list saved workflows: ${e.message}`));
  }, [api]);

  useEffect(refresh, [refresh]);

  const rename = async () => {
    if (!renaming) return;
    const name = renaming.name.trim();
    if (name === '') return;
    try {
      const newId = await renameStoredWorkflow(api, renaming.id, name);
      onRenamed(renaming.id, newId, name);
      setRenaming(null);
      refresh();
    } catch (e) {
      setError(`Rename failed: ${(e as Error).message}`);
    }
  };

  const remove = async (id: string) => {
    try {
      await api.remove(id);
      onDeleted(id);
      setConfirmDelete(null);
      refresh();
    } catch (e) {
      setError(`Delete failed: ${(e as Error).message}`);
    }
  };

  const shown = (items ?? []).filter((w) => `${w.name} ${w.description ?? ''}`.toLowerCase().includes(filter.trim().toLowerCase()));

  return (
    <Modal title="Open a saved workflow" onClose={onClose} testId="open-dialog" wide>
      <input
        type="search"
        className="input"
        placeholder="Filter by name…"
        aria-label="Filter saved workflows"
        data-testid="open-filter"
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {items === null && !error && <p className="muted">Loading…</p>}
      {items !== null && items.length === 0 && <p className="muted">No saved workflows yet. Save one with Ctrl+S.</p>}
      {items !== null && filter === '' && (() => {
        // Opened or saved lately in this browser, and still stored.
        const recent = recentWorkflows().filter((r) => r.id !== currentId && items.some((w) => w.id === r.id)).slice(0, 5);
        return recent.length === 0 ? null : (
          <div className="recent-list" data-testid="recent-workflows">
            <span className="muted">Recent:</span>{' '}
            {recent.map((r) => (
              <button key={r.id} type="button" className="button recent-item" onClick={() => onOpen(r.id)}>
                {items.find((w) => w.id === r.id)?.name ?? r.name}
              </button>
            ))}
          </div>
        );
      })()}
      <ul className="stored-list" aria-label="Saved workflows">
        {shown.map((w) => (
          <li key={w.id} className={`stored-item${w.id === currentId ? ' is-current' : ''}`} data-testid={`saved-workflow-${w.id}`} data-name={w.name}>
            {renaming?.id === w.id ? (
              <form
                className="rename-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  void rename();
                }}
              >
                <input
                  className="input"
                  aria-label="New name"
                  data-testid="rename-input"
                  autoFocus
                  value={renaming.name}
                  onChange={(e) => setRenaming({ id: w.id, name: e.target.value })}
                  onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), setRenaming(null))}
                />
                <button type="submit" className="button button-primary" aria-label="Confirm rename" data-testid="rename-confirm">
                  Rename
                </button>
                <button type="button" className="button" aria-label="Cancel rename" onClick={() => setRenaming(null)}>
                  Cancel
                </button>
              </form>
            ) : (
              <>
                <button type="button" className="stored-open" onClick={() => onOpen(w.id)} aria-label={`Open ${w.name}`} data-testid={`open-workflow-${w.id}`}>
                  <span className="stored-name">{w.name}</span>
                  {w.description && <span className="stored-description">{w.description}</span>}
                  <span className="stored-date muted">{formatDate(w.updated_at ?? w.created_at)}</span>
                </button>
                {confirmDelete === w.id ? (
                  <span className="confirm-inline" role="group" aria-label={`Confirm deleting ${w.name}`}>
                    Delete?
                    <button type="button" className="button button-danger" onClick={() => void remove(w.id)} aria-label={`Yes, delete ${w.name}`} data-testid={`confirm-delete-${w.id}`}>
                      Delete
                    </button>
                    <button type="button" className="button" onClick={() => setConfirmDelete(null)} aria-label="Keep it">
                      Keep
                    </button>
                  </span>
                ) : (
                  <span className="stored-actions">
                    <button type="button" className="icon-button" onClick={() => setRenaming({ id: w.id, name: w.name })} aria-label={`Rename ${w.name}`} data-testid={`rename-workflow-${w.id}`}>
                      <Icon name="edit" />
                    </button>
                    <button type="button" className="icon-button" onClick={() => setConfirmDelete(w.id)} aria-label={`Delete ${w.name}`} data-testid={`delete-workflow-${w.id}`}>
                      <Icon name="trash" />
                    </button>
                  </span>
                )}
              </>
            )}
          </li>
        ))}
      </ul>
    </Modal>
  );
}
