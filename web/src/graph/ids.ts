/**
 * New node ids read well in expressions (`node.number_2`): the type plus the smallest free
 * counter for that type.
 */
export function nextNodeId(type: string, existing: Iterable<string>): string {
  const used = new Set(existing);
  const base = (type || 'node').replace(/[^A-Za-z0-9_]/g, '_');
  for (let n = 1; ; n++) {
    const id = `${base}_${n}`;
    if (!used.has(id)) return id;
  }
}

export function nextEdgeId(source: string, sourceHandle: string | null | undefined, target: string, existing: Iterable<string>): string {
  const used = new Set(existing);
  const base = sourceHandle ? `e-${source}-${sourceHandle}-${target}` : `e-${source}-${target}`;
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
