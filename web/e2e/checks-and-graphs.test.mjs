// End-to-end tests of the editor's checks before a run, input order, expression completion,
// big graphs and offline use, against a running server (THAIYYAL_URL).
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BASE_URL, connectHandles, editorSession, importPayload, runAndWait, selectNode, screenshot, text, waitForStillViewport, webFolder } from './support/harness.mjs';

const session = editorSession();
const { withEditor } = session;

/** Replaces the text of a CodeMirror expression field by typing, as a user would. */
async function typeExpression(page, fieldName, value) {
  const field = page.getByTestId(`field-${fieldName}`);
  await field.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(value, { delay: 20 });
}

/** 500 nodes and 1,000 edges without positions (so importing lays them out). */
function bigGraph() {
  const nodes = [];
  for (let i = 0; i < 500; i++) {
    nodes.push(i < 10 ? { id: `n${i}`, type: 'number', data: { value: i } } : { id: `n${i}`, type: 'join', data: { join_strategy: 'all' } });
  }
  const edges = [];
  for (let i = 10; i < 500; i++) {
    edges.push({ id: `a${i}`, source: `n${i - 1}`, target: `n${i}` });
    edges.push({ id: `b${i}`, source: `n${i - 2 - (i % 7)}`, target: `n${i}` });
  }
  for (let i = 0; edges.length < 1000; i++) edges.push({ id: `c${i}`, source: `n${i % 10}`, target: `n${100 + i * 3}` });
  return { nodes, edges };
}

/**
 * Runs `action` under a Chromium trace and returns the time the page's main thread spent in tasks
 * (the renderer's CrRendererMain thread; the layout worker's thread is reported apart).
 */
async function traceThreads(page, action) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', { categories: '__metadata,devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  await action();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  // Wall time of the tasks (`dur`) and the CPU time the thread got for them (`tdur`): on a busy
  // machine the first includes waiting for a core, the second does not.
  const busy = new Map();
  const add = (key, ms) => busy.set(key, (busy.get(key) ?? 0) + ms);
  for (const e of events) {
    if (e.name !== 'RunTask' || !e.dur) continue;
    const name = names.get(`${e.pid}:${e.tid}`) ?? '';
    if (name === 'CrRendererMain' || /worker/i.test(name)) {
      const key = name === 'CrRendererMain' ? 'main' : 'worker';
      add(key, e.dur / 1000);
      add(`${key}Cpu`, (e.tdur ?? 0) / 1000);
    }
  }
  const ms = (key) => Math.round(busy.get(key) ?? 0);
  return { main: ms('main'), mainCpu: ms('mainCpu'), worker: ms('worker'), workerCpu: ms('workerCpu') };
}

describe('Thaiyyal editor: checks, inputs, expressions, big graphs', () => {
  test('7: a broken expression is marked on its field and its node before Run', () =>
    withEditor(async (page) => {
      await importPayload(page, {
        nodes: [
          { id: 'ten', type: 'number', data: { value: 10 }, position: { x: 0, y: 0 } },
          { id: 'calc', type: 'expression', data: { expression: 'input * 2' }, position: { x: 320, y: 0 } },
        ],
        edges: [{ id: 'e1', source: 'ten', target: 'calc' }],
      }, 'broken.json');
      await selectNode(page, 'calc');
      await page.getByTestId('field-expression').waitFor();
      await typeExpression(page, 'expression', 'input * * 2)');

      const error = page.getByTestId('field-error-expression');
      await error.waitFor({ timeout: 10_000 });
      assert.match(await error.textContent(), /unexpected '\*'.*column 9/);
      // The node on the canvas is marked by the server's workflow check, tied to the field.
      const mark = page.getByTestId('node-check-calc');
      await mark.waitFor({ timeout: 10_000 });
      assert.match(await mark.textContent(), /expression: unexpected '\*'/);
      assert.notEqual(await page.getByTestId('node-calc').getAttribute('data-problems'), '0');
      assert.equal(await page.getByTestId('node-ten').getAttribute('data-problems'), '0');
      await page.locator('.cm-lintRange-error').first().waitFor();
      // Nothing has run.
      assert.equal(await page.locator('[data-testid="execution-status"]').count(), 0);
      await screenshot(page, 'e2e-7-01-broken-expression-marked');

      await typeExpression(page, 'expression', 'input * 2');
      await page.getByTestId('node-check-calc').waitFor({ state: 'detached', timeout: 10_000 });
      assert.equal(await page.getByTestId('field-error-expression').count(), 0);
      await screenshot(page, 'e2e-7-02-fixed');
    }));

  test('8: subtract takes 10 on input 1 and 5 on input 2 whatever order the wires were drawn', () =>
    withEditor(async (page) => {
      await importPayload(page, {
        nodes: [
          { id: 'ten', type: 'number', data: { value: 10 }, position: { x: 0, y: 0 } },
          { id: 'five', type: 'number', data: { value: 5 }, position: { x: 0, y: 220 } },
          { id: 'minus', type: 'operation', data: { op: 'subtract' }, position: { x: 380, y: 100 } },
        ],
        edges: [],
      }, 'operands.json');
      await waitForStillViewport(page);
      // The node says what it needs before anything is wired.
      assert.match(await text(page, 'node-inputs-needed-minus'), /needs 2 inputs · has 0/);
      // Drawn in the "wrong" order: 5 first, onto input 2; then 10 onto input 1.
      await connectHandles(page, 'handle-source-five-out', 'handle-target-minus-in-2');
      await connectHandles(page, 'handle-source-ten-out', 'handle-target-minus-in-1');
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 2);
      assert.match(await text(page, 'node-input-minus-1'), /^1.*Number/);
      await screenshot(page, 'e2e-8-01-numbered-inputs');

      await page.getByTestId('json-button').click();
      const payload = JSON.parse(await page.getByTestId('json-dialog-text').textContent());
      await page.keyboard.press('Escape');
      assert.deepEqual(payload.edges.map((e) => e.source), ['ten', 'five']);

      assert.equal(await runAndWait(page), 'succeeded');
      assert.equal(await text(page, 'node-result-minus'), '5');
      await screenshot(page, 'e2e-8-02-subtract-is-5');

      // Reordering the inputs on the card swaps the operands.
      await page.getByTestId('node-input-minus-1').getByRole('button', { name: 'Move input 1 down' }).click();
      await page.getByTestId('node-stale-minus').waitFor();
      assert.equal(await runAndWait(page), 'succeeded');
      assert.equal(await text(page, 'node-result-minus'), '-5');
      await screenshot(page, 'e2e-8-03-reordered');
    }));

  test('9: completion offers functions with signatures, methods after a dot and upstream nodes', () =>
    withEditor(async (page) => {
      await importPayload(page, {
        nodes: [
          { id: 'people', type: 'text_input', data: { text: 'ada' }, position: { x: 0, y: 0 } },
          { id: 'calc', type: 'expression', data: { expression: '' }, position: { x: 320, y: 0 } },
        ],
        edges: [{ id: 'e1', source: 'people', target: 'calc' }],
      }, 'complete.json');
      await selectNode(page, 'calc');
      await page.getByTestId('field-expression').waitFor();

      const options = page.locator('.cm-tooltip-autocomplete li');
      await typeExpression(page, 'expression', 'input.up');
      // Waits for the list of the whole text: the list of a shorter prefix ("input") can still be open for a moment.
      await options.filter({ hasText: 'toUpperCase(' }).first().waitFor({ timeout: 10_000 });
      const methods = await options.allTextContents();
      // The language has no upper(): typing "up" after a dot offers the method that upper-cases.
      assert.ok(methods.some((o) => o.startsWith('toUpperCase(') && o.includes('.toUpperCase()')), `methods offered: ${methods.join(' | ')}`);
      await screenshot(page, 'e2e-9-01-completion-upper');
      await page.keyboard.press('Enter');
      assert.match(await text(page, 'field-expression'), /input\.toUpperCase\(/);

      await typeExpression(page, 'expression', 'su');
      await options.filter({ hasText: 'sum(' }).first().waitFor({ timeout: 10_000 });
      const functions = await options.allTextContents();
      assert.ok(functions.some((o) => o.includes('sum(') && o.includes('sum(array)')), `functions offered: ${functions.join(' | ')}`);
      await screenshot(page, 'e2e-9-02-completion-sum');

      await typeExpression(page, 'expression', 'node.');
      await options.filter({ hasText: 'people' }).first().waitFor({ timeout: 10_000 });
      const nodes = await options.allTextContents();
      assert.equal(nodes.length, 1, `offered: ${nodes.join(' | ')}`);
      assert.ok(nodes[0].startsWith('people'));
      await screenshot(page, 'e2e-9-03-completion-node');
    }));

  test('10: a 500-node, 1,000-edge import is laid out, fitted and drawn in the minimap; main-thread time recorded', () =>
    withEditor(async (page) => {
      const graph = bigGraph();
      assert.equal(graph.nodes.length, 500);
      assert.equal(graph.edges.length, 1000);
      const started = Date.now();
      const importing = await traceThreads(page, async () => {
        await importPayload(page, graph, 'big.json');
        // Polled every 100 ms, not every frame: the probe runs on the main thread it measures.
        await page.waitForFunction(() => document.querySelectorAll('.react-flow__node').length === 500, undefined, { polling: 100, timeout: 60_000 });
        await page.waitForFunction(() => document.querySelectorAll('.react-flow__minimap-node').length === 500, undefined, { polling: 100, timeout: 60_000 });
        await waitForStillViewport(page);
      });
      const importWallMs = Date.now() - started;
      // Zoomed this far out the 1,000 wires are one drawing under the cards, not 1,000 edge components.
      const farSegments = await page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="far-edges"] path')].reduce((n, p) => n + (p.getAttribute('d').match(/M/g) ?? []).length, 0));
      assert.equal(farSegments, 1000);
      assert.equal(await page.locator('.react-flow__edge').count(), 0);

      // Fit view shows every node: the whole graph lies inside the canvas.
      await page.getByTestId('fit-view-button').click();
      await waitForStillViewport(page);
      const inside = await page.evaluate(() => {
        const pane = document.querySelector('[data-testid="canvas"]').getBoundingClientRect();
        const nodes = [...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect());
        return nodes.every((r) => r.left >= pane.left - 1 && r.right <= pane.right + 1 && r.top >= pane.top - 1 && r.bottom <= pane.bottom + 1);
      });
      assert.ok(inside, 'fit view leaves nodes outside the canvas');
      // …and the graph fills the canvas instead of lying in it as a hairline: a 500-step chain is folded into rows.
      const fill = await page.evaluate(() => {
        const covered = (outer, selector) => {
          const box = document.querySelector(outer).getBoundingClientRect();
          const rects = [...document.querySelectorAll(selector)].map((n) => n.getBoundingClientRect());
          const width = Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left));
          const height = Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top));
          // A shape's drawn thickness: its box plus its outline (the minimap outlines small nodes).
          const drawn = [...document.querySelectorAll(selector)].map((n) => {
            const r = n.getBoundingClientRect();
            const stroke = (parseFloat(getComputedStyle(n).strokeWidth) || 0) * (n.height?.baseVal.value ? r.height / n.height.baseVal.value : 0);
            return Math.min(r.width, r.height) + stroke;
          });
          return { width: width / box.width, height: height / box.height, smallest: Math.min(...drawn) };
        };
        const zoom = Number(/scale\(([\d.e-]+)\)/.exec(document.querySelector('.react-flow__viewport').style.transform)[1]);
        return { zoom, canvas: covered('[data-testid="canvas"]', '.react-flow__node'), minimap: covered('.react-flow__minimap svg', '.react-flow__minimap-node') };
      });
      assert.ok(fill.canvas.width > 0.5 && fill.canvas.height > 0.4, `fitted graph covers ${JSON.stringify(fill.canvas)} of the canvas (zoom ${fill.zoom})`);
      assert.ok(fill.zoom >= 0.02, `fit view zoom ${fill.zoom}`);
      // The minimap draws the same shape, every node at least a pixel thick.
      assert.ok(fill.minimap.width > 0.5 && fill.minimap.height > 0.4, `minimap drawing covers ${JSON.stringify(fill.minimap)}`);
      assert.ok(fill.minimap.smallest >= 1, `smallest minimap node ${fill.minimap.smallest} px`);
      await screenshot(page, 'e2e-10-01-big-graph-fitted');

      const layingOut = await traceThreads(page, async () => {
        await page.getByTestId('layout-button').click();
        await page.locator('[data-testid="canvas"][data-layout="running"]').waitFor();
        await page.locator('[data-testid="canvas"][data-layout="idle"]').waitFor({ timeout: 60_000 });
        await waitForStillViewport(page);
      });
      await screenshot(page, 'e2e-10-02-big-graph-laid-out');

      const figures = {
        nodes: 500,
        edges: 1000,
        import_main_thread_ms: importing.main,
        import_main_thread_cpu_ms: importing.mainCpu,
        import_layout_worker_ms: importing.worker,
        import_wall_ms: importWallMs,
        layout_main_thread_ms: layingOut.main,
        layout_main_thread_cpu_ms: layingOut.mainCpu,
        layout_worker_ms: layingOut.worker,
        fit_view_zoom: fill.zoom,
      };
      mkdirSync(join(webFolder, 'test-results'), { recursive: true });
      writeFileSync(join(webFolder, 'test-results', 'big-graph-timing.json'), JSON.stringify(figures, null, 2));
      console.log(`big graph: ${JSON.stringify(figures)}`);
    }));

  test('11: with every non-loopback request blocked, the editor and /scalar log no errors and no request fails', async () => {
    const context = await session.browser().newContext({ viewport: { width: 1280, height: 720 } });
    const problems = [];
    const outside = [];
    await context.route('**/*', (route) => {
      const host = new URL(route.request().url()).hostname;
      if (['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host) || route.request().url().startsWith('data:')) return route.continue();
      outside.push(route.request().url());
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('dialog', (d) => void d.accept());
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    try {
      await page.goto(`${BASE_URL}/`);
      await page.getByTestId('palette-item-number').waitFor({ timeout: 15_000 });
      // Open an expression field (loads the expression editor) and run an example.
      await page.getByTestId('examples-button').click();
      await page.getByTestId('example-control-flow-branch').click();
      await page.getByTestId('node-is_big').waitFor();
      // Opening the field checks its expression after a short delay; that answer is awaited so that
      // leaving the page below cannot abort the check while it is still in flight.
      const checked = page.waitForResponse((r) => r.url().endsWith('/api/v1/expressions/check'), { timeout: 15_000 });
      await page.getByTestId('node-title-is_big').click();
      await page.getByTestId('field-condition').waitFor();
      assert.equal((await checked).status(), 200);
      assert.equal(await runAndWait(page), 'succeeded');
      await screenshot(page, 'e2e-11-01-editor-offline');

      await page.goto(`${BASE_URL}/scalar`);
      await page.getByText('Runs the posted workflow and returns every node').first().waitFor({ timeout: 20_000 });
      await page.waitForLoadState('networkidle');
      await screenshot(page, 'e2e-11-02-scalar-offline');
    } finally {
      await context.close();
    }
    assert.deepEqual(outside, [], 'requests to other hosts');
    assert.deepEqual(problems, []);
  });

  test('12: context menus, a wire dropped on empty canvas adds a connected node, system clipboard, export keeps the name', () =>
    withEditor(async (page) => {
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE_URL });
      await importPayload(page, { nodes: [{ id: 'ten', type: 'number', data: { value: 10 }, position: { x: 0, y: 0 } }], edges: [] }, 'Ten.json');
      await waitForStillViewport(page);

      // Drop a wire from the number's output on empty canvas: a node list opens there.
      const from = await page.getByTestId('handle-source-ten-out').boundingBox();
      const canvas = await page.locator('.react-flow__pane').boundingBox();
      const drop = { x: from.x + 60, y: canvas.y + canvas.height * 0.85 };
      await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move((from.x + drop.x) / 2, (from.y + drop.y) / 2, { steps: 6 });
      await page.mouse.move(drop.x, drop.y, { steps: 6 });
      await page.mouse.up();
      await page.getByTestId('context-menu-add').waitFor();
      await page.getByTestId('context-menu-search').fill('expression');
      await screenshot(page, 'e2e-12-01-wire-dropped');
      await page.getByTestId('context-menu-add-expression').click();
      await page.getByTestId('node-expression_1').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length === 1);

      // Right-click the new node: "Run to here" runs it and what it depends on.
      await page.getByTestId('node-title-expression_1').click({ button: 'right' });
      await page.getByTestId('context-menu-node').waitFor();
      await screenshot(page, 'e2e-12-02-node-menu');
      await page.getByTestId('context-menu-run-to-here').click();
      await page.locator('[data-testid="execution-status"][data-phase="succeeded"]').waitFor({ timeout: 20_000 });
      assert.equal(await page.getByTestId('node-expression_1').getAttribute('data-status'), 'succeeded');
      assert.equal(await page.getByTestId('node-ten').getAttribute('data-status'), 'succeeded');

      // Right-click the canvas: its own menu.
      const pane = await page.locator('.react-flow__pane').boundingBox();
      await page.mouse.click(pane.x + pane.width - 80, pane.y + pane.height - 80, { button: 'right' });
      await page.getByTestId('context-menu-canvas').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('context-menu-canvas').waitFor({ state: 'detached' });

      // Copy goes to the system clipboard as a workflow payload; paste reads it back.
      await page.getByTestId('node-title-ten').click();
      await page.locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
      await page.getByTestId('node-title-ten').click();
      await page.keyboard.press('Control+C');
      await page.waitForFunction(async () => (await navigator.clipboard.readText()).includes('"ten"'));
      const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
      assert.deepEqual(copied.nodes.map((n) => [n.id, n.type, n.data.value]), [['ten', 'number', 10]]);
      await page.evaluate(() => navigator.clipboard.writeText(JSON.stringify({ nodes: [{ id: 'x', type: 'number', data: { value: 7 } }], edges: [] })));
      await page.keyboard.press('Control+V');
      await page.getByTestId('node-number_1').waitFor();

      // Export carries the workflow's name.
      const download = page.waitForEvent('download');
      await page.getByTestId('export-button').click();
      const file = await download;
      const chunks = [];
      for await (const chunk of await file.createReadStream()) chunks.push(chunk);
      const exported = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      assert.equal(exported.name, 'Ten');
      assert.equal(exported.nodes.length, 3);
      assert.equal(file.suggestedFilename(), 'ten.json');
    }));
});
