import type { WorkflowPayload } from '../graph/payload';
import type { ApiClient } from './client';

/**
 * Saves the workflow: a server with versions (`saveVersion`) stores the next version under the same id; the
 * original's API has no update route (server-api.md §3.6), so there a new record is stored and the old one
 * removed, keeping one entry per workflow. Returns the id and, with versions, the version made.
 */
export async function saveReplacing(
  api: ApiClient,
  previousId: string | undefined,
  name: string,
  description: string,
  data: WorkflowPayload,
): Promise<{ id: string; version?: number }> {
  if (api.saveVersion) return api.saveVersion(name, description, data, previousId);
  const id = await api.save(name, description, data);
  if (previousId && previousId !== id) {
    try {
      await api.remove(previousId);
    } catch {
      // The new copy is safe; a stale old entry is only clutter in the list.
    }
  }
  return { id };
}

/** Rename = store the same data under the new name (a new version, or a new record replacing the old one). */
export async function renameStoredWorkflow(api: ApiClient, id: string, newName: string): Promise<string> {
  const stored = await api.load(id);
  return (await saveReplacing(api, id, newName, stored.description ?? '', stored.data)).id;
}

const RECENT_KEY = 'thaiyyal.recentWorkflows';
const RECENT_MAX = 8;

/** A stored workflow opened or saved lately in this browser. */
export interface RecentWorkflow {
  id: string;
  name: string;
}

export function recentWorkflows(): RecentWorkflow[] {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT_KEY) ?? '[]') as unknown;
    return Array.isArray(list) ? list.filter((r): r is RecentWorkflow => typeof r?.id === 'string' && typeof r?.name === 'string') : [];
  } catch {
    return [];
  }
}

/** Puts the workflow first in the recent list (or drops it with `remove`). */
export function rememberRecent(id: string, name: string, remove = false): void {
  const rest = recentWorkflows().filter((r) => r.id !== id);
  const next = remove ? rest : [{ id, name }, ...rest].slice(0, RECENT_MAX);
  localStorage.setItem(RECENT_KEY, JSON.stringify(next));
}

/** The stored workflow id a location hash names (`#/workflows/{id}`), if any. */
export function workflowIdFromHash(hash: string): string | undefined {
  const match = /^#\/workflows\/([^/?#]+)$/.exec(hash);
  if (!match) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
}

export const hashForWorkflow = (id: string) => `#/workflows/${encodeURIComponent(id)}`;
