/** The shapes of `GET /api/v1/nodes`: the server's description of every node type. */

export type FieldType =
  | 'number'
  | 'integer'
  | 'string'
  | 'boolean'
  | 'expression'
  | 'duration'
  | 'array'
  | 'string_array'
  | 'object'
  | 'any';

export interface FieldSpec {
  name: string;
  type: FieldType;
  label: string;
  description: string;
  required: boolean;
  default: unknown;
  options: string[] | null;
}

export interface OutputHandleSpec {
  /** `null` is the single unnamed output. */
  id: string | null;
  label: string;
}

export interface NodeSpec {
  type: string;
  category: string;
  label: string;
  description: string;
  fields: FieldSpec[];
  min_inputs: number;
  /** `null` means any number of inputs. */
  max_inputs: number | null;
  outputs: OutputHandleSpec[];
  /** The output handles come from the node's data (switch cases). */
  dynamic_outputs: boolean;
  /** Drawn as a box that other nodes can be placed in (loop bodies, protected regions). */
  scope: boolean;
  in_palette: boolean;
  defaults: Record<string, unknown>;
  /** Groups of field names of which at least one must be set ("one of these is required"); empty when none. */
  required_groups: string[][];
  /** Data keys that make a node without `type` this type (any one present); empty: never inferred. */
  inference_keys: string[];
  /** Order in which the types' inference rules are tried (lowest first); null: never inferred. */
  inference_rank?: number | null;
  /** Keys that must be present as well for the rule to match. */
  inference_also_required?: string[];
  /** The matching key's value must be a non-empty string. */
  inference_non_empty_string?: boolean;
}

export interface NodeCatalogueBody {
  categories: string[];
  nodes: NodeSpec[];
}
