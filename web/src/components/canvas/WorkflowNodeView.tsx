import { Handle, NodeResizer, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import { acceptsInputs } from '../../catalogue/catalogue';
import { validateNodeData } from '../../catalogue/fieldValues';
import { outputHandlesFor, type OutputHandle } from '../../catalogue/handles';
import type { NodeSpec } from '../../catalogue/types';
import type { NodeRunInfo } from '../../editor/useWorkflowRun';
import { effectiveType, isTypeInferred, nodeTitle, type WorkflowNode } from '../../graph/model';
import { formatCompact, summariseValue } from '../format';
import { Icon } from '../Icon';
import { useCanvasContext } from './CanvasContext';

const handleKey = (id: string | null) => id ?? 'out';

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

function TargetHandles({ nodeId, extraTargets }: { nodeId: string; extraTargets: string[] }) {
  const all: (string | null)[] = [null, ...extraTargets];
  return (
    <>
      {all.map((id, i) => (
        <Handle
          key={id ?? 'in'}
          type="target"
          position={Position.Left}
          id={id ?? undefined}
          style={all.length > 1 ? { top: `${((i + 1) / (all.length + 1)) * 100}%` } : undefined}
          className={`handle handle-target${id ? ' handle-extra' : ''}`}
          data-testid={`handle-target-${nodeId}${id ? `-${id}` : ''}`}
          aria-label={`Input${id ? ` ${id}` : ''} of ${nodeId}`}
        />
      ))}
    </>
  );
}

function RunBadge({ nodeId, info }: { nodeId: string; info: NodeRunInfo | undefined }) {
  if (!info) return null;
  return (
    <div className={`node-run node-run-${info.status}`} data-testid={`node-run-${nodeId}`}>
      <span className="node-run-status" data-testid={`node-status-${nodeId}`}>
        {info.status === 'succeeded' ? 'ok' : info.status}
      </span>
      {info.status === 'succeeded' && (
        <output className="node-result" data-testid={`node-result-${nodeId}`} title={formatCompact(info.result, 2000)}>
          {formatCompact(info.result, 60)}
        </output>
      )}
      {(info.status === 'failed' || info.status === 'invalid') && info.message && (
        <span className="node-error" data-testid={`node-error-${nodeId}`} title={info.message}>
          {info.message}
        </span>
      )}
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
export const WorkflowNodeView = memo(function WorkflowNodeView({ id, data, selected }: NodeProps<WorkflowNode>) {
  const { catalogue, nodeInfo, highlighted, referencedHandles, childCount, onResizeStart } = useCanvasContext();
  const type = effectiveType(data);
  const spec = catalogue.byType.get(type);
  const { outputs, hasInput, extraTargets } = handlesFor(spec, data.config, referencedHandles.get(id));
  const problems = spec ? Object.values(validateNodeData(spec, data.config)) : [];
  const info = nodeInfo[id];
  const title = nodeTitle(data, spec?.label);
  const categoryIndex = spec ? Math.max(0, catalogue.categories.indexOf(spec.category)) : -1;
  const classes = [
    spec?.scope ? 'scope-box' : 'node-card',
    selected ? 'is-selected' : '',
    highlighted.has(id) ? 'is-highlighted' : '',
    info ? `run-${info.status}` : '',
    spec ? '' : 'is-unknown',
  ].join(' ');

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
      data-highlighted={highlighted.has(id) ? 'true' : 'false'}
      style={{ ['--category-hue' as string]: categoryIndex < 0 ? undefined : `${(categoryIndex * 47) % 360}` }}
      aria-label={`${title} (${type || 'untyped'} node ${id})`}
    >
      {spec?.scope && (
        <NodeResizer minWidth={220} minHeight={140} isVisible={!!selected} onResizeStart={onResizeStart} lineClassName="scope-resize-line" handleClassName="scope-resize-handle" />
      )}
      {hasInput && <TargetHandles nodeId={id} extraTargets={extraTargets} />}
      {header}
      {spec?.scope ? (
        <>
          <div className="scope-summary">
            id: {id}
            {spec.fields
              .filter((f) => data.config[f.name] !== undefined)
              .map((f) => ` · ${f.label}: ${summariseValue(data.config[f.name], 20)}`)
              .join('')}
          </div>
          <SourceHandles nodeId={id} outputs={outputs} />
          {(childCount.get(id) ?? 0) === 0 && <div className="scope-hint">Drag nodes here to form the body</div>}
          <RunBadge nodeId={id} info={info} />
        </>
      ) : (
        <div className="node-body">
          <div className="node-id">id: {id}</div>
          {spec ? <FieldSummary spec={spec} config={data.config} /> : <RawData config={data.config} />}
          {!spec && type && <div className="node-unknown-note">Not in the node catalogue</div>}
          <SourceHandles nodeId={id} outputs={outputs} />
          <RunBadge nodeId={id} info={info} />
        </div>
      )}
    </div>
  );
});
