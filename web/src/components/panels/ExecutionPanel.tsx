import { useRef, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import type { NodeCatalogue } from '../../catalogue/catalogue';
import type { RunState } from '../../editor/useWorkflowRun';
import { effectiveType, nodeTitle, type WorkflowNode } from '../../graph/model';
import { formatCompact, formatPretty } from '../format';
import { Icon } from '../Icon';

export const PANEL_MIN_HEIGHT = 120;
export const PANEL_MAX_FRACTION = 0.7;

interface ExecutionPanelProps {
  state: RunState;
  nodes: WorkflowNode[];
  catalogue: NodeCatalogue;
  height: number;
  onHeightChange(height: number): void;
  onClose(): void;
  onCancel(): void;
  onShowNode(nodeId: string): void;
  /** Extra buttons for the header (e.g. "Save as test"). */
  actions?: ReactNode;
}

const PHASE_TEXT: Record<RunState['phase'], string> = {
  idle: 'Not run yet',
  validating: 'Validating…',
  running: 'Running…',
  succeeded: 'Succeeded',
  failed: 'Failed',
  invalid: 'Not valid',
  valid: 'Valid',
  cancelled: 'Cancelled',
};

/** Results of the last run or validation: summary, final output, per-node table, errors. */
export function ExecutionPanel({ state, nodes, catalogue, height, onHeightChange, onClose, onCancel, onShowNode, actions }: ExecutionPanelProps) {
  const drag = useRef<{ startY: number; startHeight: number } | null>(null);
  const maxHeight = () => Math.max(PANEL_MIN_HEIGHT, Math.round(window.innerHeight * PANEL_MAX_FRACTION));
  const clamp = (h: number) => Math.min(maxHeight(), Math.max(PANEL_MIN_HEIGHT, Math.round(h)));

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = { startY: e.clientY, startHeight: height };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    onHeightChange(clamp(drag.current.startHeight + (drag.current.startY - e.clientY)));
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    drag.current = null;
    if (e.currentTarget.hasPointerCapture(e.pointerId)) e.currentTarget.releasePointerCapture(e.pointerId);
  };
  const onResizeKey = (e: KeyboardEvent) => {
    const step = e.shiftKey ? 80 : 20;
    if (e.key === 'ArrowUp') onHeightChange(clamp(height + step));
    else if (e.key === 'ArrowDown') onHeightChange(clamp(height - step));
    else return;
    e.preventDefault();
  };

  const busy = state.phase === 'running' || state.phase === 'validating';
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const results = state.success?.results;

  return (
    <section className="execution-panel" style={{ height }} aria-label="Execution results" data-testid="execution-panel">
      <div
        className="panel-resize"
        role="separator"
        aria-orientation="horizontal"
        aria-label="Resize execution panel"
        aria-valuenow={height}
        aria-valuemin={PANEL_MIN_HEIGHT}
        tabIndex={0}
        data-testid="execution-panel-resize"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onKeyDown={onResizeKey}
      />
      <header className="execution-header">
        <h2>Execution</h2>
        <span className={`phase phase-${state.phase}`} data-testid="execution-status" data-phase={state.phase} role="status">
          {busy && <span className="spinner" aria-hidden="true" />}
          {PHASE_TEXT[state.phase]}
          {state.phase === 'succeeded' && state.success && ` in ${state.success.execution_time}`}
        </span>
        <span className="spacer" />
        {actions}
        {busy && (
          <button type="button" className="button button-danger" onClick={onCancel} aria-label="Cancel run" data-testid="panel-cancel-button">
            <Icon name="stop" /> Cancel
          </button>
        )}
        <button type="button" className="icon-button" aria-label="Close execution panel" onClick={onClose} data-testid="execution-panel-close">
          <Icon name="close" />
        </button>
      </header>
      <div className="execution-body">
        {state.phase === 'idle' && <p className="muted">Press Run (Ctrl+Enter) to execute the workflow. Results appear here and on each node.</p>}
        {busy && <p className="muted">{state.phase === 'validating' ? 'Checking the workflow…' : 'The server is running the workflow. Cancel stops it.'}</p>}
        {state.phase === 'cancelled' && (
          <p className="notice" data-testid="execution-cancelled">
            Execution cancelled. The request was aborted and the server stops the run.
          </p>
        )}
        {state.phase === 'valid' && <p className="notice notice-success">The server found no problems in this workflow.</p>}
        {state.failure && (
          <div className="execution-error" role="alert" data-testid="execution-error">
            <strong data-testid="execution-error-summary">{state.failure.summary}</strong>
            {state.failure.kind && <span className="badge">{state.failure.kind}</span>}
            {state.failure.details && (
              <pre className="mono" data-testid="execution-error-details">
                {state.failure.details}
              </pre>
            )}
            {state.highlighted.length > 0 && (
              <p>
                {state.highlighted.length === 1 ? 'Node: ' : 'Nodes: '}
                {state.highlighted.map((id) => (
                  <button key={id} type="button" className="link-button" onClick={() => onShowNode(id)} aria-label={`Show node ${id}`} data-testid={`error-node-link-${id}`}>
                    {id}
                  </button>
                ))}
              </p>
            )}
          </div>
        )}
        {results && (
          <dl className="execution-summary" data-testid="execution-summary">
            <div>
              <dt>Result</dt>
              <dd>{state.success?.success ? 'success' : 'failure'}</dd>
            </div>
            <div>
              <dt>Time</dt>
              <dd data-testid="execution-time">{state.success?.execution_time}</dd>
            </div>
            <div>
              <dt>Execution id</dt>
              <dd className="mono" data-testid="execution-id">
                {results.execution_id}
              </dd>
            </div>
            {results.workflow_id && (
              <div>
                <dt>Workflow id</dt>
                <dd className="mono">{results.workflow_id}</dd>
              </div>
            )}
          </dl>
        )}
        {results && (
          <div className="final-output">
            <h3>Final output</h3>
            <pre className="mono json-block" data-testid="final-output">
              {formatPretty(results.final_output)}
            </pre>
          </div>
        )}
        {(state.phase === 'succeeded' || state.phase === 'failed') && state.nodeIds.length > 0 && (
          <table className="results-table" data-testid="node-results-table">
            <caption>Node results</caption>
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Result</th>
              </tr>
            </thead>
            <tbody>
              {state.nodeIds.map((id) => {
                const node = byId.get(id);
                const info = state.nodeInfo[id];
                const type = node ? effectiveType(node.data) : '';
                const scope = node?.parentId ? state.iterations?.get(node.parentId) : undefined;
                const ranIn = scope ? [...scope.byIteration.values()].filter((m) => m.has(id)).length : 0;
                const failedIn = scope ? [...scope.byIteration.values()].filter((m) => m.get(id)?.status === 'failed').length : 0;
                // Body nodes run once per iteration: their results are on the canvas, picked on the box.
                const inBox = scope ? `${ranIn} iteration${ranIn === 1 ? '' : 's'}${failedIn ? `, ${failedIn} failed` : ''}` : 'inside its box';
                const status = info?.status ?? (node?.parentId ? inBox : state.phase === 'failed' ? 'not run' : 'skipped');
                return (
                  <tr key={id} className={`row-${status.replaceAll(' ', '-')}`} data-testid={`node-result-row-${id}`}>
                    <td>
                      <button type="button" className="link-button" onClick={() => onShowNode(id)} aria-label={`Show node ${id}`}>
                        {node ? nodeTitle(node.data, catalogue.byType.get(type)?.label) : id}
                      </button>
                      <span className="muted mono"> {id}</span>
                    </td>
                    <td className="mono">{type}</td>
                    <td>{status}</td>
                    <td className="mono" title={info?.status === 'succeeded' ? formatPretty(info.result) : info?.message}>
                      {info?.status === 'succeeded' ? formatCompact(info.result, 120) : info?.message ?? ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
