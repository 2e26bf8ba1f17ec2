import type { FieldSpec, FieldType, NodeCatalogueBody, NodeSpec, OutputHandleSpec } from './types';
import { setInferenceRules } from './typeInference';

/** The catalogue with a lookup by type. Built once per fetch. */
export interface NodeCatalogue {
  categories: string[];
  nodes: NodeSpec[];
  byType: ReadonlyMap<string, NodeSpec>;
}

const FIELD_TYPES: ReadonlySet<string> = new Set<FieldType>([
  'number', 'integer', 'string', 'boolean', 'expression', 'duration', 'array', 'string_array', 'object', 'any',
]);

/** An empty catalogue: the editor still opens (every node renders generically) when the fetch fails. */
export const EMPTY_CATALOGUE: NodeCatalogue = { categories: [], nodes: [], byType: new Map() };

/**
 * Normalises a catalogue body. The server is trusted for content but not for completeness:
 * missing arrays and unknown field types are tolerated so one odd entry cannot break the editor.
 */
export function buildCatalogue(body: NodeCatalogueBody): NodeCatalogue {
  if (!body || !Array.isArray(body.nodes)) throw new Error('The node catalogue has no "nodes" array.');
  const nodes = body.nodes.filter((n) => n && typeof n.type === 'string' && n.type !== '').map(normaliseNode);
  const categories = Array.isArray(body.categories) ? [...body.categories] : [];
  for (const n of nodes) if (!categories.includes(n.category)) categories.push(n.category);
  setInferenceRules(nodes);
  return { categories, nodes, byType: new Map(nodes.map((n) => [n.type, n])) };
}

function normaliseNode(n: NodeSpec): NodeSpec {
  return {
    type: n.type,
    category: n.category || 'Custom',
    label: n.label || n.type,
    description: n.description ?? '',
    fields: Array.isArray(n.fields) ? n.fields.map(normaliseField) : [],
    min_inputs: typeof n.min_inputs === 'number' ? n.min_inputs : 1,
    max_inputs: n.max_inputs === null || typeof n.max_inputs === 'number' ? n.max_inputs : 1,
    outputs: Array.isArray(n.outputs) ? n.outputs.map(normaliseOutput) : [{ id: null, label: 'output' }],
    dynamic_outputs: n.dynamic_outputs === true,
    scope: n.scope === true,
    in_palette: n.in_palette !== false,
    defaults: n.defaults && typeof n.defaults === 'object' ? n.defaults : {},
    // Newer servers only: absent or malformed means "no groups".
    required_groups: Array.isArray(n.required_groups)
      ? n.required_groups.filter((g) => Array.isArray(g) && g.length > 0).map((g) => g.filter((f) => typeof f === 'string'))
      : [],
    inference_keys: Array.isArray(n.inference_keys) ? n.inference_keys.filter((k) => typeof k === 'string') : [],
    inference_rank: typeof n.inference_rank === 'number' ? n.inference_rank : null,
    inference_also_required: Array.isArray(n.inference_also_required) ? n.inference_also_required : [],
    inference_non_empty_string: n.inference_non_empty_string === true,
  };
}

function normaliseField(f: FieldSpec): FieldSpec {
  return {
    name: f.name,
    type: FIELD_TYPES.has(f.type) ? f.type : 'any',
    label: f.label || f.name,
    description: f.description ?? '',
    required: f.required === true,
    default: f.default === undefined ? null : f.default,
    options: Array.isArray(f.options) ? f.options : null,
  };
}

function normaliseOutput(o: OutputHandleSpec): OutputHandleSpec {
  return { id: o.id ?? null, label: o.label || (o.id ?? 'output') };
}

export interface PaletteGroup {
  category: string;
  nodes: NodeSpec[];
}

/**
 * Palette entries grouped by category in catalogue order. The query matches label, type
 * or description, case-insensitively; empty categories are dropped.
 */
export function paletteGroups(catalogue: NodeCatalogue, query: string): PaletteGroup[] {
  const q = query.trim().toLowerCase();
  const matches = (n: NodeSpec) =>
    q === '' ||
    n.label.toLowerCase().includes(q) ||
    n.type.toLowerCase().includes(q) ||
    n.description.toLowerCase().includes(q);
  return catalogue.categories
    .map((category) => ({
      category,
      nodes: catalogue.nodes.filter((n) => n.in_palette && n.category === category && matches(n)),
    }))
    .filter((g) => g.nodes.length > 0);
}

/** A deep copy of the node's editor defaults, so new nodes never share objects. */
export function defaultDataFor(spec: NodeSpec): Record<string, unknown> {
  return structuredClone(spec.defaults ?? {});
}

/** Whether the node takes inputs at all (number, range, … are sources). */
export function acceptsInputs(spec: NodeSpec | undefined): boolean {
  return spec === undefined || spec.max_inputs === null || spec.max_inputs > 0;
}

const isSet = (v: unknown) => v !== undefined && v !== null && v !== '';

/** The required groups none of whose fields is set. */
export function unmetRequiredGroups(spec: NodeSpec, data: Record<string, unknown>): string[][] {
  return (spec.required_groups ?? []).filter((group) => !group.some((f) => isSet(data[f])));
}
