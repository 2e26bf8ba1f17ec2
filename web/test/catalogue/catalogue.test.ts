import { beforeEach, describe, expect, it } from 'vitest';
import { acceptsInputs, buildCatalogue, defaultDataFor, paletteGroups } from '../../src/catalogue/catalogue';
import { inferNodeType, setInferenceRules } from '../../src/catalogue/typeInference';
import type { NodeCatalogueBody } from '../../src/catalogue/types';
import { fixtureCatalogue, fixtureCatalogueBody } from '../fixtures/catalogue';

describe('catalogue', () => {
  it('groups palette entries by category in catalogue order and hides in_palette:false types', () => {
    const groups = paletteGroups(fixtureCatalogue, '');
    expect(groups.map((g) => g.category)).toEqual([
      'Input/Output',
      'Control Flow',
      'Operations',
      'Parallel & Join',
      'State & Memory',
      'Error Handling',
      'Utilities',
      'Array Operations',
      'Advanced',
    ]);
    expect(groups.flatMap((g) => g.nodes.map((n) => n.type))).toContain('number');
    // A type the server marks in_palette: false is left out of the palette but still renders from the lookup.
    const hidden = buildCatalogue({
      ...fixtureCatalogueBody,
      nodes: fixtureCatalogueBody.nodes.map((n) => (n.type === 'compact' ? { ...n, in_palette: false } : n)),
    });
    expect(paletteGroups(hidden, '').flatMap((g) => g.nodes.map((n) => n.type))).not.toContain('compact');
    expect(hidden.byType.get('compact')?.label).toBe('Compact');
  });

  it('searches label, type and description case-insensitively', () => {
    expect(paletteGroups(fixtureCatalogue, 'MATH').flatMap((g) => g.nodes.map((n) => n.type))).toEqual(['operation']);
    expect(paletteGroups(fixtureCatalogue, 'flat_map').flatMap((g) => g.nodes.map((n) => n.type))).toEqual(['flat_map']);
    expect(paletteGroups(fixtureCatalogue, 'nothing like this')).toEqual([]);
  });

  it('tolerates sparse entries and adds unknown categories', () => {
    const body = {
      categories: ['A'],
      nodes: [
        { type: 'x', category: 'B', label: '', fields: [{ name: 'f', type: 'weird', label: '' }] },
        { type: '', category: 'A' },
      ],
    } as unknown as NodeCatalogueBody;
    const cat = buildCatalogue(body);
    expect(cat.categories).toEqual(['A', 'B']);
    expect(cat.nodes).toHaveLength(1);
    const x = cat.byType.get('x')!;
    expect(x.label).toBe('x');
    expect(x.fields[0]).toMatchObject({ type: 'any', label: 'f', required: false, options: null });
    expect(x.outputs).toEqual([{ id: null, label: 'output' }]);
    expect(x.max_inputs).toBe(1);
    expect(() => buildCatalogue({} as NodeCatalogueBody)).toThrow(/nodes/);
  });

  it('treats max_inputs null as unlimited and 0 as a source', () => {
    expect(acceptsInputs(fixtureCatalogue.byType.get('join'))).toBe(true);
    expect(fixtureCatalogue.byType.get('join')!.max_inputs).toBeNull();
    expect(acceptsInputs(fixtureCatalogue.byType.get('number'))).toBe(false);
    expect(acceptsInputs(undefined)).toBe(true);
  });

  it('copies defaults so nodes never share them', () => {
    const spec = fixtureCatalogue.byType.get('split')!;
    const a = defaultDataFor(spec);
    (a.paths as string[]).push('x');
    expect(defaultDataFor(spec).paths).toEqual(['path1', 'path2']);
  });
});

describe('inferNodeType (workflow-format.md §2.1), from the catalogue\'s rules', () => {
  beforeEach(() => setInferenceRules(fixtureCatalogue.nodes));

  it('infers nothing before a catalogue gave it rules', () => {
    setInferenceRules([]);
    expect(inferNodeType({ value: 1 })).toBe('');
  });

  it.each([
    [{ value: 1 }, 'number'],
    [{ context_name: 'x', value: 1 }, 'number'],
    [{ text: 'a' }, 'text_input'],
    [{ condition: '>1', true_path: 'y' }, 'condition'],
    [{ condition: '>1' }, 'filter'],
    [{ expression: 'a', initial_value: 0 }, 'reduce'],
    [{ expression: 'a' }, 'expression'],
    [{ expression: '', duration: '1s' }, 'delay'],
    [{ var_name: 'a', var_op: 'get' }, 'variable'],
    [{ cases: [] }, 'switch'],
    [{ cache_op: 'get', cache_key: 'k' }, 'cache'],
    [{ timeout: '1s', timeout_action: 'error' }, 'timeout'],
    [{ timeout: '1s' }, ''],
    [{}, ''],
  ])('%j → %s', (data, type) => {
    expect(inferNodeType(data)).toBe(type);
  });
});

describe('suggestCatalogueType', async () => {
  const { suggestCatalogueType } = await import('../../src/catalogue/legacyTypes');
  it('maps legacy camelCase names to catalogue types', () => {
    expect(suggestCatalogueType('textOpNode', fixtureCatalogue)).toBe('text_operation');
    expect(suggestCatalogueType('tryCatchNode', fixtureCatalogue)).toBe('try_catch');
    expect(suggestCatalogueType('flatMapNode', fixtureCatalogue)).toBe('flat_map');
    expect(suggestCatalogueType('number', fixtureCatalogue)).toBeUndefined();
    expect(suggestCatalogueType('mystery', fixtureCatalogue)).toBeUndefined();
  });
});
