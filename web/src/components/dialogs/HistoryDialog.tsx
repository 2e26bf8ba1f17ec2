import { useEffect, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { ExecutionDetail, ExecutionSummary, WorkflowVersionSummary } from '../../api/types';
import { Modal } from '../Modal';

interface HistoryDialogProps {
  api: ApiClient;
  workflowId: string;
  title: string;
  /** The version on the canvas, marked in the list. */
  currentVersion?: number;
  onOpenExecution(execution: ExecutionDetail): void;
  onOpenVersion(version: number): void;
  onClose(): void;
}

function when(ts?: string | null): string {
  if (!ts) return '';
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : d.toLocaleString();
}

function duration(ms?: number | null): string {
  if (ms === undefined || ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** A stored workflow's runs (newest first, each opens on the canvas) and its saved versions (each opens). */
export function HistoryDialog({ api, workflowId, title, currentVersion, onOpenExecution, onOpenVersion, onClose }: HistoryDialogProps) {
  const [runs, setRuns] = useState<ExecutionSummary[] | null>(null);
  const [olderRuns, setOlderRuns] = useState<string | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [versions, setVersions] = useState<WorkflowVersionSummary[] | null>(null);
  const [error, setError] = useState<string>();

  useEffect(() => {
    let live = true;
    api.listExecutions?.(workflowId).then(
      (page) => {
        if (!live) return;
        setRuns(page.executions);
        setOlderRuns(page.next_cursor);
      },
      (e: Error) => live && setError(`Could not list the runs: ${e.message}`),
    );
    api.listVersions?.(workflowId).then(
      (list) => live && setVersions(list),
      (e: Error) => live && setError(`Could not list the versions: ${e.message}`),
    );
    return () => {
      live = false;
    };
  }, [api, workflowId]);

  const loadOlder = async () => {
    if (!olderRuns) return;
    setLoadingOlder(true);
    try {
      const page = await api.listExecutions!(workflowId, olderRuns);
      setRuns((shown) => [...(shown ?? []), ...page.executions.filter((r) => !shown?.some((s) => s.id === r.id))]);
      setOlderRuns(page.next_cursor);
    } catch (e) {
      setError(`Could not list the older runs: ${(e as Error).message}`);
    } finally {
      setLoadingOlder(false);
    }
  };

  const open = async (id: string) => {
    try {
      const detail = await api.getExecution!(id);
      onOpenExecution(detail);
    } catch (e) {
      setError(`Could not open the run: ${(e as Error).message}`);
    }
  };

  return (
    <Modal title={`History — ${title}`} onClose={onClose} testId="history-dialog" wide>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <h3 className="history-heading">Runs</h3>
      {runs === null ? (
        <p className="muted">Loading…</p>
      ) : runs.length === 0 ? (
        <p className="muted" data-testid="history-no-runs">
          No recorded runs of this workflow yet.
        </p>
      ) : (
        <table className="history-table" data-testid="history-runs">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Version</th>
              <th scope="col">From</th>
              <th scope="col" aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.id} data-testid={`history-run-${r.id}`}>
                <td>
                  <span className={`run-badge run-badge-${r.status}`}>{r.status}</span>
                </td>
                <td>{when(r.started_at ?? r.created_at)}</td>
                <td>{duration(r.duration_ms)}</td>
                <td>{r.workflow_version ? `v${r.workflow_version}` : '—'}</td>
                <td>{r.source}</td>
                <td>
                  <button type="button" className="button" onClick={() => void open(r.id)} disabled={r.status === 'queued' || r.status === 'running'}>
                    Show results
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {olderRuns && (
        <button type="button" className="button" data-testid="history-older-runs" disabled={loadingOlder} onClick={() => void loadOlder()}>
          {loadingOlder ? 'Loading…' : 'Older runs'}
        </button>
      )}
      <h3 className="history-heading">Versions</h3>
      {versions === null ? (
        <p className="muted">Loading…</p>
      ) : (
        <table className="history-table" data-testid="history-versions">
          <tbody>
            {versions.map((v) => (
              <tr key={v.version} data-testid={`history-version-${v.version}`}>
                <th scope="row">v{v.version}</th>
                <td>{v.name}</td>
                <td>{when(v.created_at)}</td>
                <td>
                  {v.version === currentVersion ? (
                    <span className="muted">on the canvas</span>
                  ) : (
                    <button type="button" className="button" onClick={() => onOpenVersion(v.version)}>
                      Open
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Modal>
  );
}
