import type { RunState } from '../editor/useWorkflowRun';
import { downloadJson } from '../editor/files';
import { buildTestFile, testFileName, type FinishedRun } from './testFile';

interface SaveAsTestButtonProps {
  state: RunState;
  title: string;
  /** The payload the run was sent with, and when. */
  lastSent(): Pick<FinishedRun, 'payload' | 'startedAt'> | undefined;
  onSaved(fileName: string): void;
}

/** The finished run as FinishedRun, or undefined while nothing has finished. */
export function finishedRun(state: RunState, sent: Pick<FinishedRun, 'payload' | 'startedAt'> | undefined): FinishedRun | undefined {
  if (!sent || (state.phase !== 'succeeded' && state.phase !== 'failed')) return undefined;
  // A failure before the server ran anything (unreachable server) has nothing to replay.
  if (state.phase === 'failed' && !state.failure?.kind) return undefined;
  return {
    ...sent,
    success: state.phase === 'succeeded',
    nodeResults: state.nodeResults,
    finalOutput: state.success?.results.final_output,
    error: state.failure?.details ?? state.failure?.summary,
    iterations: state.iterations,
  };
}

/** "Save as test": downloads a *.thaiyyal-test.json that replays the last run (docs/testing-workflows.md). */
export function SaveAsTestButton({ state, title, lastSent, onSaved }: SaveAsTestButtonProps) {
  const run = finishedRun(state, lastSent());
  if (!run) return null;
  const save = () => {
    const name = testFileName(title);
    downloadJson(name, buildTestFile(run, `run of ${run.startedAt.toISOString()}`));
    onSaved(name);
  };
  return (
    <button type="button" className="button" onClick={save} data-testid="save-as-test" title="Download a test file with this run's inputs, pins for its HTTP nodes and its results as expectations">
      Save as test
    </button>
  );
}
