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

/** The client the app uses; tests build their own with a fake fetch. */
export const defaultApiClient: ApiClient = createApiClient();
