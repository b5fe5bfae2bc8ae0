// tests/component/real: the reference run of a real component: jco's `transpile` turns it into
// JavaScript + core wasm that V8 runs, with the `airwasm:plugin/host` interface implemented below and
// WASI from jco's preview2-shim. It calls every export of the plugin world with fixed inputs and prints
// one line per call and per host event, in the format that the airwasm side (real_run_test.cc) prints, so
// that the two outputs can be compared byte for byte.
//   node transpile_run.mjs COMPONENT.wasm WORK_DIR   (WORK_DIR below a folder whose node_modules has jco)
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [componentPath, workDir] = process.argv.slice(2);
const out = [];
const say = (s) => out.push(s);

// ---- the host, deterministic (mirrored in real_run_test.cc) ----
const bytes = (u8) => `[${Array.from(u8).join(', ')}]`;
const quote = (s) => JSON.stringify(s);
class KvStore {
  constructor(name) { this.name = name; this.map = new Map(); say(`host kv-store new ${quote(name)}`); }
  get(key) {
    say(`host kv-store get ${quote(key)}`);
    return this.map.has(key) ? this.map.get(key) : undefined;
  }
  set(key, value) { say(`host kv-store set ${quote(key)} ${bytes(value)}`); this.map.set(key, new Uint8Array(value)); }
  // jco calls this when the guest drops its own handle (the C++ host's resource destructor).
  [Symbol.dispose ?? Symbol.for('dispose')]() { say('host kv-store drop'); }
}
const host = {
  log(level, msg) { say(`host log ${level} ${quote(msg)}`); },
  nowMs() { return 1234n; },
  send(to, meta, body) {
    const payload = body.tag === 'empty' ? '' : body.tag === 'text' ? quote(body.val) : bytes(body.val);
    say(`host send ${quote(to)} ${quote(meta.sender)} ${meta.sequence} [${meta.tags.map(quote).join(', ')}] ${body.tag}(${payload})`);
    if (to === 'nobody') throw { tag: 'err', val: 'no such recipient' };
    return body.tag === 'empty' ? 0 : body.val.length;
  },
  KvStore,
};

// ---- transpile and load ----
const { transpile } = await import('@bytecodealliance/jco');
const dir = resolve(workDir);
await mkdir(dir, { recursive: true });
const hostFile = join(dir, 'host.mjs');
globalThis.__airwasmHost = host;
await writeFile(hostFile, 'const h = globalThis.__airwasmHost;\nexport const { log, nowMs, send, KvStore } = h;\n');
const { files } = await transpile(await readFile(componentPath), {
  name: 'plugin',
  map: { 'airwasm:plugin/host': pathToFileURL(hostFile).href },
  noTypescript: true,
});
for (const [name, data] of Object.entries(files)) {
  await mkdir(join(dir, name, '..'), { recursive: true });
  await writeFile(join(dir, name), data);
}
const mod = await import(pathToFileURL(join(dir, 'plugin.js')).href);
const guest = mod.guest ?? mod['airwasm:plugin/guest@0.1.0'];

// ---- the calls ----
const info = guest.describe();
const needs = ['storage', 'network', 'timers'].filter((f) => info.needs[f]);
say(`describe() -> {name: ${quote(info.name)}, version: (${info.version.join(', ')}), needs: {${needs.join(', ')}}, verbosity: ${info.verbosity}}`);
const show = (r) => (r === undefined || r === null ? 'none' : `some(${bytes(r)})`);
for (const msg of ['hello', '', 'a second message']) {
  const m = new TextEncoder().encode(msg);
  say(`handle-message(${bytes(m)}) -> ${show(guest.handleMessage(m))}`);
}
for (const [id, outcome] of [[7, { tag: 'ok', val: new Uint8Array([1, 2]) }], [8, { tag: 'err', val: 'boom' }],
                             [0, { tag: 'ok', val: new Uint8Array() }]]) {
  const arg = outcome.tag === 'ok' ? `ok(${bytes(outcome.val)})` : `err(${quote(outcome.val)})`;
  say(`handle-callback(${id}, ${arg}) -> ${guest.handleCallback(id, outcome)}`);
}
process.stdout.write(out.join('\n') + '\n');
