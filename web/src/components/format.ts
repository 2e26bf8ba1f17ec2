/** One-line JSON for cards and tables, cut to `max` characters (with an ellipsis). */
export function formatCompact(value: unknown, max = 80): string {
  let text: string;
  try {
    text = value === undefined ? 'undefined' : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Indented JSON for panels. */
export function formatPretty(value: unknown): string {
  try {
    return value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

/** A short summary of a configuration value for a card. */
export function summariseValue(value: unknown, max = 28): string {
  if (typeof value === 'string') return value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return formatCompact(value, max);
}
