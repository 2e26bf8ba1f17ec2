import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { buildCatalogue, defaultDataFor } from '../../src/catalogue/catalogue';
import type { NodeSpec } from '../../src/catalogue/types';
import { inferNodeType } from '../../src/catalogue/typeInference';
import { fixtureCatalogueBody } from '../fixtures/catalogue';
import fahrenheit from '../fixtures/one-file-node.json';
import { ConfigPanelHarness, configNode } from '../support/ConfigPanelHarness';

/*
 * A node type declared in one C# class (tests/Thaiyyal.Server.Tests/Endpoints/OneFileNodeTests.cs, which checks
 * that this fixture is exactly the server's catalogue entry for it) gets its form, its required group and its
 * type inference in the editor with no editor code of its own.
 */
const catalogue = buildCatalogue({ ...fixtureCatalogueBody, nodes: [...fixtureCatalogueBody.nodes, fahrenheit as unknown as NodeSpec] });

function Panel({ type, config }: { type: string | undefined; config: Record<string, unknown> }) {
  return <ConfigPanelHarness initial={configNode('t', type, config)} catalogue={catalogue} />;
}

describe('a node type declared once, on the server', () => {
  it('is in the palette catalogue with its declared defaults for new nodes', () => {
    const spec = catalogue.byType.get('fahrenheit');
    expect(spec?.category).toBe('Custom');
    expect(defaultDataFor(spec!)).toEqual({ digits: 1 });
  });

  it('is inferred from its keys when a payload node has no type', () => {
    expect(inferNodeType({ kelvin: 300 })).toBe('fahrenheit');
    expect(inferNodeType({ celsius: 20, digits: 2 })).toBe('fahrenheit');
    expect(inferNodeType({ digits: 2 })).toBe('');
  });

  it('gets a typed form whose required group is marked until one of its fields is set', async () => {
    const user = userEvent.setup();
    render(<Panel type="fahrenheit" config={{ digits: 1 }} />);
    const celsius = screen.getByLabelText('Celsius') as HTMLInputElement;
    const kelvin = screen.getByLabelText('Kelvin') as HTMLInputElement;
    expect(celsius.getAttribute('aria-required')).toBe('true');
    expect(kelvin.getAttribute('aria-required')).toBe('true');
    expect(screen.getByLabelText('Digits')).toHaveProperty('value', '1');

    await user.type(kelvin, '300');
    await user.tab();
    expect(JSON.parse(screen.getByTestId('data').textContent!)).toEqual({ digits: 1, kelvin: 300 });
    expect(celsius.getAttribute('aria-required')).toBeNull();
    expect(kelvin.getAttribute('aria-required')).toBeNull();
  });

  it('shows the inferred type and its form for a node without a type', () => {
    render(<Panel type={undefined} config={{ celsius: 21.5 }} />);
    expect(screen.getByTestId('config-node-type').textContent).toBe('fahrenheit — inferred from the data');
    expect((screen.getByLabelText('Celsius') as HTMLInputElement).value).toBe('21.5');
  });
});
