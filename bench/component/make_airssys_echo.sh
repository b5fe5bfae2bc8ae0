#!/bin/sh
# bench/component: rebuilds airssys_echo.wasm (committed) from airssys_echo.wat: wat2wasm (wabt) makes the
# core module, jco's componentEmbed adds the airssys WIT (world runtime-host; the package's files joined
# into one source text) and componentNew makes the component.
# Usage: make_airssys_echo.sh NODE_MODULES_PARENT [AIRSSYS_WIT_DIR]
#   NODE_MODULES_PARENT: a folder whose node_modules holds @bytecodealliance/jco (tests/component's
#   package.json installs one, e.g. build/tests/component/runtime after its fixtures ran).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jco_dir=$1
wit_dir=${2:-$here/../../wit/airssys}  # the vendored airssys WIT
tmp=$(mktemp -d)
script="$jco_dir/make_airssys_echo.$$.mjs"
trap 'rm -rf "$tmp" "$script"' EXIT
wat2wasm "$here/airssys_echo.wat" -o "$tmp/core.wasm"
{ echo "package airssys:core@1.0.0;"; for f in "$wit_dir"/*.wit; do grep -v '^package ' "$f"; done; } > "$tmp/airssys.wit"
cat > "$script" <<'JS'
import { readFile, writeFile } from 'node:fs/promises';
import { componentEmbed, componentNew } from '@bytecodealliance/jco';
const [core, wit, out] = process.argv.slice(2);
const embedded = await componentEmbed({ binary: await readFile(core), witSource: await readFile(wit, 'utf8'),
                                        world: 'runtime-host' });
await writeFile(out, await componentNew(embedded));
JS
node "$script" "$tmp/core.wasm" "$tmp/airssys.wit" "$here/airssys_echo.wasm"
echo "$here/airssys_echo.wasm: $(wc -c < "$here/airssys_echo.wasm") bytes"
