// Pin a node's output, run with it, save the run as a workflow test and run that test with the built CLI.
// Needs the server (THAIYYAL_URL) and the CLI (THAIYYAL_CLI, default the Release build beside this checkout).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { editorSession, importPayload, runAndWait, screenshot, text, webFolder } from './support/harness.mjs';

const cli = process.env.THAIYYAL_CLI ?? resolve(webFolder, '../src/Thaiyyal.Cli/bin/Release/net10.0/thaiyyal');
const { withEditor } = editorSession();

// The price comes from an http node whose host does not exist: only a pin lets the run (and the test) pass.
const workflow = {
  workflow_id: 'pinned-price',
  nodes: [
    { id: 'fetch_price', type: 'http', data: { url: 'https://prices.example.invalid/widget', label: 'Fetch price' }, position: { x: 40, y: 60 } },
    { id: 'quantity', type: 'number', data: { value: 3, label: 'Quantity' }, position: { x: 40, y: 300 } },
    { id: 'total', type: 'expression', data: { expression: 'node.fetch_price.price * node.quantity', label: 'Total' }, position: { x: 420, y: 180 } },
  ],
  edges: [
    { id: 'e1', source: 'fetch_price', target: 'total' },
    { id: 'e2', source: 'quantity', target: 'total' },
  ],
};

describe('pinned outputs and save as test', () => {
  test('pin an http node, run, save the run as a test, and thaiyyal test passes on the file', () =>
    withEditor(async (page) => {
      assert.ok(existsSync(cli), `the CLI is not built at ${cli} (set THAIYYAL_CLI)`);
      await importPayload(page, workflow, 'pinned-price.json');

      await page.getByTestId('node-title-fetch_price').click({ button: 'right' });
      await page.getByTestId('context-menu-pin-output').click();
      await page.getByTestId('pin-dialog').waitFor();
      // Not JSON: the dialog says so and will not pin.
      await page.getByTestId('pin-value-input').fill('{"price": ');
      await page.getByTestId('pin-value-error').waitFor();
      assert.equal(await page.getByTestId('pin-save').isDisabled(), true);
      await page.getByTestId('pin-value-input').fill('{"price": 7, "currency": "EUR"}');
      await screenshot(page, 'e2e-pin-01-dialog');
      await page.getByTestId('pin-save').click();
      await page.getByTestId('pin-dialog').waitFor({ state: 'detached' });
      assert.match(await text(page, 'node-pinned-value-fetch_price'), /"price":7/);

      assert.equal(await runAndWait(page), 'succeeded');
      assert.equal(await page.getByTestId('node-fetch_price').getAttribute('data-status'), 'succeeded');
      assert.equal(await text(page, 'node-result-total'), '21');
      await screenshot(page, 'e2e-pin-02-ran-with-pin');

      const downloadDir = mkdtempSync(join(tmpdir(), 'thaiyyal-e2e-'));
      try {
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-as-test').click()]);
        assert.match(download.suggestedFilename(), /\.thaiyyal-test\.json$/);
        const file = join(downloadDir, download.suggestedFilename());
        await download.saveAs(file);
        await screenshot(page, 'e2e-pin-03-saved-as-test');

        const saved = JSON.parse(readFileSync(file, 'utf8'));
        assert.deepEqual(saved.cases[0].pin, { fetch_price: { price: 7, currency: 'EUR' } });
        assert.equal(saved.cases[0].expect['node.total'], 21);
        assert.equal(saved.cases[0].expect.final_output, 21);
        assert.equal(saved.workflow.pinned_results, undefined);

        const { stdout } = await promisify(execFile)(cli, ['test', file], { timeout: 60_000 });
        assert.match(stdout, /1 passed, 0 failed/);

        // The same file without its pin reaches for the network, which tests refuse: the pin is what makes it pass.
        delete saved.cases[0].pin;
        const unpinned = join(downloadDir, 'unpinned.thaiyyal-test.json');
        await import('node:fs/promises').then((fs) => fs.writeFile(unpinned, JSON.stringify(saved)));
        const failed = await promisify(execFile)(cli, ['test', unpinned], { timeout: 60_000 }).then(
          () => ({ code: 0, stdout: '' }),
          (e) => ({ code: e.code, stdout: e.stdout }),
        );
        assert.equal(failed.code, 1);
        assert.match(failed.stdout, /http node 'fetch_price' is not pinned/);
      } finally {
        rmSync(downloadDir, { recursive: true, force: true });
      }
    }));
});
