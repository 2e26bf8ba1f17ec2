import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { ExecuteSuccess, ValidateResponse } from '../api/types';
import { nodeIdsNamedInError } from '../graph/errorTargets';
import type { WorkflowPayload } from '../graph/payload';
import { collectIterations, type ScopeIterations } from './iterations';

export type RunPhase = 'idle' | 'validating' | 'running' | 'succeeded' | 'failed' | 'invalid' | 'valid' | 'cancelled';

export type NodeRunStatus = 'succeeded' | 'skipped' | 'failed' | 'invalid';

/** What the canvas shows on one node after a run or a validation. */
export interface NodeRunInfo {
  status: NodeRunStatus;
  result?: unknown;
  message?: string;
}

export interface RunFailure {
  summary: string;
  details?: string;
  kind?: string;
  nodeId?: string;
}

export interface RunState {
  phase: RunPhase;
  success?: ExecuteSuccess;
  failure?: RunFailure;
  /** Results the server returned (complete on success, partial on failure). */
  nodeResults: Record<string, unknown>;
  nodeInfo: Record<string, NodeRunInfo>;
  /** Nodes an error names; the canvas marks them and the panel lists them. */
  highlighted: string[];
  /** Node ids of the payload that ran, for the results table. */
  nodeIds: string[];
  /** Results of nodes inside scopes, per iteration (when the server reports them). */
  iterations?: Map<string, ScopeIterations>;
}

const IDLE: RunState = { phase: 'idle', nodeResults: {}, nodeInfo: {}, highlighted: [], nodeIds: [] };

export interface WorkflowRun {
  state: RunState;
  busy: boolean;
  /** Validates, then executes when valid. Resolves when the run ends (or is cancelled). */
  run(payload: WorkflowPayload): Promise<void>;
  validate(payload: WorkflowPayload): Promise<void>;
  cancel(): void;
  clear(): void;
}

function isAbort(e: unknown): boolean {
  return e instanceof DOMException ? e.name === 'AbortError' : (e as Error)?.name === 'AbortError';
}

function invalidState(payload: WorkflowPayload, body: Extract<ValidateResponse, { valid: false }>): RunState {
  const ids = payload.nodes.map((n) => n.id);
  const highlighted = nodeIdsNamedInError(body.error, body.node_id, ids);
  const nodeInfo: Record<string, NodeRunInfo> = {};
  for (const id of highlighted) nodeInfo[id] = { status: 'invalid', message: body.error };
  for (const issue of body.errors ?? []) {
    for (const id of nodeIdsNamedInError(issue.message, issue.node_id, ids)) {
      if (!highlighted.includes(id)) highlighted.push(id);
      nodeInfo[id] = { status: 'invalid', message: issue.message };
    }
  }
  return {
    ...IDLE,
    phase: 'invalid',
    failure: { summary: 'The workflow is not valid', details: body.error, nodeId: body.node_id },
    highlighted,
    nodeInfo,
    nodeIds: ids,
  };
}

/** Running and validating through the API, with cancellation by aborting the request. */
export function useWorkflowRun(api: ApiClient): WorkflowRun {
  const [state, setState] = useState<RunState>(IDLE);
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => () => controllerRef.current?.abort(), []);

  const start = () => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    return controller;
  };

  const checkValidity = async (payload: WorkflowPayload, signal: AbortSignal, beforeRun: boolean): Promise<RunState | undefined> => {
    let body: ValidateResponse;
    try {
      body = await api.validate(payload, signal);
    } catch (e) {
      if (isAbort(e)) throw e;
      // Before a run, a missing or broken validator must not block it: execute reports errors too.
      if (beforeRun && e instanceof ApiError) return undefined;
      throw e;
    }
    return body.valid ? undefined : invalidState(payload, body);
  };

  const validate = useCallback(
    async (payload: WorkflowPayload) => {
      const controller = start();
      setState({ ...IDLE, phase: 'validating', nodeIds: payload.nodes.map((n) => n.id) });
      try {
        const invalid = await checkValidity(payload, controller.signal, false);
        setState(invalid ?? { ...IDLE, phase: 'valid', nodeIds: payload.nodes.map((n) => n.id) });
      } catch (e) {
        setState(
          isAbort(e)
            ? { ...IDLE, phase: 'cancelled' }
            : { ...IDLE, phase: 'failed', failure: { summary: 'Validation failed', details: (e as Error).message } },
        );
      } finally {
        if (controllerRef.current === controller) controllerRef.current = null;
      }
    },
    [api],
  );

  const run = useCallback(
    async (payload: WorkflowPayload) => {
      const controller = start();
      const ids = payload.nodes.map((n) => n.id);
      setState({ ...IDLE, phase: 'validating', nodeIds: ids });
      try {
        const invalid = await checkValidity(payload, controller.signal, true);
        if (invalid) {
          setState(invalid);
          return;
        }
        setState({ ...IDLE, phase: 'running', nodeIds: ids });
        const response = await api.execute(payload, controller.signal);
        if (response.success) {
          const results = response.results?.node_results ?? {};
          const nodeInfo: Record<string, NodeRunInfo> = {};
          const inBody = new Set(payload.nodes.filter((n) => n.parentId).map((n) => n.id));
          for (const id of ids) {
            if (id in results) nodeInfo[id] = { status: 'succeeded', result: results[id] };
            // Body nodes run inside their scope; their absence from node_results means nothing.
            else if (!inBody.has(id)) nodeInfo[id] = { status: 'skipped' };
          }
          setState({ phase: 'succeeded', success: response, nodeResults: results, nodeInfo, highlighted: [], nodeIds: ids, iterations: collectIterations(response.results) });
          return;
        }
        if (response.error_kind === 'cancelled' && controller.signal.aborted) {
          setState({ ...IDLE, phase: 'cancelled', nodeIds: ids });
          return;
        }
        const partial = (response.results?.node_results ?? {}) as Record<string, unknown>;
        const highlighted = nodeIdsNamedInError(response.details ?? response.error, response.node_id, ids);
        const nodeInfo: Record<string, NodeRunInfo> = {};
        for (const id of ids) if (id in partial) nodeInfo[id] = { status: 'succeeded', result: partial[id] };
        for (const id of highlighted) nodeInfo[id] = { status: 'failed', message: response.details ?? response.error };
        setState({
          phase: 'failed',
          failure: { summary: response.error, details: response.details, kind: response.error_kind, nodeId: response.node_id },
          nodeResults: partial,
          iterations: collectIterations(response.results),
          nodeInfo,
          highlighted,
          nodeIds: ids,
        });
      } catch (e) {
        setState(
          isAbort(e)
            ? { ...IDLE, phase: 'cancelled', nodeIds: ids }
            : { ...IDLE, phase: 'failed', failure: { summary: 'Could not reach the server', details: (e as Error).message }, nodeIds: ids },
        );
      } finally {
        if (controllerRef.current === controller) controllerRef.current = null;
      }
    },
    [api],
  );

  const cancel = useCallback(() => controllerRef.current?.abort(), []);
  const clear = useCallback(() => {
    controllerRef.current?.abort();
    setState(IDLE);
  }, []);

  return { state, busy: state.phase === 'validating' || state.phase === 'running', run, validate, cancel, clear };
}
