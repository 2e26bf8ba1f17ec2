import { useState } from 'react';
import type { CheckProblem } from '../../src/api/types';
import type { NodeCatalogue } from '../../src/catalogue/catalogue';
import type { SwitchCase } from '../../src/catalogue/handles';
import { ConfigPanel } from '../../src/components/config/ConfigPanel';
import type { WorkflowNode } from '../../src/graph/model';
import { fixtureCatalogue } from '../fixtures/catalogue';

/** A workflow node of `type` (none: the editor infers it) with `config` as its data. */
export const configNode = (id: string, type: string | undefined, config: Record<string, unknown>): WorkflowNode => ({
  id,
  type: 'workflow',
  position: { x: 0, y: 0 },
  data: type === undefined ? { config } : { type, config },
});

interface HarnessProps {
  initial: WorkflowNode;
  catalogue?: NodeCatalogue;
  problems?: readonly CheckProblem[];
  onValue?: (key: string, value: unknown) => void;
}

/** The side panel of one node whose data updates like the editor's; the data is shown in `data-testid="data"`. */
export function ConfigPanelHarness({ initial, catalogue = fixtureCatalogue, problems, onValue }: HarnessProps) {
  const [current, setCurrent] = useState(initial);
  const set = (key: string, value: unknown) => {
    onValue?.(key, value);
    setCurrent((n) => {
      const config = { ...n.data.config };
      if (value === undefined) delete config[key];
      else config[key] = value;
      return { ...n, data: { ...n.data, config } };
    });
  };
  return (
    <>
      <ConfigPanel
        node={current}
        selectedCount={1}
        catalogue={catalogue}
        runInfo={undefined}
        problems={problems}
        onSetValue={(_id, key, value) => set(key, value)}
        onReplaceConfig={(_id, config) => setCurrent((n) => ({ ...n, data: { ...n.data, config } }))}
        onChangeType={(_id, type) => setCurrent((n) => ({ ...n, data: { ...n.data, type } }))}
        onSwitchCases={(_id, cases: SwitchCase[]) => set('cases', cases)}
        onFieldBlur={() => {}}
        onDuplicate={() => {}}
        onDelete={() => {}}
        onClose={() => {}}
      />
      <output data-testid="data">{JSON.stringify(current.data.config)}</output>
    </>
  );
}
