import { useCallback, useEffect, useMemo, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import type { ApiClient } from '../api/client';
import { saveReplacing } from '../api/workflowStore';
import { useCatalogue } from '../catalogue/CatalogueContext';
import { useGraphCommands } from '../editor/useGraphCommands';
import { useShortcuts } from '../editor/useShortcuts';
import { UNTITLED, useWorkflowDocument, type DocumentInfo } from '../editor/useWorkflowDocument';
import { useWorkflowRun } from '../editor/useWorkflowRun';
import type { WorkflowExample } from '../examples';
import { parseWorkflowFile, payloadToGraph, type WorkflowPayload } from '../graph/payload';
import { useTheme } from '../theme/useTheme';
import { WorkflowCanvas } from './canvas/WorkflowCanvas';
import { ConfigPanel } from './config/ConfigPanel';
import { ExamplesDialog } from './dialogs/ExamplesDialog';
import { HelpDialog } from './dialogs/HelpDialog';
import { JsonDialog } from './dialogs/JsonDialog';
import { OpenWorkflowDialog } from './dialogs/OpenWorkflowDialog';
import { SaveDialog } from './dialogs/SaveDialog';
import { Icon } from './Icon';
import { ConfirmDialog } from './Modal';
import { Palette } from './Palette';
import { ExecutionPanel, PANEL_MIN_HEIGHT } from './panels/ExecutionPanel';
import { StatusBar } from './panels/StatusBar';
import { useToasts } from './Toasts';
import { WorkflowBar } from './WorkflowBar';

type DialogName = 'open' | 'save' | 'examples' | 'json' | 'help' | null;

interface PendingConfirm {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  action(): void;
}

const PANEL_HEIGHT_KEY = 'thaiyyal.panelHeight';

/** A file name made from the title: lower case, letters and digits, dashes between words. */
export function exportFileName(title: string): string {
  const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${slug || 'workflow'}.json`;
}

function downloadJson(fileName: string, value: unknown) {
  const blob = new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function initialPanelHeight(): number {
  const stored = Number(localStorage.getItem(PANEL_HEIGHT_KEY));
  return Number.isFinite(stored) && stored >= PANEL_MIN_HEIGHT ? stored : 260;
}

/** The editor: palette, canvas, configuration panel, execution panel and every command. */
export function EditorPage({ api }: { api: ApiClient }) {
  const { catalogue, status: catalogueStatus, error: catalogueError, reload } = useCatalogue();
  const doc = useWorkflowDocument();
  const run = useWorkflowRun(api);
  const toasts = useToasts();
  const { theme, toggle: toggleTheme } = useTheme();
  const commands = useGraphCommands(doc, catalogue, toasts.show);

  const [paletteOpen, setPaletteOpen] = useState(true);
  const [configOpen, setConfigOpen] = useState(true);
  const [panelOpen, setPanelOpen] = useState(false);
  const [panelHeight, setPanelHeight] = useState(initialPanelHeight);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [confirm, setConfirm] = useState<PendingConfirm | null>(null);
  const [selection, setSelection] = useState<{ nodeIds: string[]; edgeIds: string[] }>({ nodeIds: [], edgeIds: [] });
  const fileInput = useRef<HTMLInputElement>(null);
  const [fitRequest, setFitRequest] = useState(0);

  useEffect(() => localStorage.setItem(PANEL_HEIGHT_KEY, String(panelHeight)), [panelHeight]);

  // Leaving the page with unsaved changes asks first.
  useEffect(() => {
    if (!doc.dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [doc.dirty]);

  useEffect(() => {
    document.title = `${doc.info.title}${doc.dirty ? ' •' : ''} — Thaiyyal`;
  }, [doc.info.title, doc.dirty]);

  // Fit the view once a newly opened workflow has been drawn and measured. Keyed on a
  // request counter, not on the nodes, because measuring them changes the nodes again.
  const fitViewRef = useRef(commands.fitView);
  fitViewRef.current = commands.fitView;
  useEffect(() => {
    if (fitRequest === 0) return;
    const timer = window.setTimeout(() => fitViewRef.current(), 120);
    return () => window.clearTimeout(timer);
  }, [fitRequest]);

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

  const openPayload = useCallback(
    (payload: unknown, info: Omit<DocumentInfo, 'meta'>) => {
      let loaded;
      try {
        loaded = payloadToGraph(payload, catalogue);
      } catch (e) {
        toasts.show('error', (e as Error).message);
        return false;
      }
      const graph = loaded.needsLayout ? commands.layoutGraph(loaded) : loaded;
      run.clear();
      setFitRequest((n) => n + 1);
      doc.replace({ nodes: graph.nodes, edges: graph.edges }, { ...info, meta: loaded.meta });
      return true;
    },
    [catalogue, commands, doc, run, toasts],
  );

  const newWorkflow = () =>
    guardUnsaved('A new workflow', () => {
      run.clear();
      doc.replace({ nodes: [], edges: [] }, { title: UNTITLED, description: '', meta: {} });
    });

  const openStored = (id: string) =>
    guardUnsaved('Opening another workflow', async () => {
      try {
        const stored = await api.load(id);
        if (openPayload(stored.data, { title: stored.name, description: stored.description ?? '', savedId: stored.id ?? id })) {
          setDialog(null);
          toasts.show('success', `Opened “${stored.name}”.`);
        }
      } catch (e) {
        toasts.show('error', `Could not open the workflow: ${(e as Error).message}`);
      }
    });

  const openExample = (example: WorkflowExample) =>
    guardUnsaved('Opening an example', () => {
      if (openPayload(structuredClone(example.payload), { title: example.title, description: example.description })) setDialog(null);
    });

  const save = async (name = doc.info.title, description = doc.info.description) => {
    try {
      const id = await saveReplacing(api, doc.info.savedId, name, description, doc.payload());
      doc.markSaved(id, name, description);
      setDialog(null);
      toasts.show('success', `Saved “${name}”.`);
    } catch (e) {
      toasts.show('error', `Save failed: ${(e as Error).message}`);
    }
  };

  const requestSave = () => {
    if (doc.info.savedId) void save();
    else setDialog('save');
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = ''; // the same file can be imported again
    if (!file) return;
    try {
      const parsed = parseWorkflowFile(await file.text());
      const title = parsed.name ?? file.name.replace(/\.json$/i, '');
      if (openPayload(parsed.payload, { title, description: parsed.description ?? '' })) {
        toasts.show('success', `Imported ${parsed.payload.nodes.length} nodes from ${file.name}.`);
      }
    } catch (err) {
      toasts.show('error', `Import failed: ${(err as Error).message}`);
    }
  };

  const exportFile = () => {
    downloadJson(exportFileName(doc.info.title), doc.payload());
    toasts.show('info', `Exported ${exportFileName(doc.info.title)}.`);
  };

  const copyText = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      toasts.show('success', 'Payload copied to the clipboard.');
    } catch {
      toasts.show('error', 'The browser refused clipboard access.');
    }
  };

  const startRun = async () => {
    if (run.busy) return;
    setPanelOpen(true);
    const payload: WorkflowPayload = doc.payload();
    await run.run(payload);
  };

  const startValidate = async () => {
    if (run.busy) return;
    setPanelOpen(true);
    await run.validate(doc.payload());
  };

  useShortcuts(
    {
      save: requestSave,
      run: () => void startRun(),
      undo: doc.undo,
      redo: doc.redo,
      deleteSelection: commands.deleteSelection,
      copy: commands.copySelection,
      paste: commands.paste,
      duplicate: commands.duplicateSelection,
      selectAll: commands.selectAll,
      layout: commands.layout,
      fitView: commands.fitView,
      help: () => setDialog('help'),
      escape: commands.clearSelection,
    },
    dialog !== null || confirm !== null,
  );

  const selectedNode = selection.nodeIds.length === 1 ? doc.nodes.find((n) => n.id === selection.nodeIds[0]) : undefined;

  const onSelectionChange = useCallback((nodeIds: string[], edgeIds: string[]) => {
    setSelection((s) => (s.nodeIds.join() === nodeIds.join() && s.edgeIds.join() === edgeIds.join() ? s : { nodeIds, edgeIds }));
    if (nodeIds.length > 0) setConfigOpen(true);
  }, []);

  const onDropNodeType = useCallback((type: string, at: { x: number; y: number }) => commands.addNodeOfType(type, at), [commands]);

  const highlighted = useMemo(() => run.state.highlighted, [run.state.highlighted]);

  return (
    <div className="app">
      <WorkflowBar
        title={doc.info.title}
        savedId={doc.info.savedId}
        dirty={doc.dirty}
        canUndo={doc.canUndo}
        canRedo={doc.canRedo}
        busy={run.busy}
        theme={theme}
        onNew={newWorkflow}
        onOpen={() => setDialog('open')}
        onSave={requestSave}
        onImport={() => guardUnsaved('Importing a file', () => fileInput.current?.click())}
        onExport={exportFile}
        onShowJson={() => setDialog('json')}
        onExamples={() => setDialog('examples')}
        onUndo={doc.undo}
        onRedo={doc.redo}
        onLayout={commands.layout}
        onFitView={commands.fitView}
        onValidate={() => void startValidate()}
        onRun={() => void startRun()}
        onCancel={run.cancel}
        onToggleTheme={toggleTheme}
        onHelp={() => setDialog('help')}
        onRename={(title) => doc.setInfo({ title })}
      />
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        className="visually-hidden"
        aria-label="Workflow file to import"
        data-testid="import-file-input"
        tabIndex={-1}
        onChange={(e) => void importFile(e)}
      />
      <main className="main">
        {paletteOpen ? (
          <Palette
            catalogue={catalogue}
            status={catalogueStatus}
            error={catalogueError}
            onRetry={reload}
            onAdd={(type) => commands.addNodeOfType(type)}
            onClose={() => setPaletteOpen(false)}
          />
        ) : (
          <button type="button" className="button show-palette" onClick={() => setPaletteOpen(true)} aria-label="Show node palette" data-testid="show-palette">
            <Icon name="panel" /> Nodes
          </button>
        )}
        <div className="canvas-column">
          {catalogueStatus === 'error' && (
            <div className="banner" role="alert">
              The node catalogue could not be loaded ({catalogueError}); nodes are shown with their raw data.
              <button type="button" className="button" onClick={reload} aria-label="Retry loading the node catalogue">
                Retry
              </button>
            </div>
          )}
          <WorkflowCanvas
            nodes={doc.nodes}
            edges={doc.edges}
            catalogue={catalogue}
            theme={theme}
            nodeInfo={run.state.nodeInfo}
            highlighted={highlighted}
            onNodesChange={doc.onNodesChange}
            onEdgesChange={doc.onEdgesChange}
            onConnect={commands.connect}
            onGestureStart={doc.beginGesture}
            onNodeDragStop={commands.dragStopped}
            onDropNodeType={onDropNodeType}
            onSelectionChange={onSelectionChange}
          />
          {panelOpen ? (
            <ExecutionPanel
              state={run.state}
              nodes={doc.nodes}
              catalogue={catalogue}
              height={panelHeight}
              onHeightChange={setPanelHeight}
              onClose={() => setPanelOpen(false)}
              onCancel={run.cancel}
              onShowNode={commands.showNode}
            />
          ) : (
            <StatusBar
              nodeCount={doc.nodes.length}
              edgeCount={doc.edges.length}
              selectedCount={selection.nodeIds.length}
              phase={run.state.phase}
              onOpenPanel={() => setPanelOpen(true)}
            />
          )}
        </div>
        {configOpen && (
          <ConfigPanel
            node={selectedNode}
            selectedCount={selection.nodeIds.length}
            catalogue={catalogue}
            runInfo={selectedNode ? run.state.nodeInfo[selectedNode.id] : undefined}
            onSetValue={commands.setValue}
            onReplaceConfig={commands.replaceConfig}
            onSwitchCases={commands.setSwitchCases}
            onFieldBlur={doc.breakCoalescing}
            onDuplicate={commands.duplicateSelection}
            onDelete={commands.deleteSelection}
            onClose={() => setConfigOpen(false)}
          />
        )}
      </main>
      {dialog === 'open' && (
        <OpenWorkflowDialog
          api={api}
          currentId={doc.info.savedId}
          onOpen={openStored}
          onRenamed={(oldId, newId, name) => {
            if (doc.info.savedId === oldId) doc.setInfo({ savedId: newId, title: name }, { markDirty: false });
            toasts.show('success', `Renamed to “${name}”.`);
          }}
          onDeleted={(id) => {
            if (doc.info.savedId === id) doc.setInfo({ savedId: undefined });
            toasts.show('info', 'Deleted the saved workflow.');
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'save' && (
        <SaveDialog initialName={doc.info.title} initialDescription={doc.info.description} onSave={(name, description) => void save(name, description)} onClose={() => setDialog(null)} />
      )}
      {dialog === 'examples' && <ExamplesDialog onPick={openExample} onClose={() => setDialog(null)} />}
      {dialog === 'json' && <JsonDialog payload={doc.payload()} onCopy={(t) => void copyText(t)} onExport={exportFile} onClose={() => setDialog(null)} />}
      {dialog === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
      {confirm && (
        <ConfirmDialog
          title={confirm.title}
          message={confirm.message}
          confirmLabel={confirm.confirmLabel}
          danger={confirm.danger}
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            const action = confirm.action;
            setConfirm(null);
            action();
          }}
        />
      )}
    </div>
  );
}
