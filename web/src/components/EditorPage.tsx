import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '../api/client';
import { useCatalogue } from '../catalogue/CatalogueContext';
import { useDocumentCommands } from '../editor/useDocumentCommands';
import { useGraphCommands } from '../editor/useGraphCommands';
import { useShortcuts } from '../editor/useShortcuts';
import { useWorkflowDocument } from '../editor/useWorkflowDocument';
import { useWorkflowRun } from '../editor/useWorkflowRun';
import { useTheme } from '../theme/useTheme';
import { useWorkflowCheck } from '../editor/useWorkflowCheck';
import { infoInIteration, type ScopeIterations } from '../editor/iterations';
import { nodeSignatures, staleNodes } from '../editor/staleness';
import { useExpressionCatalogue } from '../expressions/useExpressionCatalogue';
import { boundNames } from '../expressions/bindings';
import { ancestorsOf, subgraphUpTo } from '../graph/ancestors';
import { moveInput, numberedInputCount, orderedInputEdges } from '../graph/inputOrder';
import { effectiveType, nodeTitle, type WorkflowNode } from '../graph/model';
import type { FieldSpec } from '../catalogue/types';
import type { ExpressionHelp } from './config/FieldEditor';
import { CanvasMenu, type MenuAction, type MenuState } from './canvas/CanvasMenu';
import { inputHandleId } from '../graph/inputOrder';
import { WorkflowCanvas } from './canvas/WorkflowCanvas';
import { ConfigPanel } from './config/ConfigPanel';
import { ExamplesDialog } from './dialogs/ExamplesDialog';
import { HelpDialog } from './dialogs/HelpDialog';
import { JsonDialog } from './dialogs/JsonDialog';
import { HistoryDialog } from './dialogs/HistoryDialog';
import { OpenWorkflowDialog } from './dialogs/OpenWorkflowDialog';
import { hashForWorkflow, workflowIdFromHash } from '../api/workflowStore';
import { SaveDialog } from './dialogs/SaveDialog';
import { Icon } from './Icon';
import { ConfirmDialog } from './Modal';
import { Palette } from './Palette';
import { ExecutionPanel, PANEL_MIN_HEIGHT } from './panels/ExecutionPanel';
import { StatusBar } from './panels/StatusBar';
import { useToasts } from './Toasts';
import { WorkflowBar } from './WorkflowBar';
import { usePins } from '../testing/usePins';
import { PinsContext } from '../testing/PinsContext';
import { PinOutputDialog } from '../testing/PinOutputDialog';
import { SaveAsTestButton } from '../testing/SaveAsTestButton';

const NO_ITERATIONS = new Map<string, ScopeIterations>();

type DialogName = 'open' | 'save' | 'examples' | 'json' | 'help' | 'history' | null;


const PANEL_HEIGHT_KEY = 'thaiyyal.panelHeight';

function initialPanelHeight(): number {
  const stored = Number(localStorage.getItem(PANEL_HEIGHT_KEY));
  return Number.isFinite(stored) && stored >= PANEL_MIN_HEIGHT ? stored : 260;
}

/** The editor: palette, canvas, configuration panel, execution panel and every command. */
export function EditorPage({ api }: { api: ApiClient }) {
  const { catalogue, status: catalogueStatus, error: catalogueError, reload } = useCatalogue();
  const doc = useWorkflowDocument();
  const run = useWorkflowRun(api);
  const pins = usePins();
  const [pinTarget, setPinTarget] = useState<string | null>(null);
  // A run opened from the history: what it ran and when, for "save as test" (live runs use the pins' record).
  const [recordedRun, setRecordedRun] = useState<{ payload: ReturnType<typeof doc.payload>; startedAt: Date } | undefined>();
  const toasts = useToasts();
  const { theme, toggle: toggleTheme } = useTheme();
  const commands = useGraphCommands(doc, catalogue, toasts.show);
  const check = useWorkflowCheck(api, doc.nodes, doc.edges);
  const expressionCatalogue = useExpressionCatalogue(api);
  // What each node looked like when the shown results were produced, to mark them stale after edits.
  const [ranSignatures, setRanSignatures] = useState<Map<string, string> | undefined>();
  // The same set while its members stay the same: a new one re-renders every card (and nodes change
  // on every measurement and move).
  const staleRef = useRef<Set<string>>(new Set());
  const stale = useMemo(() => {
    const next = staleNodes(ranSignatures, doc.nodes, doc.edges);
    const previous = staleRef.current;
    if (next.size === previous.size && [...next].every((id) => previous.has(id))) return previous;
    return (staleRef.current = next);
  }, [ranSignatures, doc.nodes, doc.edges]);
  const latestDoc = useRef(doc);
  latestDoc.current = doc;
  const latestExpressions = useRef(expressionCatalogue);
  latestExpressions.current = expressionCatalogue;

  const [paletteOpen, setPaletteOpen] = useState(true);
  const [configOpen, setConfigOpen] = useState(true);
  const [panelOpen, setPanelOpen] = useState(false);
  const [panelHeight, setPanelHeight] = useState(initialPanelHeight);
  const [dialog, setDialog] = useState<DialogName>(null);
  const [selection, setSelection] = useState<{ nodeIds: string[]; edgeIds: string[] }>({ nodeIds: [], edgeIds: [] });
  const fileInput = useRef<HTMLInputElement>(null);

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

  const files = useDocumentCommands({
    api,
    doc,
    run,
    catalogue,
    layoutGraph: commands.layoutGraph,
    prepareView: commands.prepareView,
    onReplaced: pins.clear,
    notify: toasts.show,
    closeDialog: () => setDialog(null),
    openSaveDialog: () => setDialog('save'),
    pickImportFile: () => fileInput.current?.click(),
  });
  const { confirm, setConfirm, fitRequest } = files;

  // Fit the view once a newly opened workflow has been drawn and measured. Keyed on a
  // request counter, not on the nodes, because measuring them changes the nodes again.
  const fitViewRef = useRef(commands.fitView);
  fitViewRef.current = commands.fitView;
  useEffect(() => {
    if (fitRequest === 0) return;
    const timer = window.setTimeout(() => fitViewRef.current(), 120);
    return () => window.clearTimeout(timer);
  }, [fitRequest]);

  const startRun = async () => {
    if (run.busy) return;
    setPanelOpen(true);
    setRanSignatures(nodeSignatures(doc.nodes, doc.edges));
    setRecordedRun(undefined);
    // A saved workflow without edits or pins runs as itself, so the run is in its history with its version.
    const asStored = doc.info.savedId && !doc.dirty && Object.keys(pins.pins).length === 0 ? doc.info.savedId : undefined;
    await run.run(pins.prepareRun(doc.payload()), { storedId: asStored, version: doc.info.version });
  };

  // Every stored workflow has a URL (#/workflows/{id}): the address follows the open workflow, and opening
  // the page (or pasting an address) at one opens it.
  const openStoredRef = useRef(files.openStored);
  openStoredRef.current = files.openStored;
  const shownId = useRef<string | undefined>(undefined);
  useEffect(() => {
    const previous = shownId.current;
    shownId.current = doc.info.savedId;
    // Until a stored workflow is shown, the address is left alone (it may name the one about to open).
    if (doc.info.savedId === undefined && previous === undefined) return;
    const target = doc.info.savedId ? hashForWorkflow(doc.info.savedId) : '';
    if (window.location.hash === target) return;
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${target}`);
  }, [doc.info.savedId]);
  useEffect(() => {
    if (catalogueStatus !== 'ready') return; // nodes are drawn from the catalogue
    const openFromHash = () => {
      const id = workflowIdFromHash(window.location.hash);
      if (id && id !== latestDoc.current.info.savedId) openStoredRef.current(id);
    };
    openFromHash();
    window.addEventListener('hashchange', openFromHash);
    return () => window.removeEventListener('hashchange', openFromHash);
  }, [catalogueStatus]);

  /** Runs the node and everything it depends on (the rest of the workflow is left out). */
  const runToHere = async (nodeId: string) => {
    if (run.busy) return;
    const part = subgraphUpTo(nodeId, doc.nodes, doc.edges);
    const keep = new Set(part.nodes.map((n) => n.id));
    const payload = doc.payload();
    payload.nodes = payload.nodes.filter((n) => keep.has(n.id));
    payload.edges = payload.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
    setPanelOpen(true);
    setRanSignatures(nodeSignatures(part.nodes, part.edges));
    setRecordedRun(undefined);
    await run.run(pins.prepareRun(payload));
  };

  const expressionHelp = useCallback(
    (node: WorkflowNode, _field: FieldSpec): ExpressionHelp => ({
      scope: () => {
        const { nodes, edges } = latestDoc.current;
        const upstream = ancestorsOf(node.id, nodes, edges);
        const variables = new Set<string>();
        for (const n of nodes) {
          const name = n.data.config.var_name;
          if (effectiveType(n.data) === 'variable' && typeof name === 'string' && name !== '') variables.add(name);
        }
        return {
          functions: latestExpressions.current.functions,
          methods: latestExpressions.current.methods,
          upstream: nodes.filter((n) => upstream.has(n.id)).map((n) => ({ id: n.id, title: nodeTitle(n.data, catalogue.byType.get(effectiveType(n.data))?.label) })),
          bound: boundNames(effectiveType(node.data)),
          variables: [...variables],
        };
      },
      check: api.checkExpression
        ? async (text) => {
            const r = await api.checkExpression!(text);
            return r.valid ? undefined : { message: r.error ?? 'invalid expression', column: r.column };
          }
        : undefined,
    }),
    [api, catalogue],
  );

  const moveNodeInput = useCallback(
    (nodeId: string, edgeId: string, delta: -1 | 1) => {
      const node = latestDoc.current.nodes.find((n) => n.id === nodeId);
      const numbered = numberedInputCount(node ? catalogue.byType.get(effectiveType(node.data)) : undefined) > 0;
      latestDoc.current.change((g) => moveInput(g, nodeId, edgeId, delta, numbered));
    },
    [catalogue],
  );

  // The iteration each scope box shows; a new run starts from each scope's default again.
  const [chosenIteration, setChosenIteration] = useState<Map<string, number>>(new Map());
  useEffect(() => setChosenIteration(new Map()), [run.state.iterations]);
  const chooseIteration = useCallback((scopeId: string, i: number) => setChosenIteration((m) => new Map(m).set(scopeId, i)), []);
  const iterations = run.state.iterations ?? NO_ITERATIONS;

  const [menu, setMenu] = useState<MenuState | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);

  const menuActions = (m: MenuState): MenuAction[] => {
    if (m.kind === 'node') {
      const focus = () => commands.selectOnly(m.nodeId);
      return [
        { label: 'Run to here', testId: 'run-to-here', run: () => void runToHere(m.nodeId), disabled: run.busy },
        { label: m.nodeId in pins.pins ? 'Edit pinned output…' : 'Pin output…', testId: 'pin-output', run: () => setPinTarget(m.nodeId) },
        { label: 'Copy', testId: 'copy', run: () => { focus(); window.setTimeout(commands.copySelection, 0); } },
        { label: 'Duplicate', testId: 'duplicate', run: () => { focus(); window.setTimeout(commands.duplicateSelection, 0); } },
        { label: 'Delete', testId: 'delete', run: () => commands.deleteNodes([m.nodeId]) },
      ];
    }
    return [
      { label: 'Add a node here…', testId: 'add-node', run: () => setMenu({ kind: 'add', x: m.x, y: m.y }) },
      { label: 'Paste', testId: 'paste', run: commands.paste },
      { label: 'Select all', testId: 'select-all', run: commands.selectAll },
      { label: 'Auto-layout', testId: 'layout', run: commands.layout },
      { label: 'Fit view', testId: 'fit-view', run: commands.fitView },
    ];
  };

  /** Adds a node where the menu was opened and, after a dropped wire, connects it. */
  const addFromMenu = (m: Extract<MenuState, { kind: 'add' }>, type: string) => {
    setMenu(null);
    const id = commands.addNodeOfType(type, { x: m.x, y: m.y });
    if (!id || !m.wire) return;
    const spec = catalogue.byType.get(type);
    if (m.wire.handleType === 'source') {
      commands.connect({ source: m.wire.nodeId, sourceHandle: m.wire.handleId, target: id, targetHandle: numberedInputCount(spec) > 0 ? inputHandleId(1) : null });
    } else {
      commands.connect({ source: id, sourceHandle: spec?.outputs[0]?.id ?? null, target: m.wire.nodeId, targetHandle: m.wire.handleId });
    }
  };

  const selectedRunInputs = (node: WorkflowNode | undefined) => {
    if (!node) return undefined;
    const results = run.state.nodeResults;
    return orderedInputEdges(doc.edges, node.id)
      .filter((e) => e.source in results)
      .map((e) => {
        const source = doc.nodes.find((n) => n.id === e.source);
        return { id: e.id, title: source ? nodeTitle(source.data, catalogue.byType.get(effectiveType(source.data))?.label) : e.source, value: results[e.source] };
      });
  };

  const startValidate = async () => {
    if (run.busy) return;
    setPanelOpen(true);
    await run.validate(doc.payload());
  };

  useShortcuts(
    {
      save: files.requestSave,
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
        onNew={files.newWorkflow}
        onOpen={() => setDialog('open')}
        onSave={files.requestSave}
        onImport={files.startImport}
        onExport={files.exportFile}
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
        onHistory={() => setDialog('history')}
        version={doc.info.version}
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
        onChange={(e) => void files.importFile(e)}
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
          <PinsContext.Provider value={pins.pins}>
          <WorkflowCanvas
            nodes={doc.nodes}
            edges={doc.edges}
            catalogue={catalogue}
            theme={theme}
            nodeInfo={run.state.nodeInfo}
            highlighted={run.state.highlighted}
            problems={check.byNode}
            stale={stale}
            onMoveInput={moveNodeInput}
            layoutPending={commands.layoutPending}
            iterations={iterations}
            chosenIteration={chosenIteration}
            onChooseIteration={chooseIteration}
            onNodeMenu={(nodeId, at) => setMenu({ kind: 'node', nodeId, ...at })}
            onCanvasMenu={(at) => setMenu({ kind: 'canvas', ...at })}
            onWireDropped={(wire, at) => setMenu({ kind: 'add', wire, ...at })}
            onNodesChange={doc.onNodesChange}
            onEdgesChange={doc.onEdgesChange}
            onConnect={commands.connect}
            onGestureStart={doc.beginGesture}
            onNodeDragStop={commands.dragStopped}
            onDropNodeType={onDropNodeType}
            onSelectionChange={onSelectionChange}
          />
          </PinsContext.Provider>
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
              actions={<SaveAsTestButton state={run.state} title={doc.info.title} lastSent={() => recordedRun ?? pins.lastSent()} onSaved={(name) => toasts.show('success', `Saved the run as ${name}.`)} />}
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
            runInfo={selectedNode ? infoInIteration(selectedNode.id, selectedNode.parentId, iterations, chosenIteration, run.state.nodeInfo[selectedNode.id]) : undefined}
            runInputs={selectedRunInputs(selectedNode)}
            stale={selectedNode ? stale.has(selectedNode.id) : false}
            problems={selectedNode ? check.byNode.get(selectedNode.id) : undefined}
            expressionHelp={expressionHelp}
            onRunToHere={(id) => void runToHere(id)}
            onSetValue={commands.setValue}
            onReplaceConfig={commands.replaceConfig}
            onChangeType={commands.changeType}
            onSwitchCases={commands.setSwitchCases}
            onFieldBlur={doc.breakCoalescing}
            onDuplicate={commands.duplicateSelection}
            onDelete={commands.deleteSelection}
            onClose={() => setConfigOpen(false)}
          />
        )}
      </main>
      {menu && (
        <CanvasMenu
          menu={menu}
          actions={menuActions(menu)}
          catalogue={catalogue}
          onAdd={(type) => menu.kind === 'add' && addFromMenu(menu, type)}
          onClose={closeMenu}
        />
      )}
      {dialog === 'open' && (
        <OpenWorkflowDialog
          api={api}
          currentId={doc.info.savedId}
          onOpen={files.openStored}
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
        <SaveDialog initialName={doc.info.title} initialDescription={doc.info.description} onSave={(name, description) => void files.save(name, description)} onClose={() => setDialog(null)} />
      )}
      {dialog === 'examples' && <ExamplesDialog onPick={files.openExample} onClose={() => setDialog(null)} />}
      {dialog === 'json' && <JsonDialog payload={doc.payload()} onCopy={(t) => void files.copyText(t)} onExport={files.exportFile} onClose={() => setDialog(null)} />}
      {dialog === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
      {dialog === 'history' && doc.info.savedId && (
        <HistoryDialog
          api={api}
          workflowId={doc.info.savedId}
          title={doc.info.title}
          currentVersion={doc.dirty ? undefined : doc.info.version}
          onOpenExecution={(execution) => {
            setDialog(null);
            setPanelOpen(true);
            setRanSignatures(nodeSignatures(doc.nodes, doc.edges));
            run.showRecorded(doc.payload(), execution);
            const started = new Date(execution.started_at ?? execution.created_at);
            setRecordedRun({ payload: doc.payload(), startedAt: Number.isNaN(started.getTime()) ? new Date() : started });
            if (execution.workflow_version && doc.info.version && execution.workflow_version !== doc.info.version) {
              toasts.show('info', `This run used version ${execution.workflow_version}; the canvas shows version ${doc.info.version}.`);
            }
          }}
          onOpenVersion={(version) => files.openStored(doc.info.savedId!, version)}
          onClose={() => setDialog(null)}
        />
      )}
      {pinTarget !== null && (
        <PinOutputDialog
          nodeTitle={(() => {
            const node = doc.nodes.find((n) => n.id === pinTarget);
            return node ? nodeTitle(node.data, catalogue.byType.get(effectiveType(node.data))?.label) : pinTarget;
          })()}
          initial={pinTarget in pins.pins ? pins.pins[pinTarget] : run.state.nodeResults[pinTarget]}
          pinned={pinTarget in pins.pins}
          onPin={(value) => {
            pins.pin(pinTarget, value);
            setPinTarget(null);
          }}
          onUnpin={() => {
            pins.unpin(pinTarget);
            setPinTarget(null);
          }}
          onClose={() => setPinTarget(null)}
        />
      )}
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
