// tests/wasi/p2: turns wasm32-wasi core modules (preview 1 commands) into WASI 0.2 command components
// with jco's componentNew and the wasi_snapshot_preview1 *command* adapter that the jco npm package
// ships (as tests/component/real/build.mjs does with the reactor adapter). Run from a folder whose
// node_modules holds jco (see make_commands.sh).
//   node make_command.mjs OUT_DIR IN.wasm...   writes OUT_DIR/NAME.component.wasm for each IN/NAME.wasm
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const [outDir, ...inputs] = process.argv.slice(2);
if (!outDir || inputs.length === 0) {
  console.error('usage: node make_command.mjs OUT_DIR IN.wasm...');
  process.exit(2);
}
const { componentNew, preview1AdapterCommandPath } = await import('@bytecodealliance/jco');
const adapter = await readFile(preview1AdapterCommandPath());
let failed = 0;
for (const input of inputs) {
  const out = join(outDir, basename(input, '.wasm') + '.component.wasm');
  try {
    const component = await componentNew(await readFile(input), [['wasi_snapshot_preview1', adapter]]);
    await writeFile(out, component);
    console.log(`${out}: ${component.length} bytes`);
  } catch (e) {
    console.error(`make_command.mjs: ${input}: ${e?.stack ?? e}`);
    failed = 1;
  }
}
process.exit(failed);
