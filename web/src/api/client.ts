import type { NodeCatalogueBody } from '../catalogue/types';
import type { WorkflowPayload } from '../graph/payload';
import type {
  ExecuteFailure,
  ExecuteResponse,
  StoredWorkflow,
  StoredWorkflowSummary,
  ValidateResponse,
  WorkflowCheckResponse,
  ExpressionCatalogueBody,
  ExpressionCheckResponse,
  ExecutionDetail,
  ExecutionPage,
  ExecutionSummary,
  RunEvent,
  SavedWorkflow,
  WorkflowVersionSummary,
} from './types';

/** A failed API call with the server's summary and details when it sent them. */
export class ApiError extends Error {
  readonly status: number;
  readonly details?: string;

  constructor(message: string, status: number, details?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.details = details;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClient {
  getNodeCatalogue(signal?: AbortSignal): Promise<NodeCatalogueBody>;
  execute(payload: WorkflowPayload, signal?: AbortSignal): Promise<ExecuteResponse>;
  validate(payload: WorkflowPayload, signal?: AbortSignal): Promise<ValidateResponse>;
  /** Every problem of a workflow tied to its node and field, without running it. */
  check?(payload: WorkflowPayload, signal?: AbortSignal): Promise<WorkflowCheckResponse>;
  /** Parses one expression on the server. */
  checkExpression?(expression: string, signal?: AbortSignal): Promise<ExpressionCheckResponse>;
  /** The expression language's functions and methods, for completion. */
  getExpressionCatalogue?(signal?: AbortSignal): Promise<ExpressionCatalogueBody>;
  save(name: string, description: string, data: WorkflowPayload): Promise<string>;
  /** Saves a new workflow, or the next version of the stored one with `id`. */
  saveVersion?(name: string, description: string, data: WorkflowPayload, id?: string): Promise<SavedWorkflow>;
  listVersions?(id: string): Promise<WorkflowVersionSummary[]>;
  loadVersion?(id: string, version: number): Promise<StoredWorkflow & { version: number }>;
  /** Queues a run (the posted payload, or the stored workflow `storedId`); the answer names the execution. */
  executeAsync?(payload: WorkflowPayload, storedId?: string, signal?: AbortSignal, version?: number): Promise<string>;
  /** Follows a run's event stream until it ends; `onEvent` sees every event in order. Resolves with the last one. */
  followExecution?(executionId: string, onEvent: (event: RunEvent) => void, signal?: AbortSignal): Promise<RunEvent>;
  cancelExecution?(executionId: string): Promise<void>;
  /** One page of a stored workflow's runs, newest first; `next_cursor` asks for the next, older page. */
  listExecutions?(workflowId: string, cursor?: string): Promise<ExecutionPage>;
  getExecution?(executionId: string): Promise<ExecutionDetail>;
  list(): Promise<StoredWorkflowSummary[]>;
  load(id: string): Promise<StoredWorkflow>;
  remove(id: string): Promise<void>;
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/**
 * The API on the same origin (relative URLs, so the UI works wherever the server serves it).
 * `fetchImpl` is injectable so tests run without a server.
 */
export function createApiClient(baseUrl = '', fetchImpl: FetchLike = (i, init) => fetch(i, init)): ApiClient {
  const url = (path: string) => `${baseUrl}/api/v1${path}`;

  async function readJson(response: Response): Promise<unknown> {
    const text = await response.text();
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(`The server answered ${response.status} with a body that is not JSON.`, response.status, text.slice(0, 500));
    }
  }

  /** Throws an ApiError for non-2xx answers, carrying `error`/`details` from the error body. */
  async function call<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await fetchImpl(url(path), init);
    const body = (await readJson(response)) as Record<string, unknown> | undefined;
    if (!response.ok || (body && body.success === false)) {
      const message = typeof body?.error === 'string' ? body.error : `HTTP error ${response.status}`;
      throw new ApiError(message, response.status, typeof body?.details === 'string' ? body.details : undefined);
    }
    return body as T;
  }

  return {
    getNodeCatalogue: (signal) => call<NodeCatalogueBody>('/nodes', { signal, headers: { Accept: 'application/json' } }),

    // Execution failures are answers, not exceptions: the error body (4xx/5xx) is returned
    // so the panel can show details, error_kind, the failing node and partial results.
    async execute(payload, signal) {
      const response = await fetchImpl(url('/workflow/execute'), {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify(payload),
        signal,
      });
      const body = (await readJson(response)) as ExecuteResponse | undefined;
      if (body && typeof body === 'object' && typeof body.success === 'boolean') {
        if (!response.ok && body.success) return { success: false, error: `HTTP error ${response.status}` };
        return body;
      }
      const failure: ExecuteFailure = { success: false, error: `HTTP error ${response.status}` };
      if (response.ok) failure.error = 'The server sent an empty or unexpected answer.';
      return failure;
    },

    async validate(payload, signal) {
      const body = await call<ValidateResponse>('/workflow/validate', {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify(payload),
        signal,
      });
      if (!body || typeof body.valid !== 'boolean') throw new ApiError('The validator sent an unexpected answer.', 200);
      return body;
    },

    async check(payload, signal) {
      const body = await call<WorkflowCheckResponse>('/workflow/check', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(payload), signal });
      if (!body || typeof body.valid !== 'boolean') throw new ApiError('The checker sent an unexpected answer.', 200);
      return { valid: body.valid, errors: Array.isArray(body.errors) ? body.errors : [] };
    },

    checkExpression: (expression, signal) =>
      call<ExpressionCheckResponse>('/expressions/check', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ expression }), signal }),

    async getExpressionCatalogue(signal) {
      const body = await call<ExpressionCatalogueBody>('/expressions/catalogue', { signal, headers: { Accept: 'application/json' } });
      return { functions: Array.isArray(body?.functions) ? body.functions : [], methods: Array.isArray(body?.methods) ? body.methods : [] };
    },

    async save(name, description, data) {
      const body = await call<{ id: string }>('/workflow/save', {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ name, description, data }),
      });
      return body.id;
    },

    async saveVersion(name, description, data, id) {
      const body = await call<{ id: string; version: number }>('/workflow/save', {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ name, description, data, ...(id ? { id } : {}) }),
      });
      return { id: body.id, version: body.version };
    },

    async listVersions(id) {
      const body = await call<{ versions?: WorkflowVersionSummary[] }>(`/workflows/${encodeURIComponent(id)}/versions`, { headers: { Accept: 'application/json' } });
      return Array.isArray(body?.versions) ? body.versions : [];
    },

    async loadVersion(id, version) {
      const body = await call<{ workflow: StoredWorkflow & { version: number } }>(`/workflows/${encodeURIComponent(id)}/versions/${version}`, {
        headers: { Accept: 'application/json' },
      });
      return body.workflow;
    },

    async executeAsync(payload, storedId, signal, version) {
      const path = storedId
        ? `/workflow/execute/${encodeURIComponent(storedId)}?mode=async${version !== undefined ? `&version=${version}` : ''}`
        : '/workflow/execute?mode=async';
      const body = await call<{ execution_id: string }>(path, {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'X-Thaiyyal-Source': 'editor' },
        body: JSON.stringify(payload),
        signal,
      });
      return body.execution_id;
    },

    followExecution(executionId, onEvent, signal) {
      return followEvents(url(`/executions/${encodeURIComponent(executionId)}/events`), onEvent, signal);
    },

    async cancelExecution(executionId) {
      await call(`/executions/${encodeURIComponent(executionId)}/cancel`, { method: 'POST', headers: { Accept: 'application/json' } });
    },

    async listExecutions(workflowId, cursor) {
      const page = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const body = await call<{ executions?: ExecutionSummary[]; next_cursor?: string | null }>(
        `/executions?workflow_id=${encodeURIComponent(workflowId)}&limit=50${page}`,
        { headers: { Accept: 'application/json' } },
      );
      return { executions: Array.isArray(body?.executions) ? body.executions : [], next_cursor: body?.next_cursor ?? null };
    },

    getExecution: (executionId) => call<ExecutionDetail>(`/executions/${encodeURIComponent(executionId)}`, { headers: { Accept: 'application/json' } }),

    async list() {
      const body = await call<{ workflows?: StoredWorkflowSummary[] }>('/workflow/list', { headers: { Accept: 'application/json' } });
      return Array.isArray(body.workflows) ? body.workflows : [];
    },

    async load(id) {
      const body = await call<{ workflow: StoredWorkflow }>(`/workflow/load/${encodeURIComponent(id)}`, {
        headers: { Accept: 'application/json' },
      });
      return body.workflow;
    },

    async remove(id) {
      await call(`/workflow/delete/${encodeURIComponent(id)}`, { method: 'DELETE', headers: { Accept: 'application/json' } });
    },
  };
}

const FINAL_EVENTS = new Set(['run.completed', 'run.failed']);

/** How long the stream may stay open after the run's final event before the editor closes it itself. */
const STREAM_END_GRACE_MS = 1000;

/**
 * Reads a run's Server-Sent Events with the browser's EventSource (which resumes with Last-Event-ID by itself
 * after a dropped connection) until the run's final event.
 *
 * After the final event the server ends the response; the run counts as over once it has (or after a short
 * grace). Closing the source on the final event itself raced with that end: the browser then aborted a
 * response that was finishing anyway, which shows as a failed request (net::ERR_ABORTED).
 */
function followEvents(streamUrl: string, onEvent: (event: RunEvent) => void, signal?: AbortSignal): Promise<RunEvent> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(streamUrl);
    const names = ['run.started', 'node.started', 'node.completed', 'node.failed', 'node.skipped', 'node.cancelled', ...FINAL_EVENTS];
    let final: RunEvent | undefined;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const stop = () => {
      source.close();
      if (grace !== undefined) clearTimeout(grace);
      signal?.removeEventListener('abort', onAbort);
    };
    const finish = () => {
      stop();
      resolve(final!);
    };
    const onAbort = () => {
      if (final) return finish(); // the run had ended already
      stop();
      reject(new DOMException('The run was cancelled.', 'AbortError'));
    };
    signal?.addEventListener('abort', onAbort);
    for (const name of names) {
      source.addEventListener(name, (e) => {
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse((e as MessageEvent<string>).data) as Record<string, unknown>;
        } catch {
          // An event whose data is not JSON carries nothing the editor shows.
        }
        const event = { type: name, data };
        if (final) return; // a replay after a reconnect
        onEvent(event);
        if (FINAL_EVENTS.has(name)) {
          final = event;
          grace = setTimeout(finish, STREAM_END_GRACE_MS);
        }
      });
    }
    source.onerror = () => {
      // The server ended the stream after the final event: close before EventSource reconnects.
      if (final) return finish();
      // EventSource reconnects by itself while the server is reachable; a closed stream is the end.
      if (source.readyState === EventSource.CLOSED) {
        stop();
        reject(new Error('The event stream of the run closed before the run ended.'));
      }
    };
  });
}

/** The client the app uses; tests build their own with a fake fetch. */
export const defaultApiClient: ApiClient = createApiClient();
