// node_load_speed.mjs: how fast V8 turns module bytes into a WebAssembly.Module.
//
//   node [--no-wasm-lazy-compilation] node_load_speed.mjs FILE.wasm
//
// Prints "seconds: S" and "MB/s: X" (file bytes / 10^6 / S) for one synchronous `new WebAssembly.Module`.
// With default flags V8 (node 20) compiles lazily: this measures decoding plus validation of every
// function, and no code generation. With --no-wasm-lazy-compilation every function is also compiled by
// the Liftoff baseline compiler (TurboFan only later, for hot functions). Each measurement should run
// in a fresh process: V8 caches native modules by their bytes, so a second compile in the same process
// can be nearly free.

import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node node_load_speed.mjs FILE.wasm\n');
  process.exit(2);
}
const bytes = readFileSync(file);
const t0 = process.hrtime.bigint();
const module = new WebAssembly.Module(bytes);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
if (!module) process.exit(1);
console.log(`bytes: ${bytes.length}`);
console.log(`seconds: ${seconds.toFixed(6)}`);
console.log(`MB/s: ${(bytes.length / 1e6 / seconds).toFixed(2)}`);
