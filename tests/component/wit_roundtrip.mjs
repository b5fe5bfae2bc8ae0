// The WIT round trip: for every component, `airwasm wit C.wasm` prints WIT text T; `airwasm wit T`
// (the WIT parser, src/wit/) must print T again, byte for byte. For WIT sources (a .wit file or a
// directory with deps/), the printed text P must be a fixed point the same way: `airwasm wit P` == P.
//
// Usage: node wit_roundtrip.mjs [--keep DIR] [--wasi DIR] AIRWASM PATH...
//   PATH: a component .wasm, a directory holding the suite converter's JSON files (their `module` /
//   `module_definition` commands name the valid components), a directory of .wasm files, a WIT
//   directory (has .wit files) or a .wit file. Core modules and components without a WIT form
//   (`airwasm wit` fails on them) are counted as skipped.
//   --wasi DIR: DIR/<version>/<package>/*.wit (the WASI packages jco ships, lib/wit/builtin): each
//   package is parsed as a main package with the other packages of its version as its deps/ (linked
//   into a temporary directory), then round-tripped like any WIT source.
// Prints `N round-tripped, N differed, N not WIT (expected), N skipped`; exits 1 on any difference,
// on an unexpected parse failure, or when an expected failure no longer fails (keep the list true).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { collectInputs, isComponent } from './component_inputs.mjs';

// Printed WIT that is not valid WIT, so cannot be parsed back: a world function names a type of an
// inline interface the component exports (`export i: interface { record t {...} } export f: func(r: t)`).
// WIT gives world functions no way to name such a type; wit-parser rejects the same text. The printer
// prints what jco's componentWit prints for these components (tests/component/README.md).
const kNotWit = new Map([
  ['external-visibility.46.wasm', 'world function uses a type of an exported inline interface'],
  ['external-visibility.47.wasm', 'world function uses a type of an exported inline interface'],
  ['external-visibility.54.wasm', 'world function uses a resource of an exported inline interface'],
  ['external-visibility.56.wasm', 'world function uses a resource of an exported inline interface'],
]);

function usage() {
  console.error('usage: node wit_roundtrip.mjs [--keep DIR] AIRWASM PATH...');
  process.exit(2);
}


function firstDiff(a, b) {
  const x = a.split('\n'), y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); ++i) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n- ${x[i]}\n+ ${y[i]}`;
  }
  return '';
}

const args = process.argv.slice(2);
let keep = null;
const wasiDirs = [];
while (args.length && args[0].startsWith('--')) {
  const a = args.shift();
  if (a === '--keep') keep = args.shift();
  else if (a === '--wasi') wasiDirs.push(args.shift());
  else usage();
}
if (args.length < 2) usage();
const airwasm = args.shift();
const items = [];
for (const p of args) collectInputs(p, items, { wit: true });
const tmp = keep || fs.mkdtempSync(path.join(os.tmpdir(), 'airwasm-wit-rt-'));
fs.mkdirSync(tmp, { recursive: true });
for (const dir of wasiDirs) {
  for (const version of fs.readdirSync(dir).sort()) {
    const vdir = path.join(dir, version);
    if (!/^\d+\.\d+\.\d+/.test(version) || !fs.statSync(vdir).isDirectory()) continue;
    const pkgs = fs.readdirSync(vdir).filter((p) => fs.statSync(path.join(vdir, p)).isDirectory()).sort();
    for (const pkg of pkgs) {
      const main = path.join(tmp, `wasi-${version}-${pkg}`);
      fs.mkdirSync(path.join(main, 'deps'), { recursive: true });
      for (const f of fs.readdirSync(path.join(vdir, pkg))) {
        if (f.endsWith('.wit')) fs.copyFileSync(path.join(vdir, pkg, f), path.join(main, f));
      }
      for (const other of pkgs) {
        if (other !== pkg) fs.symlinkSync(path.resolve(vdir, other), path.join(main, 'deps', other));
      }
      items.push({ kind: 'wit', path: main });
    }
  }
}

let ok = 0, differed = 0, notWit = 0, skipped = 0, failures = 0;
const wit = (p) => {
  const r = spawnSync(airwasm, ['wit', p], { encoding: 'utf8' });
  if (r.error) {  // airwasm could not be run at all: not a property of the input
    console.log(`cannot run ${airwasm}: ${r.error.message}`);
    process.exit(1);
  }
  return r;
};
for (const [n, item] of items.entries()) {
  let text;
  if (item.kind === 'wasm') {
    const bytes = fs.readFileSync(item.path);
    if (!isComponent(bytes)) continue;
    const r = wit(item.path);
    if (r.status !== 0) {
      ++skipped;
      continue;
    }
    text = r.stdout;
  } else {
    const r = wit(item.path);
    if (r.status !== 0) {
      ++failures;
      console.log(`FAIL ${item.path}: the WIT source does not parse: ${r.stderr.trim()}`);
      continue;
    }
    text = r.stdout;
  }
  const printed = path.join(tmp, `${n}-${path.basename(item.path)}.wit`);
  fs.writeFileSync(printed, text);
  const again = wit(printed);
  const expected = kNotWit.get(path.basename(item.path));
  if (expected !== undefined) {
    if (again.status === 0) {
      ++failures;
      console.log(`FAIL ${item.path}: listed as not WIT (${expected}) but now parses: update kNotWit`);
    } else {
      ++notWit;
    }
    continue;
  }
  if (again.status !== 0) {
    ++failures;
    console.log(`FAIL ${item.path}: printed WIT does not parse: ${again.stderr.trim()}`);
  } else if (again.stdout !== text) {
    ++differed;
    console.log(`DIFF ${item.path} (- printed, + reparsed and printed) ${firstDiff(text, again.stdout)}`);
  } else {
    ++ok;
  }
}
if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
console.log(`${ok} round-tripped, ${differed} differed, ${notWit} not WIT (expected), ${skipped} skipped, ` +
            `${failures} failed`);
process.exit(differed || failures ? 1 : 0);
