import type { RunPhase } from '../../editor/useWorkflowRun';

interface StatusBarProps {
  nodeCount: number;
  edgeCount: number;
  selectedCount: number;
  phase: RunPhase;
  onOpenPanel(): void;
}

/** Shown while the execution panel is closed. */
export function StatusBar({ nodeCount, edgeCount, selectedCount, phase, onOpenPanel }: StatusBarProps) {
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span data-testid="node-count">
        {nodeCount} node{nodeCount === 1 ? '' : 's'}
      </span>
      <span data-testid="edge-count">
        {edgeCount} connection{edgeCount === 1 ? '' : 's'}
      </span>
      {selectedCount > 0 && <span>{selectedCount} selected</span>}
      <span className="spacer" />
      <button type="button" className="link-button" onClick={onOpenPanel} aria-label="Show execution panel" data-testid="show-execution-panel">
        {phase === 'idle' ? 'Ready' : `Last run: ${phase}`}
      </button>
    </footer>
  );
}
