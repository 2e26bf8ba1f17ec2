import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, type ApiClient } from '../api/client';
import type { ExecuteFailure, ExecuteResponse, ExecuteSuccess, ExecutionDetail, RunEvent, ValidateResponse } from '../api/types';
import { nodeIdsNamedInError } from '../graph/errorTargets';
import type { WorkflowPayload } from '../graph/payload';
import { collectIterations, type ScopeIterations } from './iterations';

export type RunPhase = 'idle' | 'validating' | 'running' | 'succeeded' | 'failed' | 'invalid' | 'valid' | 'cancelled';

export type NodeRunStatus = 'running' | 'succeeded' | 'skipped' | 'failed' | 'invalid';

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
  /** The recorded execution these results belong to (live runs and runs opened from the history). */
  executionId?: string;
}

/** How a run is started: the posted payload, or (clean, saved documents) the stored workflow itself. */
export interface RunOptions {
  storedId?: string;
  /** The stored version on the canvas (an older one opened from the history runs as itself). */
  version?: number;
}

const IDLE: RunState = { phase: 'idle', nodeResults: {}, nodeInfo: {}, highlighted: [], nodeIds: [] };

export interface WorkflowRun {
  state: RunState;
  busy: boolean;
  /** Validates, then executes when valid. Resolves when the run ends (or is cancelled). */
  run(payload: WorkflowPayload, options?: RunOptions): Promise<void>;
  /** Shows a recorded execution's results as after a live run. */
  showRecorded(payload: WorkflowPayload, execution: ExecutionDetail): void;
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

/** The state a finished run's answer (sync body, or the body of a run's final event) leads to. */
function settledState(
  payload: WorkflowPayload,
  response: ExecuteResponse,
  extra: { iterations?: Map<string, ScopeIterations>; executionId?: string },
): RunState {
  const ids = payload.nodes.map((n) => n.id);
  const iterations = extra.iterations ?? collectIterations(response.results);
  if (response.success) {
    const results = response.results?.node_results ?? {};
    const nodeInfo: Record<string, NodeRunInfo> = {};
    const inBody = new Set(payload.nodes.filter((n) => n.parentId).map((n) => n.id));
    for (const id of ids) {
      if (id in results) nodeInfo[id] = { status: 'succeeded', result: results[id] };
      // Body nodes run inside their scope; their absence from node_results means nothing.
      else if (!inBody.has(id)) nodeInfo[id] = { status: 'skipped' };
    }
    return { phase: 'succeeded', success: response, nodeResults: results, nodeInfo, highlighted: [], nodeIds: ids, iterations, executionId: extra.executionId };
  }
  const partial = (response.results?.node_results ?? {}) as Record<string, unknown>;
  const highlighted = nodeIdsNamedInError(response.details ?? response.error, response.node_id, ids);
  const nodeInfo: Record<string, NodeRunInfo> = {};
  for (const id of ids) if (id in partial) nodeInfo[id] = { status: 'succeeded', result: partial[id] };
  for (const id of highlighted) nodeInfo[id] = { status: 'failed', message: response.details ?? response.error };
  return {
    phase: 'failed',
    failure: { summary: response.error, details: response.details, kind: response.error_kind, nodeId: response.node_id },
    nodeResults: partial,
    iterations,
    nodeInfo,
    highlighted,
    nodeIds: ids,
    executionId: extra.executionId,
  };
}

/** What a node event of a live run changes on its (top-level) node; undefined for events of body nodes. */
function liveInfo(event: RunEvent): [string, NodeRunInfo] | undefined {
  const nodeId = event.data.node_id;
  if (typeof nodeId !== 'string' || typeof event.data.scope_node_id === 'string') return undefined;
  switch (event.type) {
    case 'node.started':
      return [nodeId, { status: 'running' }];
    case 'node.completed':
      return [nodeId, { status: 'succeeded', result: event.data.result }];
    case 'node.failed':
      return [nodeId, { status: 'failed', message: typeof event.data.error === 'string' ? event.data.error : 'failed' }];
    case 'node.skipped':
      return [nodeId, { status: 'skipped' }];
    default:
      return undefined;
  }
}

/** The answer body of a recorded execution, rebuilt from its record (top-level node results, final output, error body). */
export function recordedResponse(execution: ExecutionDetail): ExecuteResponse {
  const nodeResults: Record<string, unknown> = {};
  for (const n of execution.nodes) if (!n.scope_node_id && n.status === 'completed') nodeResults[n.node_id] = n.result;
  if (execution.status === 'succeeded') {
    return {
      success: true,
      execution_time: `${execution.duration_ms ?? 0}ms`,
      execution_time_ms: execution.duration_ms ?? undefined,
      results: { execution_id: execution.id, node_results: nodeResults, final_output: execution.final_output },
    };
  }
  const failure: ExecuteFailure = execution.error && typeof execution.error === 'object'
    ? { ...execution.error, success: false }
    : { success: false, error: `The run was ${execution.status}.` };
  failure.results = { ...(failure.results ?? {}), node_results: { ...nodeResults, ...(failure.results?.node_results ?? {}) } };
  return failure;
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
    async (payload: WorkflowPayload, options?: RunOptions) => {
      const controller = start();
      const ids = payload.nodes.map((n) => n.id);
      setState({ ...IDLE, phase: 'validating', nodeIds: ids });
      let executionId: string | undefined;
      try {
        const invalid = await checkValidity(payload, controller.signal, true);
        if (invalid) {
          setState(invalid);
          return;
        }
        setState({ ...IDLE, phase: 'running', nodeIds: ids });
        if (api.executeAsync && api.followExecution && typeof EventSource !== 'undefined') {
          // Live: queue the run, then follow its events; nodes light up as they start, finish, fail or are skipped.
          executionId = await api.executeAsync(payload, options?.storedId, controller.signal, options?.storedId ? options.version : undefined);
          const id = executionId;
          const events: Record<string, unknown>[] = [];
          const finalEvent = await api.followExecution(
            id,
            (event) => {
              if (event.type.startsWith('node.')) events.push(event.data);
              const change = liveInfo(event);
              if (!change) return;
              setState((s) => ({ ...s, executionId: id, nodeInfo: { ...s.nodeInfo, [change[0]]: change[1] } }));
            },
            controller.signal,
          );
          const body = finalEvent.data.body as ExecuteResponse | undefined;
          const response: ExecuteResponse = body && typeof body === 'object' && typeof body.success === 'boolean'
            ? body
            : { success: false, error: `The run ended as ${String(finalEvent.data.status ?? 'unknown')} without an answer body.` };
          if (!response.success && response.error_kind === 'cancelled' && controller.signal.aborted) {
            setState({ ...IDLE, phase: 'cancelled', nodeIds: ids });
            return;
          }
          setState(settledState(payload, response, { iterations: collectIterations({ events }), executionId: id }));
          return;
        }
        const response = await api.execute(payload, controller.signal);
        if (!response.success && response.error_kind === 'cancelled' && controller.signal.aborted) {
          setState({ ...IDLE, phase: 'cancelled', nodeIds: ids });
          return;
        }
        setState(settledState(payload, response, {}));
      } catch (e) {
        if (isAbort(e) && executionId) void api.cancelExecution?.(executionId).catch(() => undefined);
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

  const showRecorded = useCallback((payload: WorkflowPayload, execution: ExecutionDetail) => {
    controllerRef.current?.abort();
    setState(settledState(payload, recordedResponse(execution), { iterations: collectIterations({ nodes: execution.nodes }), executionId: execution.id }));
  }, []);

  const cancel = useCallback(() => controllerRef.current?.abort(), []);
  const clear = useCallback(() => {
    controllerRef.current?.abort();
    setState(IDLE);
  }, []);

  return { state, busy: state.phase === 'validating' || state.phase === 'running', run, showRecorded, validate, cancel, clear };
}
