// End-to-end tests of the editor against a running Thaiyyal server (THAIYYAL_URL, default
// http://127.0.0.1:8080). Run with `npm run test:e2e` after the server serves this build.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  connectHandles,
  dragFromPalette,
  editorSession,
  importPayload,
  runAndWait,
  screenshot,
  setField,
  sharedExample,
  text,
} from './support/harness.mjs';

const { withEditor } = editorSession();

describe('Thaiyyal editor', () => {
  test('1: builds 10 + 5 by dragging from the palette and connecting handles, and shows 15', () =>
    withEditor(async (page) => {
      await screenshot(page, 'e2e-1-01-empty');
      await dragFromPalette(page, 'number', 160, 110);
      await dragFromPalette(page, 'number', 160, 330);
      await dragFromPalette(page, 'operation', 520, 220);
      for (const id of ['number_1', 'number_2', 'operation_1']) await page.getByTestId(`node-${id}`).waitFor();
      await screenshot(page, 'e2e-1-02-dropped');

      await setField(page, 'number_1', 'value', '10');
      await setField(page, 'number_2', 'value', '5');
      await page.getByTestId('node-title-operation_1').click();
      assert.equal(await page.getByTestId('field-op').inputValue(), 'add');

      await connectHandles(page, 'handle-source-number_1-out', 'handle-target-operation_1-in-1');
      await connectHandles(page, 'handle-source-number_2-out', 'handle-target-operation_1-in-2');
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 2);
      await screenshot(page, 'e2e-1-03-connected');

      assert.equal(await runAndWait(page), 'succeeded');
      assert.equal(await text(page, 'node-result-operation_1'), '15');
      assert.equal((await text(page, 'final-output')).trim(), '15');
      await screenshot(page, 'e2e-1-04-result');
    }));

  test('2: a condition runs its true branch and skips the false branch', () =>
    withEditor(async (page) => {
      await page.getByTestId('examples-button').click();
      await page.getByTestId('example-control-flow-branch').click();
      await page.getByTestId('node-is_big').waitFor();
      await screenshot(page, 'e2e-2-01-example');

      assert.equal(await runAndWait(page), 'succeeded');
      assert.equal(await page.getByTestId('node-double').getAttribute('data-status'), 'succeeded');
      assert.equal(await page.getByTestId('node-bump').getAttribute('data-status'), 'skipped');
      assert.equal(await text(page, 'node-status-bump'), 'skipped');
      assert.equal(await page.getByTestId('node-result-bump').count(), 0);
      await screenshot(page, 'e2e-2-02-branch');
    }));

  test('3: a cycle is refused and its nodes are pointed at', () =>
    withEditor(async (page) => {
      await importPayload(page, {
        nodes: [
          { id: 'a', type: 'expression', data: { expression: 'input + 1' }, position: { x: 0, y: 0 } },
          { id: 'b', type: 'expression', data: { expression: 'input * 2' }, position: { x: 320, y: 0 } },
        ],
        edges: [
          { id: 'ab', source: 'a', target: 'b', sourceHandle: null, targetHandle: null },
          { id: 'ba', source: 'b', target: 'a', sourceHandle: null, targetHandle: null },
        ],
      }, 'cycle.json');
      await screenshot(page, 'e2e-3-01-imported');

      const phase = await runAndWait(page);
      assert.ok(phase === 'invalid' || phase === 'failed', `expected a refusal, got ${phase}`);
      const details = await text(page, 'execution-error-details');
      assert.match(details, /cycle/i);
      assert.match(details, /\ba\b/);
      assert.match(details, /\bb\b/);
      assert.equal(await page.getByTestId('node-a').getAttribute('data-highlighted'), 'true');
      assert.equal(await page.getByTestId('node-b').getAttribute('data-highlighted'), 'true');
      await screenshot(page, 'e2e-3-02-refused');
    }));

  test('4: saves a workflow, reloads the page and opens it again', () =>
    withEditor(async (page) => {
      const name = `e2e saved ${Date.now()}`;
      await page.getByTestId('examples-button').click();
      await page.getByTestId('example-operations-math').click();
      await page.getByTestId('node-times').waitFor();

      await page.getByTestId('save-button').click();
      await page.getByTestId('save-name-input').fill(name);
      await page.getByTestId('save-confirm').click();
      await page.getByTestId('saved-indicator').waitFor();
      assert.equal(await page.getByTestId('unsaved-indicator').count(), 0);
      await screenshot(page, 'e2e-4-01-saved');

      // The address names the saved workflow (#/workflows/{id}): a reload opens it again.
      assert.match(page.url(), /#\/workflows\/[^/]+$/);
      await page.reload();
      await page.getByTestId('node-times').waitFor();
      assert.equal((await text(page, 'workflow-title')).trim(), name);
      await screenshot(page, 'e2e-4-02-reloaded');
      // A new workflow leaves the address; the saved one is then opened from the list.
      await page.getByTestId('new-button').click();
      await page.getByTestId('node-times').waitFor({ state: 'detached' });
      assert.doesNotMatch(page.url(), /#\/workflows\//);

      await page.getByTestId('open-button').click();
      const row = page.locator(`[data-testid^="saved-workflow-"][data-name="${name}"]`);
      await row.waitFor();
      await screenshot(page, 'e2e-4-03-open-dialog');
      await row.locator('[data-testid^="open-workflow-"]').click();
      await page.getByTestId('node-times').waitFor();
      assert.equal((await text(page, 'workflow-title')).trim(), name);
      assert.equal(await page.locator('[data-testid^="node-"][data-node-type]').count(), 4);
      assert.equal(await runAndWait(page), 'succeeded');
      assert.equal(await text(page, 'node-result-minus'), '42');
      await screenshot(page, 'e2e-4-04-reopened');

      // Leave the server's store as we found it.
      await page.getByTestId('open-button').click();
      await row.locator('[data-testid^="delete-workflow-"]').click();
      await row.locator('[data-testid^="confirm-delete-"]').click();
      await row.waitFor({ state: 'detached' });
    }));

  test('5: imports an example payload and runs it', () =>
    withEditor(async (page) => {
      const payload = sharedExample('conditional-branching-01-basic-age-check.json') ?? {
        nodes: [
          { id: 'user_age', type: 'number', data: { value: 25, label: 'User Age' } },
          { id: 'age_check', type: 'condition', data: { condition: '>=18', label: 'Is Adult?' } },
          { id: 'result', type: 'visualization', data: { mode: 'json', label: 'Result' } },
        ],
        edges: [
          { id: 'e1', source: 'user_age', target: 'age_check' },
          { id: 'e2', source: 'age_check', target: 'result' },
        ],
      };
      await importPayload(page, payload, 'basic-age-check.json');
      for (const node of payload.nodes) await page.getByTestId(`node-${node.id}`).waitFor();
      await screenshot(page, 'e2e-5-01-imported');

      assert.equal(await runAndWait(page), 'succeeded');
      assert.match(await text(page, 'execution-id'), /\S+/);
      assert.equal(await page.getByTestId('node-user_age').getAttribute('data-status'), 'succeeded');
      assert.equal(await text(page, 'node-result-user_age'), '25');
      assert.equal(await page.getByTestId('node-result-row-age_check').count(), 1);
      await screenshot(page, 'e2e-5-02-ran');
    }));

  test('6: cancels a long workflow (a 10 s delay)', () =>
    withEditor(async (page) => {
      await importPayload(page, {
        nodes: [
          { id: 'start', type: 'number', data: { value: 1 }, position: { x: 0, y: 0 } },
          { id: 'slow', type: 'delay', data: { duration: '10s' }, position: { x: 320, y: 0 } },
        ],
        edges: [{ id: 'e1', source: 'start', target: 'slow', sourceHandle: null, targetHandle: null }],
      }, 'slow.json');

      const started = Date.now();
      await page.getByTestId('run-button').click();
      await page.locator('[data-testid="execution-status"][data-phase="running"]').waitFor({ timeout: 5_000 });
      await screenshot(page, 'e2e-6-01-running');
      await page.getByTestId('cancel-button').click();
      await page.locator('[data-testid="execution-status"][data-phase="cancelled"]').waitFor({ timeout: 5_000 });
      assert.ok(Date.now() - started < 8_000, 'the run ended well before the delay would have');
      await page.getByTestId('execution-cancelled').waitFor();
      assert.equal(await page.getByTestId('run-button').isEnabled(), true);
      await screenshot(page, 'e2e-6-02-cancelled');
    }));
});
