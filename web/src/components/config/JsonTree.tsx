import { formatCompact } from '../format';

/** Children shown per level before "… N more", so a huge array cannot flood the panel. */
const MAX_CHILDREN = 200;

/** A collapsible JSON tree: objects and arrays fold (the top two levels open), scalars show as JSON. */
export function JsonTree({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <div className="json-tree mono" data-testid={testId} data-json={safeJson(value)}>
      <JsonNode value={value} depth={0} />
    </div>
  );
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? 'undefined' : text.length > 10_000 ? `${text.slice(0, 10_000)}…` : text;
  } catch {
    return String(value);
  }
}

function JsonNode({ value, depth, name }: { value: unknown; depth: number; name?: string }) {
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    return (
      <div className="json-leaf">
        {label}
        <span className={`json-${value === null ? 'null' : typeof value}`}>{value === undefined ? 'undefined' : JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value as Record<string, unknown>);
  const open = depth < 2;
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <details className="json-branch" open={open}>
      <summary>
        {label}
        <span className="json-summary">
          {brackets[0]}
          {entries.length === 0 ? '' : ` ${Array.isArray(value) ? `${entries.length} items` : formatCompact(value, 48)} `}
          {brackets[1]}
        </span>
      </summary>
      <div className="json-children">
        {entries.slice(0, MAX_CHILDREN).map(([k, v]) => (
          <JsonNode key={k} name={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > MAX_CHILDREN && <div className="muted">… {entries.length - MAX_CHILDREN} more</div>}
      </div>
    </details>
  );
}
