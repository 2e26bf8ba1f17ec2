import type { WorkflowPayload } from '../graph/payload';

/** One entry of the examples gallery: small workflows written for this editor. */
export interface WorkflowExample {
  id: string;
  title: string;
  description: string;
  category: string;
  tags: string[];
  /** No positions: the editor lays examples out when it opens them. */
  payload: WorkflowPayload;
}

const e = (id: string, source: string, target: string, sourceHandle: string | null = null) => ({
  id,
  source,
  target,
  sourceHandle,
  targetHandle: null,
});

export const EXAMPLES: readonly WorkflowExample[] = [
  {
    id: 'io-greeting',
    title: 'Shout a greeting',
    description: 'A text constant goes through an upper-case text operation into a display node.',
    category: 'Input/Output',
    tags: ['text', 'display', 'beginner'],
    payload: {
      nodes: [
        { id: 'greeting', type: 'text_input', data: { text: 'hello from thaiyyal', label: 'Greeting' } },
        { id: 'loud', type: 'text_operation', data: { text_op: 'uppercase', label: 'Upper-case it' } },
        { id: 'show', type: 'visualization', data: { mode: 'text', label: 'Show' } },
      ],
      edges: [e('e1', 'greeting', 'loud'), e('e2', 'loud', 'show')],
    },
  },
  {
    id: 'control-flow-branch',
    title: 'Big or small?',
    description: 'A condition checks whether 42 is above 10. Only the "true" branch runs; the "false" branch is skipped.',
    category: 'Control Flow',
    tags: ['condition', 'branching'],
    payload: {
      nodes: [
        { id: 'amount', type: 'number', data: { value: 42, label: 'Amount' } },
        { id: 'is_big', type: 'condition', data: { condition: 'input > 10', label: 'Above 10?' } },
        { id: 'double', type: 'expression', data: { expression: 'input.value * 2', label: 'Yes: double it' } },
        { id: 'bump', type: 'expression', data: { expression: 'input.value + 100', label: 'No: add 100' } },
      ],
      edges: [e('e1', 'amount', 'is_big'), e('e2', 'is_big', 'double', 'true'), e('e3', 'is_big', 'bump', 'false')],
    },
  },
  {
    id: 'control-flow-switch',
    title: 'Route an HTTP status',
    description: 'A switch sends 404 to the "not_found" handler; each case is its own output handle.',
    category: 'Control Flow',
    tags: ['switch', 'routing'],
    payload: {
      nodes: [
        { id: 'status', type: 'number', data: { value: 404, label: 'Status code' } },
        {
          id: 'route',
          type: 'switch',
          data: {
            label: 'Route by status',
            cases: [
              { when: 'input == 200', output_path: 'ok' },
              { when: 'input == 404', output_path: 'not_found' },
              { when: 'default', output_path: 'other', is_default: true },
            ],
          },
        },
        { id: 'ok_text', type: 'text_input', data: { text: 'All good', label: 'OK' } },
        { id: 'missing_text', type: 'text_input', data: { text: 'Nothing there', label: 'Not found' } },
        { id: 'other_text', type: 'text_input', data: { text: 'Something else', label: 'Other' } },
      ],
      edges: [
        e('e1', 'status', 'route'),
        e('e2', 'route', 'ok_text', 'ok'),
        e('e3', 'route', 'missing_text', 'not_found'),
        e('e4', 'route', 'other_text', 'other'),
      ],
    },
  },
  {
    id: 'operations-math',
    title: 'Arithmetic chain',
    description: '10 × 5 with a math operation, then an expression subtracts 8: the final output is 42.',
    category: 'Operations',
    tags: ['math', 'expression'],
    payload: {
      nodes: [
        { id: 'ten', type: 'number', data: { value: 10, label: 'Ten' } },
        { id: 'five', type: 'number', data: { value: 5, label: 'Five' } },
        { id: 'times', type: 'operation', data: { op: 'multiply', label: 'Multiply' } },
        { id: 'minus', type: 'expression', data: { expression: 'input - 8', label: 'Minus 8' } },
      ],
      edges: [e('e1', 'ten', 'times'), e('e2', 'five', 'times'), e('e3', 'times', 'minus')],
    },
  },
  {
    id: 'parallel-join',
    title: 'Fan out and join',
    description: 'One number feeds three expressions side by side; a join node collects all three results.',
    category: 'Parallel & Join',
    tags: ['parallel', 'join'],
    payload: {
      nodes: [
        { id: 'seed', type: 'number', data: { value: 3, label: 'Seed' } },
        { id: 'double', type: 'expression', data: { expression: 'input * 2', label: 'Double' } },
        { id: 'triple', type: 'expression', data: { expression: 'input * 3', label: 'Triple' } },
        { id: 'square', type: 'expression', data: { expression: 'input * input', label: 'Square' } },
        { id: 'collect', type: 'join', data: { join_strategy: 'all', label: 'Collect all' } },
      ],
      edges: [
        e('e1', 'seed', 'double'),
        e('e2', 'seed', 'triple'),
        e('e3', 'seed', 'square'),
        e('e4', 'double', 'collect'),
        e('e5', 'triple', 'collect'),
        e('e6', 'square', 'collect'),
      ],
    },
  },
  {
    id: 'state-variable',
    title: 'Remember a value',
    description: 'A variable node stores 21 under "answer"; a later variable node reads it back and an expression doubles it.',
    category: 'State & Memory',
    tags: ['variable', 'state'],
    payload: {
      nodes: [
        { id: 'input', type: 'number', data: { value: 21, label: 'Input' } },
        { id: 'store', type: 'variable', data: { var_name: 'answer', var_op: 'set', label: 'Store answer' } },
        { id: 'read', type: 'variable', data: { var_name: 'answer', var_op: 'get', label: 'Read answer' } },
        { id: 'twice', type: 'expression', data: { expression: 'input.value * 2', label: 'Double it' } },
      ],
      edges: [e('e1', 'input', 'store'), e('e2', 'store', 'read'), e('e3', 'read', 'twice')],
    },
  },
  {
    id: 'error-handling-try-catch',
    title: 'Catch a failing step',
    description:
      'The try-catch box holds a step that fails (upper-casing a number). The box catches the failure and returns its fallback value, so the run goes on.',
    category: 'Error Handling',
    tags: ['try-catch', 'scope', 'errors'],
    payload: {
      nodes: [
        { id: 'value', type: 'number', data: { value: 7, label: 'A number' } },
        { id: 'guard', type: 'try_catch', data: { continue_on_error: true, fallback_value: 'recovered', label: 'Try' } },
        { id: 'shout', type: 'text_operation', parentId: 'guard', data: { text_op: 'uppercase', label: 'Upper-case (fails on numbers)' } },
        { id: 'report', type: 'visualization', data: { mode: 'json', label: 'Outcome' } },
      ],
      edges: [e('e1', 'value', 'guard'), e('e2', 'guard', 'report')],
    },
  },
  {
    id: 'error-handling-timeout',
    title: 'Limit a slow step with a timeout',
    description: 'A timeout box limits its body to 2 seconds; inside, a short delay passes the value on in time.',
    category: 'Error Handling',
    tags: ['timeout', 'scope', 'delay'],
    payload: {
      nodes: [
        { id: 'start', type: 'number', data: { value: 1, label: 'Start' } },
        { id: 'limit', type: 'timeout', data: { timeout: '2s', timeout_action: 'error', label: 'At most 2 s' } },
        { id: 'wait', type: 'delay', parentId: 'limit', data: { duration: '200ms', label: 'Wait 200 ms' } },
      ],
      edges: [e('e1', 'start', 'limit')],
    },
  },
  {
    id: 'array-loop',
    title: 'Loop over a range',
    description: 'A for-each box runs its body (item × 10) once per number from 1 to 4; reduce adds the results up to 100.',
    category: 'Array Operations',
    tags: ['for-each', 'scope', 'reduce', 'range'],
    payload: {
      nodes: [
        { id: 'numbers', type: 'range', data: { start: 1, end: 4, step: 1, label: '1 to 4' } },
        { id: 'each', type: 'for_each', data: { label: 'For each number' } },
        { id: 'times_ten', type: 'expression', parentId: 'each', data: { expression: 'item * 10', label: 'Times ten' } },
        { id: 'total', type: 'reduce', data: { expression: 'accumulator + item', initial_value: 0, label: 'Sum' } },
      ],
      edges: [e('e1', 'numbers', 'each'), e('e2', 'each', 'total')],
    },
  },
  {
    id: 'array-scores',
    title: 'Rank scores',
    description: 'JSON text is parsed into an array of players, then sorted by score, highest first.',
    category: 'Array Operations',
    tags: ['parse', 'sort', 'json'],
    payload: {
      nodes: [
        {
          id: 'raw',
          type: 'text_input',
          data: { text: '[{"name":"Asha","score":7},{"name":"Ravi","score":12},{"name":"Meena","score":9}]', label: 'Players (JSON)' },
        },
        { id: 'parse', type: 'parse', data: { input_type: 'JSON', label: 'Parse JSON' } },
        { id: 'rank', type: 'sort', data: { field: 'score', order: 'desc', label: 'Highest first' } },
      ],
      edges: [e('e1', 'raw', 'parse'), e('e2', 'parse', 'rank')],
    },
  },
  {
    id: 'utilities-delay',
    title: 'Take a breath',
    description: 'A delay node waits two seconds before passing its input on. Press Cancel while it runs to stop it.',
    category: 'Utilities',
    tags: ['delay', 'cancel'],
    payload: {
      nodes: [
        { id: 'value', type: 'number', data: { value: 5, label: 'Value' } },
        { id: 'pause', type: 'delay', data: { duration: '2s', label: 'Wait 2 s' } },
      ],
      edges: [e('e1', 'value', 'pause')],
    },
  },
];

/** Examples whose title, description, category or tags contain the query. */
export function searchExamples(query: string, examples: readonly WorkflowExample[] = EXAMPLES): WorkflowExample[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...examples];
  return examples.filter((x) => [x.title, x.description, x.category, ...x.tags].some((s) => s.toLowerCase().includes(q)));
}
