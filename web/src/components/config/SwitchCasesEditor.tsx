import { useEffect, useState } from 'react';
import { switchCaseHandleId, switchCasesProblem, uniqueCasePath, type SwitchCase } from '../../catalogue/handles';
import { Icon } from '../Icon';
import { sameValue } from './FieldEditor';

interface SwitchCasesEditorProps {
  cases: SwitchCase[];
  /** New cases plus old handle → new handle for every renamed output, so edges follow. */
  onChange(cases: SwitchCase[], renamed: Record<string, string>): void;
}

/**
 * The case list of a switch: each case is a `when` expression and the output path that
 * names its handle. The default case stays last. Output names must be unique, so a rename
 * that would collide is shown as an error and not applied.
 */
export function SwitchCasesEditor({ cases, onChange }: SwitchCasesEditorProps) {
  // Drafts of output names being typed (a name may be briefly empty or duplicate).
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const [draftErrors, setDraftErrors] = useState<Record<number, string>>({});
  useEffect(() => {
    setDrafts({});
    setDraftErrors({});
  }, [cases.length]);

  const defaultIndex = cases.findIndex((c) => c.is_default === true);
  const problem = switchCasesProblem(cases);

  const replaceCase = (index: number, next: SwitchCase, renamed: Record<string, string> = {}) => {
    const copy = cases.map((c, i) => (i === index ? next : c));
    if (!sameValue(copy, cases)) onChange(copy, renamed);
  };

  const rename = (index: number, name: string) => {
    setDrafts((d) => ({ ...d, [index]: name }));
    const trimmed = name.trim();
    const others = cases.filter((_, i) => i !== index).map((c, i) => switchCaseHandleId(c, i >= index ? i + 1 : i));
    let message: string | undefined;
    if (trimmed === '' && cases[index].is_default !== true) message = 'An output name is required.';
    else if (others.includes(trimmed === '' ? 'default' : trimmed)) message = `Another case already uses “${trimmed || 'default'}”.`;
    setDraftErrors((e) => {
      const copy = { ...e };
      if (message) copy[index] = message;
      else delete copy[index];
      return copy;
    });
    if (message) return;
    const before = switchCaseHandleId(cases[index], index);
    const next = { ...cases[index] };
    if (trimmed === '') delete next.output_path;
    else next.output_path = trimmed;
    const after = switchCaseHandleId(next, index);
    replaceCase(index, next, before !== after ? { [before]: after } : {});
  };

  const move = (index: number, delta: number) => {
    const target = index + delta;
    if (target < 0 || target >= cases.length || cases[target].is_default || cases[index].is_default) return;
    const copy = [...cases];
    [copy[index], copy[target]] = [copy[target], copy[index]];
    onChange(copy, {});
  };

  const remove = (index: number) => onChange(cases.filter((_, i) => i !== index), {});

  const add = () => {
    const fresh: SwitchCase = { when: '', output_path: uniqueCasePath(cases) };
    const insertAt = defaultIndex >= 0 ? defaultIndex : cases.length;
    onChange([...cases.slice(0, insertAt), fresh, ...cases.slice(insertAt)], {});
  };

  const addDefault = () => onChange([...cases, { when: 'default', output_path: 'default', is_default: true }], {});

  return (
    <div className="field switch-cases" data-testid="switch-cases">
      <div className="field-label">
        Cases <span className="field-type">first true case wins</span>
      </div>
      <ol className="case-list">
        {cases.map((c, i) => {
          const isDefault = c.is_default === true;
          const name = drafts[i] ?? (typeof c.output_path === 'string' ? c.output_path : '');
          return (
            <li key={i} className={`case-row${isDefault ? ' is-default' : ''}`} data-testid={`switch-case-${i}`}>
              {isDefault ? (
                <span className="case-when muted">otherwise (default)</span>
              ) : (
                <input
                  className="input mono case-when"
                  aria-label={`Case ${i + 1} condition`}
                  placeholder="e.g. input > 50"
                  value={typeof c.when === 'string' ? c.when : ''}
                  onChange={(e) => replaceCase(i, { ...c, when: e.target.value })}
                  data-testid={`switch-case-when-${i}`}
                />
              )}
              <span className="case-arrow" aria-hidden="true">
                →
              </span>
              <input
                className="input case-path"
                aria-label={`Case ${i + 1} output name`}
                placeholder={isDefault ? 'default' : 'output name'}
                value={name}
                aria-invalid={draftErrors[i] ? true : undefined}
                onChange={(e) => rename(i, e.target.value)}
                data-testid={`switch-case-path-${i}`}
              />
              {!isDefault && (
                <span className="case-actions">
                  <button type="button" className="icon-button" aria-label={`Move case ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Move case ${i + 1} down`}
                    disabled={i + 1 >= cases.length || cases[i + 1].is_default === true}
                    onClick={() => move(i, 1)}
                  >
                    ↓
                  </button>
                  <button type="button" className="icon-button" aria-label={`Delete case ${i + 1}`} onClick={() => remove(i)}>
                    <Icon name="trash" size={14} />
                  </button>
                </span>
              )}
              {draftErrors[i] && (
                <p className="field-error" role="alert">
                  {draftErrors[i]}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <div className="case-buttons">
        <button type="button" className="button" onClick={add} aria-label="Add case" data-testid="switch-add-case">
          + Add case
        </button>
        {defaultIndex < 0 && (
          <button type="button" className="button" onClick={addDefault} aria-label="Add default case">
            + Default case
          </button>
        )}
      </div>
      {problem && (
        <p className="field-error" role="alert" data-testid="field-error-cases">
          {problem}
        </p>
      )}
    </div>
  );
}
