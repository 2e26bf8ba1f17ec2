import { useState } from 'react';
import type { Theme } from '../theme/useTheme';
import { Icon, type IconName } from './Icon';

export interface WorkflowBarActions {
  onNew(): void;
  onOpen(): void;
  onSave(): void;
  onImport(): void;
  onExport(): void;
  onShowJson(): void;
  onExamples(): void;
  onUndo(): void;
  onRedo(): void;
  onLayout(): void;
  onFitView(): void;
  onValidate(): void;
  onRun(): void;
  onCancel(): void;
  onToggleTheme(): void;
  onHelp(): void;
  onRename(title: string): void;
  /** Runs and versions of the stored workflow. */
  onHistory?(): void;
}

interface WorkflowBarProps extends WorkflowBarActions {
  title: string;
  savedId?: string;
  /** The stored version on the canvas. */
  version?: number;
  dirty: boolean;
  canUndo: boolean;
  canRedo: boolean;
  busy: boolean;
  theme: Theme;
}

function ToolButton({ icon, label, shortcut, onClick, disabled, testId, text, variant }: {
  icon: IconName;
  label: string;
  shortcut?: string;
  onClick(): void;
  disabled?: boolean;
  testId: string;
  text?: string;
  variant?: 'primary' | 'danger';
}) {
  return (
    <button
      type="button"
      className={`${text ? 'button' : 'icon-button'}${variant ? ` button-${variant}` : ''}`}
      aria-label={label}
      aria-keyshortcuts={shortcut}
      title={shortcut ? `${label} (${shortcut})` : label}
      onClick={onClick}
      disabled={disabled}
      data-testid={testId}
    >
      <Icon name={icon} />
      {text && <span>{text}</span>}
    </button>
  );
}

/** The top bar: brand, the workflow's title, and every document and run command. */
export function WorkflowBar(props: WorkflowBarProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(props.title);

  const startEditing = () => {
    setDraft(props.title);
    setEditing(true);
  };
  const finish = (commit: boolean) => {
    setEditing(false);
    const trimmed = draft.trim();
    if (commit && trimmed !== '' && trimmed !== props.title) props.onRename(trimmed);
  };

  return (
    <header className="workflow-bar">
      <div className="brand" aria-label="Thaiyyal">
        <span className="brand-mark" aria-hidden="true">
          ⚡
        </span>
        <span className="brand-name">Thaiyyal</span>
      </div>
      <div className="title-area">
        {editing ? (
          <input
            className="input title-input"
            aria-label="Workflow name"
            data-testid="workflow-title-input"
            value={draft}
            autoFocus
            onFocus={(e) => e.target.select()}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={() => finish(true)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') finish(true);
              if (e.key === 'Escape') finish(false);
            }}
          />
        ) : (
          <button type="button" className="title-button" onClick={startEditing} aria-label={`Workflow name: ${props.title}. Click to rename`} data-testid="workflow-title" title="Click to rename">
            <span className="title-text">{props.title}</span>
            <Icon name="edit" size={12} />
          </button>
        )}
        {props.dirty && (
          <span className="unsaved" data-testid="unsaved-indicator" title="Unsaved changes" aria-label="Unsaved changes">
            ●
          </span>
        )}
        {props.savedId && !props.dirty && (
          <span className="saved-note muted" data-testid="saved-indicator">
            {props.version !== undefined ? `saved · v${props.version}` : 'saved'}
          </span>
        )}
      </div>
      <nav className="toolbar" aria-label="Workflow commands">
        <div className="tool-group" role="group" aria-label="File">
          <ToolButton icon="new" label="New workflow" text="New" onClick={props.onNew} testId="new-button" />
          <ToolButton icon="open" label="Open saved workflow" text="Open" onClick={props.onOpen} testId="open-button" />
          <ToolButton icon="save" label="Save workflow" text="Save" shortcut="Control+S" onClick={props.onSave} testId="save-button" />
          <ToolButton icon="book" label="Examples" text="Examples" onClick={props.onExamples} testId="examples-button" />
          {props.onHistory && (
            <ToolButton
              icon="code"
              label={props.savedId ? 'Runs and versions of this workflow' : 'Save the workflow to keep its runs and versions'}
              text="History"
              onClick={props.onHistory}
              disabled={!props.savedId}
              testId="history-button"
            />
          )}
          <ToolButton icon="import" label="Import workflow file" onClick={props.onImport} testId="import-button" />
          <ToolButton icon="export" label="Export workflow file" onClick={props.onExport} testId="export-button" />
          <ToolButton icon="code" label="Show payload JSON" onClick={props.onShowJson} testId="json-button" />
        </div>
        <div className="tool-group" role="group" aria-label="Edit">
          <ToolButton icon="undo" label="Undo" shortcut="Control+Z" onClick={props.onUndo} disabled={!props.canUndo} testId="undo-button" />
          <ToolButton icon="redo" label="Redo" shortcut="Control+Shift+Z" onClick={props.onRedo} disabled={!props.canRedo} testId="redo-button" />
          <ToolButton icon="layout" label="Auto-layout" shortcut="Shift+L" onClick={props.onLayout} testId="layout-button" />
          <ToolButton icon="fit" label="Fit view" shortcut="Shift+F" onClick={props.onFitView} testId="fit-view-button" />
        </div>
        <div className="tool-group" role="group" aria-label="Run">
          <ToolButton icon="check" label="Validate workflow" text="Validate" onClick={props.onValidate} disabled={props.busy} testId="validate-button" />
          {props.busy ? (
            <ToolButton icon="stop" label="Cancel run" text="Cancel" variant="danger" onClick={props.onCancel} testId="cancel-button" />
          ) : (
            <ToolButton icon="play" label="Run workflow" text="Run" shortcut="Control+Enter" variant="primary" onClick={props.onRun} testId="run-button" />
          )}
        </div>
        <div className="tool-group" role="group" aria-label="View">
          <ToolButton
            icon={props.theme === 'dark' ? 'sun' : 'moon'}
            label={props.theme === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
            onClick={props.onToggleTheme}
            testId="theme-toggle"
          />
          <ToolButton icon="help" label="Keyboard shortcuts" shortcut="?" onClick={props.onHelp} testId="help-button" />
        </div>
      </nav>
    </header>
  );
}
