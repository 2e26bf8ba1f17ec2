import type { NodeSpec } from './types';

/**
 * Type inference for nodes whose `type` is missing or empty (workflow-format.md §2.1), from the rules the
 * server's catalogue serves with each node type (`inference_keys`, `inference_rank`, …): no copy of the list
 * lives here. The editor uses it only to pick a form and a card; the payload keeps the missing type so it
 * exports exactly as it came in.
 */
interface Rule {
  type: string;
  rank: number;
  keys: string[];
  alsoRequired: string[];
  nonEmptyString: boolean;
}

let rules: Rule[] = [];

/** Takes the inference rules from the catalogue's node types (called whenever a catalogue is built). */
export function setInferenceRules(nodes: readonly NodeSpec[]): void {
  rules = nodes
    .filter((n) => typeof n.inference_rank === 'number' && (n.inference_keys?.length ?? 0) > 0)
    .map((n) => ({
      type: n.type,
      rank: n.inference_rank as number,
      keys: n.inference_keys ?? [],
      alsoRequired: n.inference_also_required ?? [],
      nonEmptyString: n.inference_non_empty_string ?? false,
    }))
    .sort((a, b) => a.rank - b.rank || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
}

function matches(rule: Rule, d: Record<string, unknown>): boolean {
  if (!rule.alsoRequired.every((k) => k in d)) return false;
  return rule.keys.some((k) => k in d && (!rule.nonEmptyString || (typeof d[k] === 'string' && d[k] !== '')));
}

/** The inferred type, or `""` when no rule matches (the server then reports an unknown type). */
export function inferNodeType(data: Record<string, unknown> | null | undefined): string {
  if (!data || typeof data !== 'object') return '';
  for (const rule of rules) if (matches(rule, data)) return rule.type;
  return '';
}
