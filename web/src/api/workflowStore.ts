import type { WorkflowPayload } from '../graph/payload';
import type { ApiClient } from './client';

/**
 * The server keeps no update endpoint (server-api.md §3.6): saving an already stored
 * workflow stores a new record and then removes the old one, so the list holds one entry
 * per workflow. Returns the new id.
 */
export async function saveReplacing(api: ApiClient, previousId: string | undefined, name: string, description: string, data: WorkflowPayload): Promise<string> {
  const id = await api.save(name, description, data);
  if (previousId && previousId !== id) {
    try {
      await api.remove(previousId);
    } catch {
      // The new copy is safe; a stale old entry is only clutter in the list.
    }
  }
  return id;
}

/** Rename = store the same data under the new name, then delete the old record. */
export async function renameStoredWorkflow(api: ApiClient, id: string, newName: string): Promise<string> {
  const stored = await api.load(id);
  return saveReplacing(api, id, newName, stored.description ?? '', stored.data);
}
