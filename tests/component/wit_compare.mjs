// Compares `airwasm wit FILE` with jco's componentWit(bytes) on many components.
//
// componentWit prints only the root world (`package root:component; world root { ... }`); airwasm prints
// that world first and then the packages it uses, so the comparison takes airwasm's output up to the
// end of the first world and compares both with whitespace normalised.
//
// Usage: node wit_compare.mjs [--dump DIR] [--show N] AIRWASM PATH...
//   PATH is a component .wasm, a directory (searched recursively for .wasm files), or a JSON file from
//   the official suite's converter (its `module` / `module_definition` commands name the valid
//   components). Core modules (layer 0) are ignored. --dump writes both outputs per file into DIR.
// Prints `N matched, N mismatched, N skipped (componentWit failed)`; exits 1 on any mismatch.
//
// jco is resolved from the current directory first (the build tree's node_modules), then from here.
// componentWit runs in a worker thread: a Rust panic inside jco poisons its wasm instance, so the worker
// is replaced after every failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

import { collectInputs, isComponent } from './component_inputs.mjs';

function resolveJco() {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const base of [process.cwd(), here]) {
    try {
      return createRequire(path.join(base, 'noop.js')).resolve('@bytecodealliance/jco');
    } catch {}
  }
  throw new Error('cannot find @bytecodealliance/jco (run npm install next to package.json)');
}

function usage() {
  console.error('usage: node wit_compare.mjs [--dump DIR] [--show N] AIRWASM PATH...');
  process.exit(2);
}

// The first `world` block of airwasm's output: everything up to the first `}` in column 0.
function firstWorld(text) {
  const lines = text.split('\n');
  const end = lines.findIndex((l) => l === '}');
  return end < 0 ? text : lines.slice(0, end + 1).join('\n');
}

const norm = (s) => s.replace(/\s+/g, ' ').trim();

function lineDiff(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  const out = [];
  for (let i = 0; i < Math.max(x.length, y.length); ++i) {
    if (x[i] === y[i]) continue;
    if (x[i] !== undefined) out.push(`- ${x[i]}`);
    if (y[i] !== undefined) out.push(`+ ${y[i]}`);
    if (out.length > 30) break;
  }
  return out.join('\n');
}

async function main() {
  const args = process.argv.slice(2);
  let dump = null, show = 5;
  while (args.length && args[0].startsWith('--')) {
    const a = args.shift();
    if (a === '--dump') dump = args.shift();
    else if (a === '--show') show = Number(args.shift());
    else usage();
  }
  if (args.length < 2) usage();
  const airwasm = args.shift();
  const files = [];
  for (const p of args) collectInputs(p, files);
  if (dump) fs.mkdirSync(dump, { recursive: true });

  const jco = resolveJco();
  let worker = null, pending = null;
  const start = () => {
    worker = new Worker(fileURLToPath(import.meta.url), { workerData: { jco }, stderr: true });
    worker.on('message', (m) => pending && pending(m));
    worker.on('error', (e) => pending && pending({ ok: false, error: String(e) }));
  };
  const jcoWit = (bytes) => new Promise((resolve) => {
    if (!worker) start();
    pending = resolve;
    worker.postMessage(bytes);
  }).then(async (m) => {
    if (!m.ok) { await worker.terminate(); worker = null; }
    return m;
  });

  let matched = 0, mismatched = 0, skipped = 0;
  const diffs = [];
  for (const { path: f } of files) {
    const bytes = fs.readFileSync(f);
    if (!isComponent(bytes)) continue;
    const want = await jcoWit(bytes);
    const base = dump ? path.join(dump, path.basename(f)) : null;
    if (!want.ok) {
      ++skipped;
      if (base) fs.writeFileSync(base + '.jco.err', want.error);
      continue;
    }
    const r = spawnSync(airwasm, ['wit', f], { encoding: 'utf8' });
    const got = r.status === 0 ? firstWorld(r.stdout) : `(airwasm exited with ${r.status}) ${r.stderr}`;
    if (base) {
      fs.writeFileSync(base + '.jco.wit', want.wit);
      fs.writeFileSync(base + '.airwasm.wit', r.status === 0 ? r.stdout : got);
    }
    if (r.status === 0 && norm(got) === norm(want.wit)) {
      ++matched;
    } else {
      ++mismatched;
      if (diffs.length < show) diffs.push(`--- ${f} (- componentWit, + airwasm)\n${lineDiff(want.wit.trimEnd(), got.trimEnd())}`);
    }
  }
  if (worker) await worker.terminate();
  for (const d of diffs) console.log(d + '\n');
  console.log(`${matched} matched, ${mismatched} mismatched, ${skipped} skipped (componentWit failed)`);
  process.exit(mismatched ? 1 : 0);
}

if (!isMainThread) {
  const { componentWit } = await import(pathToFileURL(workerData.jco).href);
  parentPort.on('message', async (bytes) => {
    try {
      parentPort.postMessage({ ok: true, wit: await componentWit(new Uint8Array(bytes)) });
    } catch (e) {
      parentPort.postMessage({ ok: false, error: String(e && e.message ? e.message : e) });
    }
  });
} else {
  await main();
}
