/**
 * Client-side copy of the server's type inference for nodes whose `type` is missing or
 * empty (workflow-format.md §2.1). The editor uses it only to pick a form and a card;
 * the payload keeps the missing type so it exports exactly as it came in.
 */
const RULES: ReadonlyArray<[(d: Record<string, unknown>) => boolean, string]> = [
  [(d) => 'value' in d, 'number'],
  [(d) => 'text' in d, 'text_input'],
  [(d) => 'boolean_value' in d, 'boolean_input'],
  [(d) => 'date_value' in d, 'date_input'],
  [(d) => 'datetime_value' in d, 'datetime_input'],
  [(d) => 'mode' in d, 'visualization'],
  [(d) => 'op' in d, 'operation'],
  [(d) => 'text_op' in d, 'text_operation'],
  [(d) => 'url' in d, 'http'],
  [(d) => 'condition' in d && 'true_path' in d, 'condition'],
  [(d) => 'condition' in d, 'filter'],
  [(d) => 'expression' in d && 'initial_value' in d, 'reduce'],
  [(d) => typeof d.expression === 'string' && d.expression !== '', 'expression'],
  [(d) => 'var_name' in d && 'var_op' in d, 'variable'],
  [(d) => 'field' in d, 'extract'],
  [(d) => 'fields' in d, 'extract'],
  [(d) => 'transform_type' in d, 'transform'],
  [(d) => 'accum_op' in d, 'accumulator'],
  [(d) => 'counter_op' in d, 'counter'],
  [(d) => 'cases' in d, 'switch'],
  [(d) => 'join_strategy' in d, 'join'],
  [(d) => 'paths' in d, 'split'],
  [(d) => 'duration' in d, 'delay'],
  [(d) => 'cache_op' in d && 'cache_key' in d, 'cache'],
  [(d) => 'context_name' in d, 'context_variable'],
  [(d) => 'context_values' in d, 'context_variable'],
  [(d) => 'max_attempts' in d, 'retry'],
  [(d) => 'backoff_strategy' in d, 'retry'],
  [(d) => 'fallback_value' in d, 'try_catch'],
  [(d) => 'continue_on_error' in d, 'try_catch'],
  [(d) => 'timeout' in d && 'timeout_action' in d, 'timeout'],
];

/** The inferred type, or `""` when no rule matches (the server then reports an unknown type). */
export function inferNodeType(data: Record<string, unknown> | null | undefined): string {
  if (!data || typeof data !== 'object') return '';
  for (const [matches, type] of RULES) if (matches(data)) return type;
  return '';
}
