import { describe, expect, it } from 'vitest';
import { formatFieldValue, isValidDuration, parseFieldInput, validateNodeData } from '../../src/catalogue/fieldValues';
import type { FieldSpec } from '../../src/catalogue/types';
import { fixtureCatalogue } from '../fixtures/catalogue';

const field = (type: FieldSpec['type'], extra: Partial<FieldSpec> = {}): FieldSpec => ({
  name: 'f',
  type,
  label: 'Thing',
  description: '',
  required: false,
  default: null,
  options: null,
  ...extra,
});

describe('parseFieldInput', () => {
  it('reads numbers and explains bad ones', () => {
    expect(parseFieldInput(field('number'), '2.5')).toEqual({ ok: true, value: 2.5 });
    expect(parseFieldInput(field('number'), '-1e3')).toEqual({ ok: true, value: -1000 });
    expect(parseFieldInput(field('number'), '12abc')).toEqual({ ok: false, message: 'Thing must be a number.' });
  });

  it('accepts only whole numbers for integers (the engine rejects 2.5 and 3.0)', () => {
    expect(parseFieldInput(field('integer'), '42')).toEqual({ ok: true, value: 42 });
    expect(parseFieldInput(field('integer'), '3.0')).toEqual({ ok: false, message: 'Thing must be a whole number.' });
  });

  it('checks durations with the engine grammar', () => {
    for (const ok of ['500ms', '1m30s', '2h45m', '1.5s', '0', '250', '-1s', '10us', '3µs']) expect(isValidDuration(ok), ok).toBe(true);
    for (const bad of ['5 s', '1d', 'soon', 's', '1.2.3s']) expect(isValidDuration(bad), bad).toBe(false);
    expect(parseFieldInput(field('duration'), '1m30s')).toEqual({ ok: true, value: '1m30s' });
    expect(parseFieldInput(field('duration'), '10 seconds')).toMatchObject({ ok: false, message: expect.stringMatching(/duration such as 500ms/) });
  });

  it('parses JSON for array, object and any, checking the shape', () => {
    expect(parseFieldInput(field('array'), '[1, 2]')).toEqual({ ok: true, value: [1, 2] });
    expect(parseFieldInput(field('array'), '{"a":1}')).toEqual({ ok: false, message: 'Thing must be a JSON array.' });
    expect(parseFieldInput(field('object'), '[1]')).toEqual({ ok: false, message: 'Thing must be a JSON object.' });
    expect(parseFieldInput(field('any'), '"x"')).toEqual({ ok: true, value: 'x' });
    expect(parseFieldInput(field('any'), '{oops')).toMatchObject({ ok: false, message: expect.stringMatching(/^Thing: invalid JSON/) });
  });

  it('unsets optional fields when cleared and refuses to clear required ones', () => {
    expect(parseFieldInput(field('number'), '  ')).toEqual({ ok: true, unset: true });
    expect(parseFieldInput(field('number', { required: true }), '')).toEqual({ ok: false, message: 'Thing is required.' });
    // The engine accepts "" for required text, so an empty required string is a value.
    expect(parseFieldInput(field('string', { required: true }), '')).toEqual({ ok: true, value: '' });
    expect(parseFieldInput(field('string'), '')).toEqual({ ok: true, unset: true });
  });

  it('splits tag lists and keeps expressions verbatim', () => {
    expect(parseFieldInput(field('string_array'), 'a, b ,,c')).toEqual({ ok: true, value: ['a', 'b', 'c'] });
    expect(parseFieldInput(field('expression'), ' input > 5 ')).toEqual({ ok: true, value: ' input > 5 ' });
  });

  it('formats stored values for editing', () => {
    expect(formatFieldValue(field('number'), 3)).toBe('3');
    expect(formatFieldValue(field('object'), { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(formatFieldValue(field('string_array'), ['a', 'b'])).toBe('a, b');
    expect(formatFieldValue(field('string'), undefined)).toBe('');
  });
});

describe('validateNodeData', () => {
  const spec = (type: string) => fixtureCatalogue.byType.get(type)!;

  it('reports missing required fields and wrong JSON types with the field label', () => {
    expect(validateNodeData(spec('number'), {})).toEqual({ value: 'Value is required.' });
    expect(validateNodeData(spec('number'), { value: '10' })).toEqual({ value: 'Value must be a number, not string.' });
    expect(validateNodeData(spec('number'), { value: 10 })).toEqual({});
    expect(validateNodeData(spec('for_each'), { max_iterations: 2.5 })).toEqual({ max_iterations: 'Max iterations must be a whole number.' });
    expect(validateNodeData(spec('delay'), { duration: 'later' })).toMatchObject({ duration: expect.stringMatching(/duration/) });
  });

  it('checks switch cases', () => {
    expect(validateNodeData(spec('switch'), { cases: [{ when: 'input > 1' }] }).cases).toMatch(/output path/);
    expect(validateNodeData(spec('switch'), { cases: [{ when: 'x', output_path: 'a' }, { is_default: true }] })).toEqual({});
  });
});
