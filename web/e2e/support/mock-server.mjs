// A stand-in for the Thaiyyal server, for trying the editor and its end-to-end tests before
// the real server exists. It serves the built UI and a small imitation of the API: the
// fixture node catalogue, validation (required fields, unknown ids, cycles), execution of a
// handful of node types with branch skipping and cancellable delays, and an in-memory store.
// It is NOT the engine: results of anything beyond simple arithmetic are placeholders.
import { createServer } from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const webFolder = resolve(here, '../..');
const staticDir = resolve(process.env.MOCK_STATIC_DIR ?? join(webFolder, '../src/Thaiyyal.Server/wwwroot'));
const catalogue = JSON.parse(readFileSync(join(webFolder, 'test/fixtures/catalogue.json'), 'utf8'));
const specs = new Map(catalogue.nodes.map((n) => [n.type, n]));
const port = Number(process.env.PORT ?? 8080);
const stored = new Map();

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'application/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml' };

function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body) + '\n');
}

async function readBody(req) {
  const chunks = [];
  for await (const c of req) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

function findCycle(nodes, edges) {
  const out = new Map(nodes.map((n) => [n.id, []]));
  for (const e of edges) out.get(e.source)?.push(e.target);
  const state = new Map();
  const stack = [];
  const visit = (id) => {
    state.set(id, 1);
    stack.push(id);
    for (const next of out.get(id) ?? []) {
      if (state.get(next) === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 2);
    return null;
  };
  for (const n of nodes) if (!state.has(n.id)) {
    const found = visit(n.id);
    if (found) return found;
  }
  return null;
}

function validate(payload) {
  const nodes = payload.nodes ?? [];
  const edges = payload.edges ?? [];
  const ids = new Set();
  for (const n of nodes) {
    if (ids.has(n.id)) return { error: `duplicate node id: ${n.id}`, node_id: n.id };
    ids.add(n.id);
  }
  for (const n of nodes) {
    const spec = specs.get(n.type);
    if (!spec) return { error: `unknown node type: ${n.type}`, node_id: n.id };
    for (const f of spec.fields) {
      if (f.required && (n.data?.[f.name] === undefined || n.data?.[f.name] === null)) {
        return { error: `failed to parse payload: failed to unmarshal data for node ${n.id} (type ${n.type}): missing required field: ${f.name}`, node_id: n.id };
      }
    }
  }
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target)) return { error: `edge ${e.id} references unknown node` };
  }
  const cycle = findCycle(nodes, edges);
  if (cycle) return { error: `workflow contains cycles (circular dependencies): ${cycle.join(' → ')}`, node_id: cycle[0] };
  return null;
}

function parseDuration(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(String(text).trim());
  if (!m) return Number(text) || 0;
  return Number(m[1]) * { ms: 1, s: 1000, m: 60000 }[m[2]];
}

function evaluate(expression, input) {
  // Test double only: the real engine has its own expression language.
  if (/^\s*(>=|<=|==|!=|>|<)/.test(expression)) expression = `input ${expression}`;
  return Function('input', 'item', `"use strict"; return (${expression});`)(input, input);
}

class NodeFailure extends Error {
  constructor(nodeId, message) {
    super(`error executing node ${nodeId}: ${message}`);
    this.nodeId = nodeId;
  }
}

async function execute(payload, signal) {
  const nodes = payload.nodes ?? [];
  const edges = payload.edges ?? [];
  const cycle = findCycle(nodes, edges);
  if (cycle) throw Object.assign(new Error(`workflow contains cycles (circular dependencies): ${cycle.join(' → ')}`), { kind: 'invalid_graph' });
  const indeg = new Map(nodes.map((n) => [n.id, 0]));
  for (const e of edges) indeg.set(e.target, indeg.get(e.target) + 1);
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id).sort();
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const results = {};
  const order = [];
  while (queue.length) {
    const id = queue.shift();
    order.push(id);
    for (const e of edges) if (e.source === id) {
      indeg.set(e.target, indeg.get(e.target) - 1);
      if (indeg.get(e.target) === 0) queue.push(e.target);
    }
  }
  for (const id of order) {
    if (signal.aborted) throw Object.assign(new Error('workflow execution cancelled'), { kind: 'cancelled' });
    const node = byId.get(id);
    if (node.parentId) continue; // scope bodies are not imitated
    const incoming = edges.filter((e) => e.target === id);
    const live = incoming.filter((e) => e.source in results);
    if (incoming.length > 0) {
      if (live.length === 0) continue;
      const runs = live.some((e) => (e.sourceHandle ?? null) === null) || live.some((e) => {
        const r = results[e.source];
        return r && typeof r === 'object' && (r.path === e.sourceHandle || r.output_path === e.sourceHandle);
      });
      if (!runs) continue;
    }
    const inputs = live.map((e) => results[e.source]);
    const d = node.data ?? {};
    try {
      results[id] = await runNode(node.type, d, inputs, signal, id);
    } catch (err) {
      if (err instanceof NodeFailure || err.kind) throw Object.assign(err, { partial: results });
      throw Object.assign(new NodeFailure(id, err.message), { partial: results });
    }
  }
  const terminals = order.filter((id) => !edges.some((e) => e.source === id) && id in results);
  return { node_results: results, final_output: terminals.length ? results[terminals[0]] : null };
}

async function runNode(type, d, inputs, signal, id) {
  switch (type) {
    case 'number': return d.value;
    case 'text_input': return d.text;
    case 'boolean_input': return d.boolean_value;
    case 'operation': {
      if (inputs.length < 2) throw new NodeFailure(id, `operation needs 2 inputs, got ${inputs.length}`);
      const [a, b] = inputs;
      if (d.op === 'divide' && b === 0) throw new NodeFailure(id, 'division by zero');
      return { add: a + b, subtract: a - b, multiply: a * b, divide: a / b }[d.op];
    }
    case 'condition': {
      const met = !!evaluate(d.condition, inputs[0]);
      return { value: inputs[0], condition_met: met, condition: d.condition, path: String(met), true_path: met, false_path: !met };
    }
    case 'switch': {
      const cases = d.cases ?? [];
      for (let i = 0; i < cases.length; i++) {
        const c = cases[i];
        if (c.is_default) return { value: inputs[0], matched: false, case: 'default', output_path: c.output_path || 'default', case_index: i };
        try {
          if (evaluate(c.when, inputs[0])) return { value: inputs[0], matched: true, case: c.when, output_path: c.output_path, case_index: i };
        } catch {}
      }
      throw new NodeFailure(id, 'switch node reached end without matching any case or default');
    }
    case 'expression': return evaluate(d.expression, inputs[0]);
    case 'text_operation':
      if (typeof inputs[0] !== 'string') throw new NodeFailure(id, 'text operation input must be text/string');
      return d.text_op === 'lowercase' ? inputs[0].toLowerCase() : inputs[0].toUpperCase();
    case 'delay': {
      const ms = parseDuration(d.duration);
      await new Promise((resolveDelay, reject) => {
        const timer = setTimeout(resolveDelay, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(Object.assign(new Error('workflow execution cancelled'), { kind: 'cancelled' }));
        });
      });
      return inputs[0] ?? null;
    }
    default:
      return inputs[0] ?? null;
  }
}

let cancelledRuns = 0;

const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const path = url.pathname;
  try {
    if (path === '/api/v1/nodes' && req.method === 'GET') return send(res, 200, catalogue);
    if (path === '/api/v1/workflow/validate' && req.method === 'POST') {
      const problem = validate(JSON.parse(await readBody(req)));
      return send(res, 200, problem ? { valid: false, ...problem } : { valid: true });
    }
    if (path === '/api/v1/workflow/execute' && req.method === 'POST') {
      const payload = JSON.parse(await readBody(req));
      const controller = new AbortController();
      res.on('close', () => {
        if (!res.writableEnded) {
          controller.abort();
          cancelledRuns++;
          console.log(`[mock] client went away; run cancelled (${cancelledRuns} so far)`);
        }
      });
      const started = performance.now();
      try {
        const result = await execute(payload, controller.signal);
        const ms = performance.now() - started;
        return send(res, 200, {
          success: true,
          execution_time: `${ms.toFixed(3)}ms`,
          execution_time_ms: ms,
          results: { execution_id: randomBytes(8).toString('hex'), ...(payload.workflow_id ? { workflow_id: payload.workflow_id } : {}), ...result },
        });
      } catch (err) {
        if (controller.signal.aborted) return;
        return send(res, err.kind === 'invalid_graph' ? 422 : 500, {
          success: false,
          error: 'Workflow execution failed',
          details: err.message,
          error_kind: err.kind ?? 'node_failed',
          ...(err.nodeId ? { node_id: err.nodeId } : {}),
          ...(err.partial ? { results: { node_results: err.partial } } : {}),
        });
      }
    }
    if (path === '/api/v1/workflow/save' && req.method === 'POST') {
      const body = JSON.parse(await readBody(req));
      if (!body.name) return send(res, 400, { success: false, error: 'Failed to save workflow: workflow name is required' });
      const id = randomUUID();
      const now = new Date().toISOString();
      stored.set(id, { id, name: body.name, description: body.description || undefined, data: body.data, created_at: now, updated_at: now });
      return send(res, 201, { success: true, id, message: 'Workflow saved successfully' });
    }
    if (path === '/api/v1/workflow/list' && req.method === 'GET') {
      const workflows = [...stored.values()].map(({ data: _data, ...meta }) => meta);
      return send(res, 200, { success: true, workflows, count: workflows.length });
    }
    const load = /^\/api\/v1\/workflow\/load\/(.+)$/.exec(path);
    if (load && req.method === 'GET') {
      const w = stored.get(decodeURIComponent(load[1]));
      return w ? send(res, 200, { success: true, workflow: w }) : send(res, 404, { success: false, error: `workflow with ID ${load[1]} not found` });
    }
    const del = /^\/api\/v1\/workflow\/delete\/(.+)$/.exec(path);
    if (del && req.method === 'DELETE') {
      const ok = stored.delete(decodeURIComponent(del[1]));
      return ok ? send(res, 200, { success: true, message: 'Workflow deleted successfully' }) : send(res, 404, { success: false, error: `workflow with ID ${del[1]} not found` });
    }
    if (path.startsWith('/api/')) return send(res, 404, { success: false, error: 'Not found' });

    let file = join(staticDir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(staticDir) || !existsSync(file) || statSync(file).isDirectory()) file = join(staticDir, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end(`No UI build in ${staticDir}; run npm run build first.\n`);
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch (err) {
    send(res, 400, { success: false, error: 'Bad request', details: err.message });
  }
});

server.listen(port, '127.0.0.1', () => console.log(`[mock] Thaiyyal stand-in on http://127.0.0.1:${port} serving ${staticDir}`));
