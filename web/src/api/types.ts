/** Wire shapes of the server API (server-api.md §2–§3, plus the C# additions). */
import type { WorkflowPayload } from '../graph/payload';

export type ErrorKind =
  | 'node_failed'
  | 'limit_exceeded'
  | 'timeout'
  | 'cancelled'
  | 'invalid_payload'
  | 'invalid_graph'
  | (string & {});

export interface ExecutionResults {
  execution_id: string;
  workflow_id?: string;
  node_results: Record<string, unknown>;
  final_output: unknown;
  errors?: string[];
}

export interface ExecuteSuccess {
  success: true;
  execution_time: string;
  execution_time_ms?: number;
  results: ExecutionResults;
}

export interface ExecuteFailure {
  success: false;
  error: string;
  details?: string;
  error_kind?: ErrorKind;
  node_id?: string;
  results?: Partial<ExecutionResults>;
}

export type ExecuteResponse = ExecuteSuccess | ExecuteFailure;

export interface ValidationIssue {
  node_id?: string;
  edge_id?: string;
  message: string;
}

export type ValidateResponse =
  | { valid: true }
  | { valid: false; error: string; node_id?: string; errors?: ValidationIssue[] };

export interface StoredWorkflowSummary {
  id: string;
  name: string;
  description?: string;
  created_at?: string;
  updated_at?: string;
}

export interface StoredWorkflow extends StoredWorkflowSummary {
  data: WorkflowPayload;
}

/** One problem the workflow check found: `field` null is the whole node, `node_id` null the whole graph. */
export interface CheckProblem {
  node_id: string | null;
  field: string | null;
  message: string;
  /** 1-based column in the field's expression. */
  column?: number;
}

export interface WorkflowCheckResponse {
  valid: boolean;
  errors: CheckProblem[];
}

export interface ExpressionCheckResponse {
  valid: boolean;
  error?: string;
  column?: number;
}

/** A function or method of the expression language. */
export interface ExpressionCallable {
  name: string;
  signature: string;
  description: string;
}

export interface ExpressionCatalogueBody {
  functions: ExpressionCallable[];
  methods: ExpressionCallable[];
}

/** The answer of a save: the id and the version it made (every save makes one). */
export interface SavedWorkflow {
  id: string;
  version: number;
}

/** One saved version of a stored workflow, without its data. */
export interface WorkflowVersionSummary {
  version: number;
  name: string;
  description?: string | null;
  created_at: string;
}

export type ExecutionStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted' | (string & {});

/** A recorded execution in lists (GET /api/v1/executions). */
export interface ExecutionSummary {
  id: string;
  workflow_id?: string | null;
  workflow_version?: number | null;
  mode: string;
  source: string;
  status: ExecutionStatus;
  created_at: string;
  started_at?: string | null;
  ended_at?: string | null;
  duration_ms?: number | null;
}

/** A page of executions; `next_cursor` is null on the last page. */
export interface ExecutionPage {
  executions: ExecutionSummary[];
  next_cursor: string | null;
}

/** One recorded node run: top-level nodes have no scope; body nodes carry their scope and iteration. */
export interface NodeRunRecord {
  node_id: string;
  node_type: string;
  scope_node_id?: string | null;
  iteration?: number | null;
  status: 'completed' | 'failed' | 'skipped' | 'unfinished' | (string & {});
  result?: unknown;
  result_truncated?: boolean;
  error?: string | null;
}

/** The whole record of an execution (GET /api/v1/executions/{id}). */
export interface ExecutionDetail extends ExecutionSummary {
  final_output?: unknown;
  /** The failure body the run answered, when it failed. */
  error?: ExecuteFailure | null;
  nodes: NodeRunRecord[];
}

/** An event of a run's stream (GET /api/v1/executions/{id}/events): its name and parsed data. */
export interface RunEvent {
  type: string;
  data: Record<string, unknown>;
}
