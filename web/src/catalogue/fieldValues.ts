import { unmetRequiredGroups } from './catalogue';
import { switchCases, switchCasesProblem } from './handles';
import type { FieldSpec, NodeSpec } from './types';

/** The result of reading what the user typed into a field. */
export type FieldParse =
  | { ok: true; value: unknown; unset?: false }
  | { ok: true; unset: true }
  | { ok: false; message: string };

const NUMBER_PATTERN = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const INTEGER_PATTERN = /^[-+]?\d+$/;
// Go duration grammar as the engine accepts it (workflow-format.md §13.3).
const DURATION_PATTERN = /^[-+]?((\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/;

/** Whether the engine would accept the text as a duration (`500ms`, `1m30s`, `0`, or bare milliseconds). */
export function isValidDuration(text: string): boolean {
  const t = text.trim();
  return t === '0' || DURATION_PATTERN.test(t) || INTEGER_PATTERN.test(t);
}

/** The editable text for a stored value. */
export function formatFieldValue(field: FieldSpec, value: unknown): string {
  if (value === undefined) return '';
  switch (field.type) {
    case 'array':
    case 'object':
    case 'any':
      return JSON.stringify(value, null, 2);
    case 'string_array':
      return Array.isArray(value) ? value.join(', ') : JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return typeof value === 'string' ? value : value === null ? '' : JSON.stringify(value);
  }
}

/**
 * Reads user text for a field. Blank text unsets optional fields and is an error for
 * required ones (except plain strings, where the engine accepts "").
 */
export function parseFieldInput(field: FieldSpec, text: string): FieldParse {
  const trimmed = text.trim();
  if (trimmed === '' && field.type !== 'string') {
    return field.required ? { ok: false, message: `${field.label} is required.` } : { ok: true, unset: true };
  }
  switch (field.type) {
    case 'number':
      return NUMBER_PATTERN.test(trimmed) && Number.isFinite(Number(trimmed))
        ? { ok: true, value: Number(trimmed) }
        : { ok: false, message: `${field.label} must be a number.` };
    case 'integer':
      return INTEGER_PATTERN.test(trimmed) && Number.isSafeInteger(Number(trimmed))
        ? { ok: true, value: Number(trimmed) }
        : { ok: false, message: `${field.label} must be a whole number.` };
    case 'duration':
      return isValidDuration(trimmed)
        ? { ok: true, value: trimmed }
        : { ok: false, message: `${field.label} must be a duration such as 500ms, 2s or 1m30s.` };
    case 'array':
    case 'object':
    case 'any':
      return parseJsonField(field, trimmed);
    case 'boolean':
      return { ok: true, value: trimmed === 'true' };
    case 'string_array':
      return { ok: true, value: splitTags(text) };
    case 'string':
      if (text === '' && !field.required) return { ok: true, unset: true };
      return { ok: true, value: text };
    case 'expression':
    default:
      return { ok: true, value: text };
  }
}

function parseJsonField(field: FieldSpec, text: string): FieldParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `${field.label}: invalid JSON (${(e as Error).message}).` };
  }
  if (field.type === 'array' && !Array.isArray(value)) return { ok: false, message: `${field.label} must be a JSON array.` };
  if (field.type === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    return { ok: false, message: `${field.label} must be a JSON object.` };
  }
  return { ok: true, value };
}

export function splitTags(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Checks stored data against the catalogue: required keys present and values of the right
 * JSON type. Returns field name → message for every problem (empty when valid).
 */
export function validateNodeData(spec: NodeSpec, data: Record<string, unknown>): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const field of spec.fields) {
    const message = validateStoredValue(field, data[field.name]);
    if (message) problems[field.name] = message;
  }
  for (const group of unmetRequiredGroups(spec, data)) {
    const labels = group.map((name) => spec.fields.find((f) => f.name === name)?.label ?? name);
    problems[group[0]] ??= group.length === 1 ? `${labels[0]} is required.` : `One of ${labels.join(', ')} is required.`;
  }
  if (spec.dynamic_outputs && Array.isArray(data.cases) && !problems.cases) {
    const message = switchCasesProblem(switchCases(data));
    if (message) problems.cases = message;
  }
  return problems;
}

/** A message when a stored value would be rejected, otherwise `undefined`. */
export function validateStoredValue(field: FieldSpec, value: unknown): string | undefined {
  if (value === undefined || value === null) return field.required ? `${field.label} is required.` : undefined;
  const typeName = (): string => (Array.isArray(value) ? 'array' : typeof value);
  switch (field.type) {
    case 'number':
      return typeof value === 'number' ? undefined : `${field.label} must be a number, not ${typeName()}.`;
    case 'integer':
      return Number.isInteger(value) ? undefined : `${field.label} must be a whole number.`;
    case 'string':
    case 'expression':
      return typeof value === 'string' ? undefined : `${field.label} must be text, not ${typeName()}.`;
    case 'duration':
      if (typeof value !== 'string') return `${field.label} must be a duration text, not ${typeName()}.`;
      return isValidDuration(value) ? undefined : `${field.label} must be a duration such as 500ms, 2s or 1m30s.`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${field.label} must be true or false.`;
    case 'array':
      return Array.isArray(value) ? undefined : `${field.label} must be an array.`;
    case 'string_array':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : `${field.label} must be a list of texts.`;
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? undefined : `${field.label} must be an object.`;
    default:
      return undefined;
  }
}
