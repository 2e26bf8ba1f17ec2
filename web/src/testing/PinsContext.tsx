import './testing.css';
import { createContext, useContext } from 'react';
import { formatCompact, formatPretty } from '../components/format';
import type { Pins } from './testFile';

/** The pinned outputs, for the node cards (the canvas passes its own props down through another context). */
export const PinsContext = createContext<Pins>({});

/** "Pinned" and the pinned value on a node card; nothing when the node is not pinned. */
export function PinnedOutput({ nodeId }: { nodeId: string }) {
  const pins = useContext(PinsContext);
  if (!(nodeId in pins)) return null;
  const value = pins[nodeId];
  return (
    <div className="node-pinned" data-testid={`node-pinned-${nodeId}`} title={`Pinned output (runs from the editor use it instead of running the node):\n${formatPretty(value)}`}>
      <span className="node-pinned-label">Pinned</span>
      <output className="node-pinned-value mono" data-testid={`node-pinned-value-${nodeId}`}>
        {formatCompact(value, 60)}
      </output>
    </div>
  );
}
