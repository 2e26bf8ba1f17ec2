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
