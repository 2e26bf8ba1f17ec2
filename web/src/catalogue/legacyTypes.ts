import type { NodeCatalogue } from './catalogue';

// Names the original editor's examples used for types the engine spells differently.
const LEGACY_NAMES: Record<string, string> = {
  retryNode: 'retry',
  timeoutNode: 'timeout',
  parallelNode: 'parallel',
  joinNode: 'join',
  delayNode: 'delay',
  tryCatchNode: 'try_catch',
  rangeNode: 'range',
  mapNode: 'map',
  textOpNode: 'text_operation',
  barChartNode: 'visualization',
};

/**
 * The catalogue type an unknown type most likely means (`retryNode` → `retry`), or
 * `undefined`. The editor offers it as a one-click change; it never converts silently.
 */
export function suggestCatalogueType(type: string, catalogue: NodeCatalogue): string | undefined {
  if (!type || catalogue.byType.has(type)) return undefined;
  const known = LEGACY_NAMES[type];
  if (known && catalogue.byType.has(known)) return known;
  const snake = type
    .replace(/Node$/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase();
  return catalogue.byType.has(snake) ? snake : undefined;
}
