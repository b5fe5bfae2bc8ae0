// tests/component/runtime: turns the component fixtures written in the text format (wat/*.wat) into
// binaries with jco's parse() (the `wast` crate's text parser, compiled to wasm), for the runtime tests.
// Run from a folder whose node_modules holds @bytecodealliance/jco.
//   node wat2component.mjs OUT_DIR FILE.wat...
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parse } from '@bytecodealliance/jco';

const [outDir, ...files] = process.argv.slice(2);
await mkdir(outDir, { recursive: true });
let failed = 0;
for (const file of files) {
  try {
    const bytes = await parse(await readFile(file, 'utf8'));
    await writeFile(join(outDir, basename(file, '.wat') + '.wasm'), bytes);
  } catch (e) {
    console.error(`${file}: ${e?.message ?? e}`);
    failed++;
  }
}
console.log(`${files.length - failed} of ${files.length} fixtures converted`);
process.exit(failed ? 1 : 0);
