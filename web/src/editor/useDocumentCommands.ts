import { useCallback, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import type { ApiClient } from '../api/client';
import { rememberRecent, saveReplacing } from '../api/workflowStore';
import type { NodeCatalogue } from '../catalogue/catalogue';
import type { ToastKind } from '../components/Toasts';
import type { WorkflowExample } from '../examples';
import type { Graph } from '../graph/model';
import { applyLayout, type LayoutResult } from '../graph/layout';
import { parseWorkflowFile, payloadToGraph } from '../graph/payload';
import { downloadJson, exportFileName } from './files';
import { UNTITLED, type DocumentInfo, type WorkflowDocument } from './useWorkflowDocument';
import type { WorkflowRun } from './useWorkflowRun';

/** A question the user must answer before a destructive command goes ahead. */
export interface PendingConfirm {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  action(): void;
}

interface DocumentCommandsOptions {
  api: ApiClient;
  doc: WorkflowDocument;
  run: WorkflowRun;
  catalogue: NodeCatalogue;
  layoutGraph(graph: Graph): Graph | Promise<LayoutResult>;
  /** Moves the view to fit a graph about to be drawn (big graphs are then drawn once, at that zoom). */
  prepareView?(graph: Graph): boolean;
  /** Another workflow replaced the canvas (open, import, example, new): what belonged to the old one goes. */
  onReplaced?(): void;
  /** Shows a toast; what it returns, when anything, takes the toast down early. */
  notify(kind: ToastKind, text: string): (() => void) | void;
  closeDialog(): void;
  openSaveDialog(): void;
  pickImportFile(): void;
}

/**
 * Whole-document commands: new, open (stored, example, file), save, export. Anything that
 * would replace unsaved work asks first.
 */
export function useDocumentCommands({ api, doc, run, catalogue, layoutGraph, prepareView, onReplaced, notify, closeDialog, openSaveDialog, pickImportFile }: DocumentCommandsOptions) {
  const [confirm, setConfirm] = useState<PendingConfirm | null>(null);
  // Bumped whenever a workflow is opened, so the canvas fits it into view.
  const [fitRequest, setFitRequest] = useState(0);
  const openCount = useRef(0);

  /** Runs `action` at once, or after the user agrees to drop unsaved changes. */
  const guardUnsaved = useCallback(
    (what: string, action: () => void) => {
      if (!doc.dirty) return action();
      setConfirm({
        title: 'Discard unsaved changes?',
        message: `“${doc.info.title}” has changes that are not saved. ${what} will replace them.`,
        confirmLabel: 'Discard changes',
        danger: true,
        action,
      });
    },
    [doc.dirty, doc.info.title],
  );

  /** Replaces the canvas with a payload, laying it out when it has no positions. */
  const openPayload = (payload: unknown, info: Omit<DocumentInfo, 'meta'>): boolean => {
    let loaded;
    try {
      loaded = payloadToGraph(payload, catalogue);
    } catch (e) {
      notify('error', (e as Error).message);
      return false;
    }
    const opening = ++openCount.current;
    const show = (graph: Graph) => {
      if (opening !== openCount.current) return; // another workflow was opened meanwhile
      run.clear();
      onReplaced?.();
      // A big graph's view is set before it is drawn, from its laid-out bounds (cards are never taller than the
      // layout's card): fitting it again once drawn would move every card once more for the same view.
      if (!prepareView?.(graph)) setFitRequest((n) => n + 1);
      doc.replace({ nodes: graph.nodes, edges: graph.edges }, { ...info, meta: loaded.meta });
    };
    const laid = loaded.needsLayout ? layoutGraph(loaded) : loaded;
    if (laid instanceof Promise) {
      const progress = notify('info', `Laying out ${loaded.nodes.length} nodes…`);
      laid.then(
        (result) => {
          progress?.();
          show(applyLayout(loaded, result));
        },
        (e: Error) => {
          progress?.();
          notify('error', `Layout failed (${e.message}); the nodes are stacked at the origin.`);
          show(loaded);
        },
      );
    } else {
      show(laid);
    }
    return true;
  };

  const newWorkflow = () =>
    guardUnsaved('A new workflow', () => {
      run.clear();
      onReplaced?.();
      doc.replace({ nodes: [], edges: [] }, { title: UNTITLED, description: '', meta: {} });
    });

  const openStored = (id: string, version?: number) =>
    guardUnsaved('Opening another workflow', async () => {
      try {
        const stored = version !== undefined && api.loadVersion ? await api.loadVersion(id, version) : await api.load(id);
        const shown = (stored as { version?: number }).version;
        if (openPayload(stored.data, { title: stored.name, description: stored.description ?? '', savedId: stored.id ?? id, version: shown })) {
          closeDialog();
          rememberRecent(stored.id ?? id, stored.name);
          notify('success', version !== undefined ? `Opened “${stored.name}”, version ${version}.` : `Opened “${stored.name}”.`);
        }
      } catch (e) {
        if (version === undefined) rememberRecent(id, '', true);
        notify('error', `Could not open the workflow: ${(e as Error).message}`);
      }
    });

  const openExample = (example: WorkflowExample) =>
    guardUnsaved('Opening an example', () => {
      if (openPayload(structuredClone(example.payload), { title: example.title, description: example.description })) closeDialog();
    });

  const save = async (name = doc.info.title, description = doc.info.description) => {
    try {
      const saved = await saveReplacing(api, doc.info.savedId, name, description, doc.payload());
      doc.markSaved(saved.id, name, description, saved.version);
      rememberRecent(saved.id, name);
      closeDialog();
      notify('success', saved.version !== undefined ? `Saved “${name}” as version ${saved.version}.` : `Saved “${name}”.`);
    } catch (e) {
      notify('error', `Save failed: ${(e as Error).message}`);
    }
  };

  /** The first save asks for a name; later saves replace the stored record silently. */
  const requestSave = () => {
    if (doc.info.savedId) void save();
    else openSaveDialog();
  };

  const startImport = () => guardUnsaved('Importing a file', pickImportFile);

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same file can be imported again
    if (!file) return;
    try {
      const parsed = parseWorkflowFile(await file.text());
      const title = parsed.name ?? file.name.replace(/\.json$/i, '');
      if (openPayload(parsed.payload, { title, description: parsed.description ?? '' })) {
        notify('success', `Imported ${parsed.payload.nodes.length} nodes from ${file.name}.`);
      }
    } catch (err) {
      notify('error', `Import failed: ${(err as Error).message}`);
    }
  };

  const exportFile = () => {
    const name = exportFileName(doc.info.title);
    // The file carries the workflow's name (and description) beside the payload; the engine ignores both.
    const payload = doc.payload();
    const file = { name: doc.info.title, ...(doc.info.description ? { description: doc.info.description } : {}), ...payload };
    downloadJson(name, file);
    notify('info', `Exported ${name}.`);
  };

  const copyText = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      notify('success', 'Payload copied to the clipboard.');
    } catch {
      notify('error', 'The browser refused clipboard access.');
    }
  };

  return { confirm, setConfirm, fitRequest, newWorkflow, openStored, openExample, save, requestSave, startImport, importFile, exportFile, copyText };
}
