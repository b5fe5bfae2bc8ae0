// The inputs of the WIT tests (wit_compare.mjs, wit_roundtrip.mjs): which files under a path are
// components to test, and how to tell a component binary from a core module.

import fs from 'node:fs';
import path from 'node:path';

// A component binary: the wasm magic, then version 0x0d layer 1 (bytes 6-7 = 01 00).
export function isComponent(bytes) {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d &&
         bytes[6] === 1 && bytes[7] === 0;
}

// Appends to `out` one {kind, path} per input under `p`. A directory holding the suite converter's JSON
// files contributes the components those name (its other .wasm files are the invalid ones of assert_*
// commands); any other directory contributes all its .wasm files. With `wit`, a directory holding .wit
// files and a .wit file are inputs of kind 'wit' (a WIT package, parsed as a whole).
export function collectInputs(p, out, { wit = false } = {}) {
  const st = fs.statSync(p);
  if (st.isDirectory()) {
    const entries = fs.readdirSync(p).sort();
    if (wit && entries.some((e) => e.endsWith('.wit'))) {
      out.push({ kind: 'wit', path: p });
      return;
    }
    const hasJson = entries.some((e) => e.endsWith('.json'));
    for (const e of entries) {
      const q = path.join(p, e);
      if (fs.statSync(q).isDirectory() || e.endsWith(hasJson ? '.json' : '.wasm')) collectInputs(q, out, { wit });
    }
  } else if (p.endsWith('.json')) {
    const d = JSON.parse(fs.readFileSync(p, 'utf8'));
    for (const c of d.commands || []) {
      if ((c.type === 'module' || c.type === 'module_definition') && c.filename) {
        out.push({ kind: 'wasm', path: path.join(path.dirname(p), c.filename) });
      }
    }
  } else if (wit && p.endsWith('.wit')) {
    out.push({ kind: 'wit', path: p });
  } else {
    out.push({ kind: 'wasm', path: p });
  }
}
