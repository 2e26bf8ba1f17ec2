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
