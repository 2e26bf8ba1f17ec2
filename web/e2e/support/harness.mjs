// Shared helpers for the end-to-end tests: browser launch, screenshots and the gestures
// (palette drag, handle connection, file import) expressed through the editor's test ids.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';

export const BASE_URL = (process.env.THAIYYAL_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const webFolder = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const resultsFolder = join(webFolder, 'test-results');

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh page at 1280×720 with the editor loaded and its catalogue ready. */
export async function openEditor(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  // The editor asks before discarding unsaved work (beforeunload); tests always agree.
  page.on('dialog', (dialog) => void dialog.accept());
  page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  await page.goto(`${BASE_URL}/`);
  await page.getByTestId('palette-item-number').waitFor({ timeout: 15_000 });
  return { context, page };
}

/** Saves `web/test-results/<name>.png`. */
export async function screenshot(page, name) {
  mkdirSync(resultsFolder, { recursive: true });
  await page.screenshot({ path: join(resultsFolder, `${name}.png`) });
}

/** Drags a palette entry onto the canvas at (x, y) relative to the canvas's top-left corner. */
export async function dragFromPalette(page, type, x, y) {
  const canvas = page.getByTestId('canvas');
  await page.getByTestId(`palette-item-${type}`).dragTo(canvas, { targetPosition: { x, y } });
}

async function centreOf(locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('element has no box');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Draws an edge by dragging from a source handle to a target handle with the mouse. */
export async function connectHandles(page, sourceTestId, targetTestId) {
  const from = await centreOf(page.getByTestId(sourceTestId));
  const to = await centreOf(page.getByTestId(targetTestId));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

/** Selects a node by clicking its title, then types into one of its configuration fields. */
export async function setField(page, nodeId, fieldName, text) {
  await selectNode(page, nodeId);
  const field = page.getByTestId(`field-${fieldName}`);
  await field.fill(text);
}

/** Imports a payload through the file picker, as a user would. */
export async function importPayload(page, payload, fileName = 'workflow.json') {
  await page.getByTestId('import-file-input').setInputFiles({
    name: fileName,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(payload)),
  });
  await page.getByTestId(`node-${payload.nodes[0].id}`).waitFor();
  // The import may still be laying the graph out and fitting the view; a click meanwhile can land on a moving node.
  await page.locator('[data-testid="canvas"][data-layout="idle"]').waitFor();
}

/**
 * Selects a node by clicking its title and waits for its configuration form. A click that lands while the canvas
 * is still settling (fitting the view after an import or a layout) can miss the node; it is tried once more then.
 */
export async function selectNode(page, nodeId) {
  const form = page.getByTestId(`config-form-${nodeId}`);
  await page.getByTestId(`node-title-${nodeId}`).click();
  try {
    await form.waitFor({ timeout: 5_000 });
  } catch {
    await page.getByTestId(`node-title-${nodeId}`).click();
    await form.waitFor();
  }
}

/** Clicks Run and waits until the run ends; returns the final phase. */
export async function runAndWait(page, timeout = 20_000) {
  await page.getByTestId('run-button').click();
  const status = page.getByTestId('execution-status');
  await page.waitForFunction(
    () => ['succeeded', 'failed', 'invalid', 'cancelled'].includes(document.querySelector('[data-testid="execution-status"]')?.getAttribute('data-phase') ?? ''),
    undefined,
    { timeout },
  );
  return status.getAttribute('data-phase');
}

/** A payload from ../../shared/examples when that folder is beside the checkout, else undefined. */
export function sharedExample(name) {
  const file = resolve(webFolder, '../../shared/examples', name);
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
}

/** Waits until the canvas stops moving (fit view animates after an import). */
export async function waitForStillViewport(page) {
  await page.waitForFunction(
    () => {
      const now = document.querySelector('.react-flow__viewport')?.style.transform ?? '';
      const w = /** @type {any} */ (window);
      const still = w.__lastViewport === now;
      w.__lastViewport = now;
      return still;
    },
    undefined,
    { polling: 200, timeout: 10_000 },
  );
}

/**
 * Registers one Chromium for the test file (launched before its tests, closed after them). Returns
 * `withEditor(fn)`, which opens a fresh editor page for one test and closes it afterwards, and `browser()`.
 */
export function editorSession() {
  let browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  async function withEditor(fn) {
    const { context, page } = await openEditor(browser);
    try {
      await fn(page);
    } finally {
      await context.close();
    }
  }
  return { withEditor, browser: () => browser };
}

/** The text of the element with this test id. */
export const text = (page, testId) => page.getByTestId(testId).textContent();
