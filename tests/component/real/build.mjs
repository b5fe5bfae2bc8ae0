// tests/component/real: builds the real-toolchain components from their sources, with the npm tools
// installed beside this script's package.json. build.sh copies this script into the work folder that
// holds node_modules (bare imports resolve from the script's own location) and passes the source folder
// in AIRWASM_REAL_SRC; it also compiles the C guest.
//   node build.mjs c    CORE.wasm OUT.wasm   embeds the WIT world into clang's core module
//                                             (componentEmbed) and makes it a component with jco's
//                                             wasi_snapshot_preview1 reactor adapter (componentNew)
//   node build.mjs js   OUT.wasm              componentize-js on js/plugin.js
//   node build.mjs wit  COMPONENT.wasm        prints jco's componentWit of a component (the reference
//                                             the airwasm tests compare against); fails if jco rejects it
// The WIT is passed as source text: jco's path-based WIT loading is not used (see README.md).
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = process.env.AIRWASM_REAL_SRC ?? dirname(fileURLToPath(import.meta.url));
const witFile = join(here, 'wit', 'plugin.wit');
const world = 'plugin';

async function buildC(corePath, outPath) {
  const { componentEmbed, componentNew, preview1AdapterReactorPath } = await import('@bytecodealliance/jco');
  const core = await readFile(corePath);
  const witSource = await readFile(witFile, 'utf8');
  const embedded = await componentEmbed({ binary: core, witSource, world });
  const adapter = await readFile(preview1AdapterReactorPath());
  const component = await componentNew(embedded, [['wasi_snapshot_preview1', adapter]]);
  await writeFile(outPath, component);
  console.log(`${outPath}: ${component.length} bytes (core module ${core.length} bytes)`);
}

async function buildJs(outPath) {
  const { componentize } = await import('@bytecodealliance/componentize-js');
  // componentize-js reads the WIT inside its own wasm component (the splicer), through preview2-shim's
  // WASI file system. preview2-shim 0.26 starts with no preopened directory (0.25 preopened "/"), so
  // any WIT path fails with "No such file or directory"; preopen "/" as the shim used to.
  const { _setPreopens } = await import('@bytecodealliance/preview2-shim/filesystem');
  _setPreopens({ '/': '/' });
  const { component } = await componentize({
    sourcePath: join(here, 'js', 'plugin.js'),
    witPath: witFile,
    worldName: world,
  });
  await writeFile(outPath, component);
  console.log(`${outPath}: ${component.length} bytes`);
}

async function printWit(componentPath) {
  const { componentWit } = await import('@bytecodealliance/jco');
  process.stdout.write(await componentWit(await readFile(componentPath)));
}

const [mode, ...args] = process.argv.slice(2);
const modes = {
  c: () => buildC(args[0], args[1]),
  js: () => buildJs(args[0]),
  wit: () => printWit(args[0]),
};
if (!modes[mode] || args.length !== { c: 2, js: 1, wit: 1 }[mode]) {
  console.error('usage: node build.mjs c CORE.wasm OUT.wasm | js OUT.wasm | wit COMPONENT.wasm');
  process.exit(2);
}
try {
  await modes[mode]();
} catch (e) {
  console.error(`build.mjs ${mode}: ${e?.stack ?? e}`);
  process.exit(1);
}
