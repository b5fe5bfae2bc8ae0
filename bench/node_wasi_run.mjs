// node_wasi_run.mjs: runs a WASI preview1 command module under node (V8), like `wasmtime run` would.
//
//   node node_wasi_run.mjs [--dir=HOST[::GUEST]]... FILE.wasm [ARGS...]
//
// The guest sees argv = [FILE.wasm, ARGS...] and the caller's environment. --dir pre-opens a host
// directory (as GUEST, default the same path). The exit code of the guest (proc_exit or the return of
// main) becomes node's exit code. A load, compile or link error prints "error: <message>" on stderr and
// exits with 1; a trap prints "trap: <message>" and exits with 134, as wasmtime does.
// Used by bench/run_bench.py as the V8 column.

import v8 from 'node:v8';

// Node 20's WASI imports use V8 fast API calls, which keep a stale pointer to linear memory after
// memory.grow and crash (SIGSEGV) once a guest grows past ~16 MiB (nodejs/node#53087). Turning fast API
// calls off costs nothing measurable here: the benchmarks make few WASI calls.
v8.setFlagsFromString('--no-turbo-fast-api-calls');
// node:wasi prints an ExperimentalWarning on load; keep stderr clean for the harness.
process.removeAllListeners('warning');

const { WASI } = await import('node:wasi');
const { readFile } = await import('node:fs/promises');

const argv = process.argv.slice(2);
const preopens = {};
while (argv.length && argv[0].startsWith('--dir=')) {
  const spec = argv.shift().slice('--dir='.length);
  const [host, guest] = spec.split('::');
  preopens[guest ?? host] = host;
}
if (argv.length === 0) {
  process.stderr.write('usage: node node_wasi_run.mjs [--dir=HOST[::GUEST]]... FILE.wasm [ARGS...]\n');
  process.exit(2);
}

const wasi = new WASI({ version: 'preview1', args: argv, env: process.env, preopens, returnOnExit: true });
let instance;
try {
  const module = await WebAssembly.compile(await readFile(argv[0]));
  instance = await WebAssembly.instantiate(module, wasi.getImportObject());
} catch (e) {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
let code;
try {
  code = wasi.start(instance);
} catch (e) {
  process.stderr.write(`trap: ${e instanceof Error ? e.message : String(e)}\n`);
  code = 134;
}
process.exitCode = code;
