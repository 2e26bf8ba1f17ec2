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
  /** Data keys from which the server infers this type when a node has none. */
  inference_keys: string[];
}

export interface NodeCatalogueBody {
  categories: string[];
  nodes: NodeSpec[];
}
