/**
 * Which nodes an error message is about, so the canvas can point at them. Reads the
 * server's known message shapes; only ids that exist in the graph are returned.
 */
export function nodeIdsNamedInError(message: string | undefined, explicitNodeId: string | undefined, knownIds: Iterable<string>): string[] {
  const known = new Set(knownIds);
  const found: string[] = [];
  const add = (id: string | undefined) => {
    const trimmed = id?.trim();
    if (trimmed && known.has(trimmed) && !found.includes(trimmed)) found.push(trimmed);
  };
  add(explicitNodeId);
  if (!message) return found;

  // "workflow contains cycles (circular dependencies): a → b → a"
  const cycle = /circular dependencies\)?\s*:\s*(.+)$/m.exec(message);
  if (cycle) for (const part of cycle[1].split(/\s*(?:→|->|,)\s*/)) add(part);

  const patterns = [
    /error executing node (.+?): /g, // engine failure
    /for node (.+?) \(type /g, // decode failure
    /node ['"]?([^'"\s,:()]+)['"]?/gi, // "node x", "node 'x'"
  ];
  for (const pattern of patterns) for (const match of message.matchAll(pattern)) add(match[1]);

  // Quoted ids anywhere ("edge from "a" to "b" crosses a scope").
  for (const match of message.matchAll(/["'`]([^"'`]+)["'`]/g)) add(match[1]);
  return found;
}
