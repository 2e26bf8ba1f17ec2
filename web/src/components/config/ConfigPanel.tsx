import type { CheckProblem } from '../../api/types';
import { stillApplies } from '../../editor/useWorkflowCheck';
import { unmetRequiredGroups, type NodeCatalogue } from '../../catalogue/catalogue';
import type { FieldSpec } from '../../catalogue/types';
import { switchCases, type SwitchCase } from '../../catalogue/handles';
import { suggestCatalogueType } from '../../catalogue/legacyTypes';
import type { NodeRunInfo } from '../../editor/useWorkflowRun';
import { effectiveType, isTypeInferred, type WorkflowNode } from '../../graph/model';
import { Icon } from '../Icon';
import { FieldEditor, type ExpressionHelp } from './FieldEditor';
import { JsonTree } from './JsonTree';
import { RawDataEditor } from './RawDataEditor';
import { SwitchCasesEditor } from './SwitchCasesEditor';

interface ConfigPanelProps {
  node: WorkflowNode | undefined;
  selectedCount: number;
  catalogue: NodeCatalogue;
  runInfo: NodeRunInfo | undefined;
  /** What the server's check says about the node (fields and the node as a whole). */
  problems?: readonly CheckProblem[];
  /** The node's inputs as they ran (results of its sources, in input order). */
  runInputs?: { id: string; title: string; value: unknown }[];
  /** The result is from before the last edit. */
  stale?: boolean;
  expressionHelp?(node: WorkflowNode, field: FieldSpec): ExpressionHelp;
  onRunToHere?(nodeId: string): void;
  onSetValue(nodeId: string, key: string, value: unknown): void;
  onReplaceConfig(nodeId: string, config: Record<string, unknown>): void;
  onChangeType(nodeId: string, type: string): void;
  onSwitchCases(nodeId: string, cases: SwitchCase[], renamed: Record<string, string>): void;
  onFieldBlur(): void;
  onDuplicate(): void;
  onDelete(): void;
  onClose(): void;
}

/** The side panel that configures the selected node, generated from its catalogue entry. */
export function ConfigPanel(props: ConfigPanelProps) {
  const { node, selectedCount, catalogue, runInfo } = props;
  return (
    <aside className="config-panel" aria-label="Node configuration" data-testid="config-panel">
      <div className="panel-header">
        <h2>{node ? 'Configure node' : 'Configuration'}</h2>
        <button type="button" className="icon-button" aria-label="Hide configuration panel" title="Hide configuration panel" onClick={props.onClose}>
          <Icon name="close" />
        </button>
      </div>
      {!node ? (
        <div className="config-empty">
          {selectedCount > 1 ? (
            <>
              <p>{selectedCount} nodes selected.</p>
              <div className="button-row">
                <button type="button" className="button" onClick={props.onDuplicate} aria-label="Duplicate selected nodes">
                  <Icon name="copy" /> Duplicate
                </button>
                <button type="button" className="button button-danger" onClick={props.onDelete} aria-label="Delete selected nodes">
                  <Icon name="trash" /> Delete
                </button>
              </div>
            </>
          ) : (
            <p className="muted">Select a node to configure it. Add nodes from the palette: click an entry, or drag it onto the canvas.</p>
          )}
        </div>
      ) : (
        <NodeForm key={node.id} {...props} node={node} catalogue={catalogue} runInfo={runInfo} />
      )}
    </aside>
  );
}

function NodeForm({ node, catalogue, runInfo, problems = [], runInputs, stale, expressionHelp, onRunToHere, onSetValue, onReplaceConfig, onChangeType, onSwitchCases, onFieldBlur, onDuplicate, onDelete }: ConfigPanelProps & { node: WorkflowNode }) {
  const type = effectiveType(node.data);
  const spec = catalogue.byType.get(type);
  const suggestion = spec ? undefined : suggestCatalogueType(type, catalogue);
  const config = node.data.config;
  const label = typeof config.label === 'string' ? config.label : '';
  const groupFields = new Set(spec ? unmetRequiredGroups(spec, config).flat() : []);
  // The server's word on a field is dropped as soon as the field changes (until the next check).
  const current = problems.filter((p) => stillApplies(p, config));
  const fieldProblem = (name: string) => current.find((p) => p.field === name)?.message;
  const nodeProblems = current.filter((p) => !p.field || !spec?.fields.some((f) => f.name === p.field));

  return (
    <div className="config-form" data-testid={`config-form-${node.id}`}>
      <div className="field">
        <label className="field-label" htmlFor={`label-${node.id}`}>
          Label
        </label>
        <input
          id={`label-${node.id}`}
          className="input"
          aria-label="Node label"
          data-testid="node-label-input"
          placeholder={spec?.label ?? type}
          value={label}
          onChange={(e) => onSetValue(node.id, 'label', e.target.value === '' ? undefined : e.target.value)}
          onBlur={onFieldBlur}
        />
      </div>
      <dl className="node-facts">
        <div>
          <dt>Id</dt>
          <dd className="mono" data-testid="config-node-id">
            {node.id}
          </dd>
        </div>
        <div>
          <dt>Type</dt>
          <dd className="mono" data-testid="config-node-type">
            {type || '(none)'}
            {isTypeInferred(node.data) && type ? ' — inferred from the data' : ''}
          </dd>
        </div>
        {node.parentId && (
          <div>
            <dt>Inside</dt>
            <dd className="mono">{node.parentId}</dd>
          </div>
        )}
      </dl>
      {spec ? (
        <>
          {spec.description && <p className="muted node-description">{spec.description}</p>}
          {spec.fields.map((field) =>
            spec.dynamic_outputs && field.name === 'cases' ? (
              <SwitchCasesEditor key={field.name} cases={switchCases(config)} onChange={(cases, renamed) => onSwitchCases(node.id, cases, renamed)} />
            ) : (
              <FieldEditor
                key={field.name}
                field={field}
                value={config[field.name]}
                onCommit={(v) => onSetValue(node.id, field.name, v)}
                onBlur={onFieldBlur}
                expression={field.type === 'expression' && expressionHelp ? expressionHelp(node, field) : undefined}
                problem={fieldProblem(field.name)}
                groupRequired={groupFields.has(field.name)}
              />
            ),
          )}
          {spec.fields.length === 0 && <p className="muted">This node has no settings.</p>}
          <details className="raw-data">
            <summary>Data as JSON</summary>
            <RawDataEditor label="Node data (JSON)" testId="raw-data-editor" value={config} onCommit={(c) => onReplaceConfig(node.id, c)} />
          </details>
        </>
      ) : (
        <>
          <p className="notice" role="note">
            {type ? `The server's catalogue has no node type “${type}”.` : 'This node has no type and none can be inferred from its data.'} Its data is
            kept as it is and can be edited as JSON.
          </p>
          {suggestion && (
            <button
              type="button"
              className="button"
              onClick={() => onChangeType(node.id, suggestion)}
              aria-label={`Change the type to ${suggestion}`}
              data-testid="convert-type"
            >
              Change type to “{suggestion}”
            </button>
          )}
          <RawDataEditor label="Node data (JSON)" testId="raw-data-editor" value={config} onCommit={(c) => onReplaceConfig(node.id, c)} rows={12} />
        </>
      )}
      {nodeProblems.length > 0 && (
        <ul className="node-problems" aria-label="Problems found before a run" data-testid="config-node-problems">
          {nodeProblems.map((p, i) => (
            <li key={i} className="field-error">
              {p.message}
            </li>
          ))}
        </ul>
      )}
      {onRunToHere && (
        <button type="button" className="button" onClick={() => onRunToHere(node.id)} data-testid="run-to-here" title="Run this node and everything it depends on">
          <Icon name="play" /> Run to here
        </button>
      )}
      {runInfo && (
        <section className="config-run" aria-label="Last run of this node" data-testid="config-last-run">
          <h3>
            Last run: {runInfo.status}
            {stale && (
              <span className="badge badge-stale" title="The node or something upstream changed since this run">
                stale
              </span>
            )}
          </h3>
          {runInputs && runInputs.length > 0 && (
            <>
              <h4>Input</h4>
              {runInputs.map((input, i) => (
                <div key={input.id} className="run-input">
                  <span className="muted">
                    {runInputs.length > 1 ? `${i + 1}. ` : ''}from {input.title}
                  </span>
                  <JsonTree value={input.value} testId={`last-run-input-${i}`} />
                </div>
              ))}
            </>
          )}
          {runInfo.status === 'succeeded' && (
            <>
              <h4>Output</h4>
              <JsonTree value={runInfo.result} testId="last-run-output" />
            </>
          )}
          {runInfo.message && <p className="field-error">{runInfo.message}</p>}
        </section>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={onDuplicate} aria-label="Duplicate node" data-testid="duplicate-node">
          <Icon name="copy" /> Duplicate
        </button>
        <button type="button" className="button button-danger" onClick={onDelete} aria-label="Delete node" data-testid="delete-node">
          <Icon name="trash" /> Delete
        </button>
      </div>
    </div>
  );
}
