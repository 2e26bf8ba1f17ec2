/** The names a node type binds in its expression fields (docs/expressions.md §1). */
export function boundNames(nodeType: string): string[] {
  switch (nodeType) {
    case 'filter':
      return ['item', 'index', 'input'];
    case 'find':
    case 'partition':
    case 'map':
    case 'flat_map':
      return ['item', 'index', 'items', 'input'];
    case 'reduce':
      return ['accumulator', 'item', 'index', 'items', 'input'];
    case 'expression':
      return ['input', 'item'];
    default:
      return ['input'];
  }
}
