import { Handle, NodeResizer, Position, useStore, type NodeProps, type ReactFlowState } from '@xyflow/react';
import { memo, useState } from 'react';
import { defaultIteration, infoInIteration, type ScopeIterations } from '../../editor/iterations';
import { hasOrderedInputs, inputHandleId, inputSlot, inputsReceived, numberedInputCount } from '../../graph/inputOrder';
import { acceptsInputs } from '../../catalogue/catalogue';
import { validateNodeData } from '../../catalogue/fieldValues';
import { outputHandlesFor, type OutputHandle } from '../../catalogue/handles';
import type { NodeSpec } from '../../catalogue/types';
import type { NodeRunInfo } from '../../editor/useWorkflowRun';
import { stillApplies } from '../../editor/useWorkflowCheck';
import { effectiveType, isTypeInferred, nodeTitle, type WorkflowNode } from '../../graph/model';
import { formatCompact, formatPretty, summariseValue } from '../format';
import { Icon } from '../Icon';
import { PinnedOutput } from '../../testing/PinsContext';
import { FAR_ZOOM, useCanvasValue, useCanvasValues } from './CanvasContext';

const handleKey = (id: string | null) => id ?? 'out';
const NO_INPUTS: readonly never[] = [];
const isFar = (s: ReactFlowState) => s.transform[2] < FAR_ZOOM;
const NO_PROBLEMS: readonly never[] = [];

/** The catalogue's handles plus any that edges reference but the catalogue does not declare. */
function handlesFor(spec: NodeSpec | undefined, config: Record<string, unknown>, referenced?: { sources: Set<string | null>; targets: Set<string | null> }) {
  const outputs: (OutputHandle & { extra?: boolean })[] = outputHandlesFor(spec, config);
  const declared = new Set(outputs.map((h) => h.id));
  const extraOutputs: (OutputHandle & { extra: boolean })[] = [];
  for (const id of referenced?.sources ?? []) {
    if (!declared.has(id)) extraOutputs.push({ id, label: id ?? 'any', extra: true });
  }
  const hasInput = acceptsInputs(spec) || (referenced?.targets.size ?? 0) > 0;
  const extraTargets = [...(referenced?.targets ?? [])].filter((id): id is string => id !== null);
  // React Flow attaches edges without a handle id to the first handle in the DOM, so an
  // unnamed extra output goes first.
  return { outputs: [...extraOutputs.filter((h) => h.id === null), ...outputs, ...extraOutputs.filter((h) => h.id !== null)], hasInput, extraTargets };
}

function SourceHandles({ nodeId, outputs }: { nodeId: string; outputs: (OutputHandle & { extra?: boolean })[] }) {
  const handle = (h: OutputHandle & { extra?: boolean }) => (
    <Handle
      type="source"
      position={Position.Right}
      id={h.id ?? undefined}
      className={`handle handle-source${h.id === 'false' ? ' handle-false' : ''}${h.id === 'true' ? ' handle-true' : ''}${h.extra ? ' handle-extra' : ''}`}
      data-testid={`handle-source-${nodeId}-${handleKey(h.id)}`}
      aria-label={`Output ${h.label} of ${nodeId}`}
      title={h.extra ? `${h.label} (not declared by this node type)` : h.label}
    />
  );
  const named = outputs.length > 1 || outputs.some((h) => h.id !== null);
  if (!named) return outputs.length === 1 ? handle(outputs[0]) : null;
  // Named outputs get a labelled row each; the handle sits at the row's right edge, so a
  // switch with many cases grows instead of stacking handles on top of each other.
  return (
    <ul className="node-outputs" aria-label="Outputs">
      {outputs.map((h) => (
        <li key={handleKey(h.id)} className={`node-output${h.extra ? ' is-extra' : ''}`}>
          <span className="node-output-label">{h.label}</span>
          {handle(h)}
        </li>
      ))}
    </ul>
  );
}

function TargetHandles({ nodeId, extraTargets, numbered }: { nodeId: string; extraTargets: string[]; numbered: number }) {
  // Numbered inputs replace the plain handle: edges without a handle attach to the first one.
  const slots = Array.from({ length: numbered }, (_, i) => inputHandleId(i + 1));
  const all: (string | null)[] = numbered > 0 ? [...slots, ...extraTargets.filter((t) => !slots.includes(t))] : [null, ...extraTargets];
  return (
    <>
      {all.map((id, i) => {
        const slot = inputSlot(id);
        return (
          <Handle
            key={id ?? 'in'}
            type="target"
            position={Position.Left}
            id={id ?? undefined}
            style={all.length > 1 ? { top: `${((i + 1) / (all.length + 1)) * 100}%` } : undefined}
            className={`handle handle-target${slot !== undefined && slot <= numbered ? ' handle-numbered' : id ? ' handle-extra' : ''}`}
            data-testid={`handle-target-${nodeId}${id ? `-${id}` : ''}`}
            aria-label={`Input${slot !== undefined ? ` ${slot}` : id ? ` ${id}` : ''} of ${nodeId}`}
            title={slot !== undefined ? `Input ${slot}` : undefined}
          >
            {slot !== undefined && slot <= numbered && <span className="handle-number">{slot}</span>}
          </Handle>
        );
      })}
    </>
  );
}

/** The node's inputs in the order it receives them, reorderable, with how many it needs. */
function InputList({ nodeId, spec, insideScope }: { nodeId: string; spec: NodeSpec; insideScope: boolean }) {
  const wired = useCanvasValue((v) => v.inputs.get(nodeId)) ?? NO_INPUTS;
  const onMoveInput = useCanvasValue((v) => v.onMoveInput);
  const ordered = hasOrderedInputs(spec);
  const needs = spec.min_inputs;
  const received = inputsReceived(wired.length, insideScope);
  if (!ordered && (needs === 0 || received >= needs)) return null;
  const numbered = numberedInputCount(spec) > 0;
  return (
    <div className="node-inputs" data-testid={`node-inputs-${nodeId}`}>
      {received < needs && (
        <div className="node-inputs-needed" data-testid={`node-inputs-needed-${nodeId}`}>
          needs {spec.max_inputs === needs ? '' : 'at least '}
          {needs} input{needs === 1 ? '' : 's'} · has {received}
        </div>
      )}
      {ordered && wired.length > 0 && (
        <ol className="node-input-list" aria-label="Inputs in order">
          {wired.map((input, i) => (
            <li key={input.edgeId} data-testid={`node-input-${nodeId}-${i + 1}`}>
              <span className="node-input-number">{numbered ? (inputSlot(input.targetHandle) ?? i + 1) : i + 1}</span>
              <span className="node-input-source" title={input.source}>
                {input.sourceTitle}
              </span>
              {onMoveInput && wired.length > 1 && (
                <span className="node-input-move nodrag">
                  <button type="button" aria-label={`Move input ${i + 1} up`} disabled={i === 0} onClick={() => onMoveInput(nodeId, input.edgeId, -1)}>
                    ↑
                  </button>
                  <button type="button" aria-label={`Move input ${i + 1} down`} disabled={i === wired.length - 1} onClick={() => onMoveInput(nodeId, input.edgeId, 1)}>
                    ↓
                  </button>
                </span>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function RunBadge({ nodeId, info, stale }: { nodeId: string; info: NodeRunInfo | undefined; stale: boolean }) {
  const [expanded, setExpanded] = useState(false);
  if (!info) return null;
  const full = info.status === 'succeeded' ? formatPretty(info.result) : '';
  const compact = info.status === 'succeeded' ? formatCompact(info.result, 60) : '';
  const cut = full.length > 60 || full.includes('\n');
  return (
    <div className={`node-run node-run-${info.status}${stale ? ' is-stale' : ''}`} data-testid={`node-run-${nodeId}`} data-stale={stale ? 'true' : 'false'}>
      <span className="node-run-status" data-testid={`node-status-${nodeId}`}>
        {info.status === 'succeeded' ? 'ok' : info.status}
      </span>
      {stale && (
        <span className="node-run-stale" data-testid={`node-stale-${nodeId}`} title="Changed since this run (or something upstream did): run again to update">
          stale
        </span>
      )}
      {info.status === 'succeeded' && !expanded && (
        <output className="node-result" data-testid={`node-result-${nodeId}`} title={formatCompact(info.result, 2000)}>
          {compact}
        </output>
      )}
      {info.status === 'succeeded' && cut && (
        <button type="button" className="node-result-toggle nodrag" aria-expanded={expanded} data-testid={`node-result-toggle-${nodeId}`} onClick={() => setExpanded((x) => !x)}>
          {expanded ? 'less' : 'more'}
        </button>
      )}
      {info.status === 'succeeded' && expanded && (
        <pre className="node-result-full nodrag nowheel" data-testid={`node-result-full-${nodeId}`}>
          {full.length > 20_000 ? `${full.slice(0, 20_000)}…` : full}
        </pre>
      )}
      {(info.status === 'failed' || info.status === 'invalid') && info.message && (
        <span className="node-error" data-testid={`node-error-${nodeId}`} title={info.message}>
          {info.message}
        </span>
      )}
    </div>
  );
}

/** First/previous/next/last, the chosen index, and a jump to the first failed iteration. */
function IterationPicker({ scopeId, iterations }: { scopeId: string; iterations: ScopeIterations }) {
  const chosen = useCanvasValue((v) => v.chosenIteration.get(scopeId));
  const onChooseIteration = useCanvasValue((v) => v.onChooseIteration);
  const current = chosen ?? defaultIteration(iterations);
  const last = iterations.count - 1;
  const go = (i: number) => onChooseIteration?.(scopeId, Math.min(Math.max(i, 0), last));
  const nextFailed = iterations.failed.find((f) => f > current) ?? iterations.failed[0];
  return (
    <div className="iteration-picker nodrag" data-testid={`iteration-picker-${scopeId}`} aria-label="Iteration shown by the nodes inside">
      <span className="iteration-summary" data-testid={`iteration-summary-${scopeId}`}>
        {iterations.count} iteration{iterations.count === 1 ? '' : 's'}
        {iterations.failed.length > 0 ? ` · ${iterations.failed.length} failed` : ''}
      </span>
      <button type="button" aria-label="First iteration" disabled={current === 0} onClick={() => go(0)}>
        <EdgeArrow toEnd={false} />
      </button>
      <button type="button" aria-label="Previous iteration" disabled={current === 0} onClick={() => go(current - 1)}>◀</button>
      <input
        className="iteration-index"
        type="number"
        min={0}
        max={last}
        value={current}
        aria-label="Iteration index (0-based)"
        data-testid={`iteration-index-${scopeId}`}
        onChange={(e) => Number.isFinite(e.target.valueAsNumber) && go(Math.trunc(e.target.valueAsNumber))}
      />
      <button type="button" aria-label="Next iteration" disabled={current >= last} onClick={() => go(current + 1)}>▶</button>
      <button type="button" aria-label="Last iteration" disabled={current >= last} onClick={() => go(last)}>
        <EdgeArrow toEnd />
      </button>
      {nextFailed !== undefined && (
        <button type="button" className="iteration-failed" data-testid={`iteration-failed-${scopeId}`} onClick={() => go(nextFailed)} title="Show the next failed iteration">
          failed #{nextFailed}
        </button>
      )}
    </div>
  );
}

function ProblemLine({ nodeId, problems }: { nodeId: string; problems: string[] }) {
  return (
    <div className="node-check" data-testid={`node-check-${nodeId}`} title={problems.join('\n')}>
      {problems[0]}
      {problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}
    </div>
  );
}

function FieldSummary({ spec, config }: { spec: NodeSpec; config: Record<string, unknown> }) {
  const shown = spec.fields.filter((f) => config[f.name] !== undefined && f.name !== 'cases').slice(0, 3);
  if (shown.length === 0) return null;
  return (
    <dl className="node-fields">
      {shown.map((f) => (
        <div key={f.name} className="node-field">
          <dt>{f.label}</dt>
          <dd className={f.type === 'expression' ? 'mono' : undefined}>{summariseValue(config[f.name])}</dd>
        </div>
      ))}
    </dl>
  );
}

function RawData({ config }: { config: Record<string, unknown> }) {
  const text = JSON.stringify(config, null, 1);
  return <pre className="node-raw">{text.length > 240 ? `${text.slice(0, 239)}…` : text}</pre>;
}

/** One workflow node: a card, or a resizable scope box for loop bodies and protected regions. */
export const WorkflowNodeView = memo(function WorkflowNodeView({ id, data, selected, parentId }: NodeProps<WorkflowNode>) {
  const type = effectiveType(data);
  // One subscription for everything the card reads from the canvas's shared state.
  const [catalogue, referenced, isHighlighted, children, onResizeStart, problemsFromCheck, isStale, info, scopeIterations] = useCanvasValues(
    (v) =>
      [
        v.catalogue,
        v.referencedHandles.get(id),
        v.highlighted.has(id),
        v.childCount.get(id) ?? 0,
        v.onResizeStart,
        v.problems.get(id),
        v.stale.has(id),
        // A body node shows its result in the iteration its scope box has chosen.
        infoInIteration(id, parentId, v.iterations, v.chosenIteration, v.nodeInfo[id]),
        v.catalogue.byType.get(type)?.scope ? v.iterations.get(id) : undefined,
      ] as const,
  );
  const checked = problemsFromCheck ?? NO_PROBLEMS;
  const far = useStore(isFar);
  const spec = catalogue.byType.get(type);
  const { outputs, hasInput, extraTargets } = handlesFor(spec, data.config, referenced);
  // The input count is shown live on the card; the server's word on it may lag a wire behind.
  // A field's mark goes as soon as the field changes; the next check says whether the new value is right.
  const serverProblems = checked
    .filter((p) => stillApplies(p, data.config))
    .filter((p) => p.field || !/^needs (at least )?\d+ inputs?, has \d+$/.test(p.message))
    .map((p) => (p.field ? `${p.field}: ${p.message}` : p.message));
  const localProblems = spec ? Object.values(validateNodeData(spec, data.config)) : [];
  // The server's messages first; a local one only when the server has not said the same.
  const problems = [...serverProblems, ...localProblems.filter((l) => !serverProblems.some((p) => p.includes(l.replace(/\.$/, ''))))];
  const title = nodeTitle(data, spec?.label);
  const categoryIndex = spec ? Math.max(0, catalogue.categories.indexOf(spec.category)) : -1;
  const classes = [
    spec?.scope ? 'scope-box' : 'node-card',
    selected ? 'is-selected' : '',
    isHighlighted ? 'is-highlighted' : '',
    info ? `run-${info.status}` : '',
    spec ? '' : 'is-unknown',
    problems.length > 0 ? 'has-problems' : '',
    isStale ? 'is-stale' : '',
  ].join(' ');

  // Zoomed far out (and not a selected card or a box) nothing inside a card is legible: it is drawn
  // as an outline with what edges attach to, its title a tooltip. A big graph opens at this zoom, so
  // its cards are created in this form.
  const cheap = far && !spec?.scope && !selected;
  const header = (
    <header className="node-header">
      <span className="node-title" data-testid={`node-title-${id}`} title={title}>
        {title}
      </span>
      <span className="node-type" title={isTypeInferred(data) ? 'Type inferred from the data' : 'Node type'}>
        {type || 'no type'}
        {isTypeInferred(data) && type ? ' (inferred)' : ''}
      </span>
      {problems.length > 0 && (
        <span className="node-warning" title={problems.join('\n')} aria-label={`${problems.length} configuration problem(s)`} data-testid={`node-problems-${id}`}>
          <Icon name="warning" size={14} />
        </span>
      )}
    </header>
  );

  return (
    <div
      className={classes}
      data-testid={`node-${id}`}
      data-node-type={type}
      data-status={info?.status ?? 'idle'}
      data-problems={problems.length}
      data-highlighted={isHighlighted ? 'true' : 'false'}
      style={{ ['--category-hue' as string]: categoryIndex < 0 ? undefined : `${(categoryIndex * 47) % 360}` }}
      aria-label={`${title} (${type || 'untyped'} node ${id})`}
      title={cheap ? title : undefined}
    >
      {spec?.scope && (
        <NodeResizer minWidth={220} minHeight={140} isVisible={!!selected} onResizeStart={onResizeStart} lineClassName="scope-resize-line" handleClassName="scope-resize-handle" />
      )}
      {hasInput && <TargetHandles nodeId={id} extraTargets={extraTargets} numbered={numberedInputCount(spec)} />}
      {!cheap && header}
      {cheap ? (
        <SourceHandles nodeId={id} outputs={outputs} />
      ) : spec?.scope ? (
        <>
          <div className="scope-summary">
            id: {id}
            {spec.fields
              .filter((f) => data.config[f.name] !== undefined)
              .map((f) => ` · ${f.label}: ${summariseValue(data.config[f.name], 20)}`)
              .join('')}
          </div>
          <SourceHandles nodeId={id} outputs={outputs} />
          {scopeIterations && <IterationPicker scopeId={id} iterations={scopeIterations} />}
          {children === 0 && <div className="scope-hint">Drag nodes here to form the body</div>}
          {problems.length > 0 && <ProblemLine nodeId={id} problems={problems} />}
          <RunBadge nodeId={id} info={info} stale={isStale} />
        </>
      ) : (
        <div className="node-body">
          <div className="node-id">id: {id}</div>
          {spec ? <FieldSummary spec={spec} config={data.config} /> : <RawData config={data.config} />}
          {!spec && type && <div className="node-unknown-note">Not in the node catalogue</div>}
          {spec && <InputList nodeId={id} spec={spec} insideScope={parentId !== undefined} />}
          {problems.length > 0 && <ProblemLine nodeId={id} problems={problems} />}
          <SourceHandles nodeId={id} outputs={outputs} />
          <PinnedOutput nodeId={id} />
          <RunBadge nodeId={id} info={info} stale={isStale} />
        </div>
      )}
    </div>
  );
}, sameCard);

/**
 * The card draws only from these props (and the canvas store): a change of size, position or
 * stacking order alone (every measurement and every drag frame) does not redraw it.
 */
function sameCard(a: NodeProps<WorkflowNode>, b: NodeProps<WorkflowNode>): boolean {
  return a.id === b.id && a.data === b.data && a.selected === b.selected && a.parentId === b.parentId && a.type === b.type;
}

/** "To the first" / "to the last" as an SVG (bar and triangle): the ⏮/⏭ characters are missing from common fonts. */
function EdgeArrow({ toEnd }: { toEnd: boolean }) {
  return (
    <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" focusable="false" style={toEnd ? undefined : { transform: 'scaleX(-1)' }}>
      <path d="M1 1 L7 5 L1 9 Z" fill="currentColor" />
      <rect x="7.5" y="1" width="1.5" height="8" fill="currentColor" />
    </svg>
  );
}
