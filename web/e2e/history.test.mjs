// Stored workflows as a user meets them: a URL per workflow that survives a reload, runs that light up node by
// node while they go (async run + event stream), per-iteration results inside a for_each, and a run opened from
// the history after the server restarted. Starts its own server (THAIYYAL_SERVER, default the Release build) on a
// loopback port with a throwaway data directory, so it can restart it on the same data.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importPayload, launchBrowser, runAndWait, screenshot, text, webFolder } from './support/harness.mjs';

const serverBinary = process.env.THAIYYAL_SERVER ?? resolve(webFolder, '../src/Thaiyyal.Server/bin/Release/net10.0/thaiyyal-server');
const dataDir = mkdtempSync(join(tmpdir(), 'thaiyyal-e2e-history-'));
let port;
let server;
let browser;

const freePort = () =>
  new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port: p } = probe.address();
      probe.close(() => ok(p));
    });
  });

async function startServer() {
  server = spawn(serverBinary, ['-addr', `127.0.0.1:${port}`, '-rate-limit', '0', '-drain-delay', '0s', '-data-dir', dataDir, '-log-level', 'warn'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server did not become ready on port ${port}`);
}

async function stopServer() {
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
}

before(async () => {
  assert.ok(existsSync(serverBinary), `the server is not built at ${serverBinary} (set THAIYYAL_SERVER)`);
  port = await freePort();
  await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (server && server.exitCode === null) await stopServer();
  rmSync(dataDir, { recursive: true, force: true });
});

async function editorPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.getByTestId('palette-item-number').waitFor({ timeout: 15_000 });
  return { context, page };
}

// The delay keeps the run going long enough to watch the first node finish while the second still runs.
const slow = {
  nodes: [
    { id: 'start', type: 'number', data: { value: 5 }, position: { x: 40, y: 80 } },
    { id: 'wait', type: 'delay', data: { duration: '1500ms' }, position: { x: 320, y: 80 } },
    { id: 'double', type: 'expression', data: { expression: 'input.value * 2' }, position: { x: 600, y: 80 } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'wait' },
    { id: 'e2', source: 'wait', target: 'double' },
  ],
};

const loop = {
  nodes: [
    { id: 'items', type: 'range', data: { start: 1, end: 3 }, position: { x: 40, y: 80 } },
    { id: 'list', type: 'expression', data: { expression: 'input.range' }, position: { x: 300, y: 80 } },
    { id: 'each', type: 'for_each', data: {}, position: { x: 560, y: 40 }, style: { width: 320, height: 200 } },
    { id: 'times', type: 'expression', parentId: 'each', data: { expression: 'item * 10' }, position: { x: 60, y: 80 } },
  ],
  edges: [
    { id: 'e1', source: 'items', target: 'list' },
    { id: 'e2', source: 'list', target: 'each' },
  ],
};

describe('stored workflows, live runs and history', () => {
  test('save gives a URL that reopens after reload; a run lights up live; the run opens from history after a restart', async () => {
    let { context, page } = await editorPage();
    try {
      await importPayload(page, slow, 'slow.json');
      await page.getByTestId('save-button').click();
      await page.getByTestId('save-name-input').fill('Slow double');
      await page.getByTestId('save-confirm').click();
      await page.waitForFunction(() => /^#\/workflows\/[^/]+$/.test(window.location.hash));
      const address = page.url();
      assert.equal(await text(page, 'saved-indicator'), 'saved · v1');
      // At 1280 px the note is drawn whole, inside the header's title area (not cut off by the toolbar).
      assert.equal(page.viewportSize().width, 1280);
      const fits = await page.evaluate(() => {
        const note = document.querySelector('[data-testid="saved-indicator"]').getBoundingClientRect();
        const area = document.querySelector('.title-area');
        const box = area.getBoundingClientRect();
        const title = document.querySelector('[data-testid="workflow-title"]').getBoundingClientRect();
        return { inside: note.left >= box.left && note.right <= box.right + 0.5, overflow: area.scrollWidth - area.clientWidth, titleWidth: title.width, noteWidth: note.width };
      });
      assert.ok(fits.inside && fits.overflow <= 0 && fits.noteWidth > 40, `saved note ${JSON.stringify(fits)}`);
      assert.ok(fits.titleWidth > 80, `the name keeps room: ${JSON.stringify(fits)}`);

      await page.reload();
      await page.getByTestId('node-double').waitFor({ timeout: 15_000 });
      assert.equal(page.url(), address);
      await page.getByTestId('saved-indicator').waitFor();

      // Live: the number has finished while the delay is still running.
      await page.getByTestId('run-button').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="node-wait"]')?.getAttribute('data-status') === 'running', undefined, { timeout: 10_000 });
      assert.equal(await page.getByTestId('node-start').getAttribute('data-status'), 'succeeded');
      assert.equal(await page.getByTestId('node-double').getAttribute('data-status'), 'idle');
      await screenshot(page, 'e2e-history-01-live-run');
      await page.waitForFunction(() => document.querySelector('[data-testid="execution-status"]')?.getAttribute('data-phase') === 'succeeded', undefined, { timeout: 20_000 });
      assert.equal(await text(page, 'node-result-double'), '10');
      await context.close();

      await stopServer();
      await startServer();

      ({ context, page } = await editorPage());
      await page.goto(address);
      await page.getByTestId('node-double').waitFor({ timeout: 15_000 });
      assert.equal(await page.getByTestId('node-double').getAttribute('data-status'), 'idle');
      await page.getByTestId('history-button').click();
      await page.getByTestId('history-runs').waitFor();
      const rows = page.locator('[data-testid^="history-run-"]');
      assert.equal(await rows.count(), 1);
      assert.match((await rows.first().textContent()) ?? '', /succeeded/);
      // The versions are listed by a request of their own, which may answer after the runs'.
      await page.getByTestId('history-version-1').waitFor({ timeout: 10_000 });
      await screenshot(page, 'e2e-history-02-history-after-restart');
      await rows.first().getByRole('button', { name: 'Show results' }).click();
      await page.getByTestId('history-dialog').waitFor({ state: 'detached' });
      assert.equal(await text(page, 'node-result-double'), '10');
      assert.equal(await page.getByTestId('node-wait').getAttribute('data-status'), 'succeeded');
      // A run from the history can be saved as a workflow test like a live one.
      await page.getByTestId('save-as-test').waitFor({ timeout: 10_000 });
      await screenshot(page, 'e2e-history-03-run-from-history');
    } finally {
      await context.close();
    }
  });

  test('inside a for_each, the iteration picker shows each element’s result', async () => {
    const { context, page } = await editorPage();
    try {
      await importPayload(page, loop, 'loop.json');
      assert.equal(await runAndWait(page), 'succeeded');
      await page.getByTestId('iteration-picker-each').waitFor();
      assert.equal(await text(page, 'iteration-summary-each'), '3 iterations');
      // The last iteration is shown first; then each one on request.
      assert.equal(await text(page, 'node-result-times'), '30');
      await page.getByTestId('iteration-picker-each').getByRole('button', { name: 'First iteration' }).click();
      assert.equal(await text(page, 'node-result-times'), '10');
      await page.getByTestId('iteration-picker-each').getByRole('button', { name: 'Next iteration' }).click();
      assert.equal(await text(page, 'node-result-times'), '20');
      await screenshot(page, 'e2e-history-04-iteration-picker');
    } finally {
      await context.close();
    }
  });
});
