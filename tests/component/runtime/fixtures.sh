#!/bin/sh
# tests/component/runtime: builds the component fixtures of the runtime tests (ctest fixture
# component_runtime_wasm). Installs jco into WORK_DIR from tests/component/package.json (once), then
# converts every wat/*.wat into WORK_DIR/wasm/*.wasm.
# Usage: fixtures.sh WORK_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$1
mkdir -p "$work"
if ! cmp -s "$here/../package.json" "$work/package.json" || [ ! -d "$work/node_modules/@bytecodealliance/jco" ]; then
  cp "$here/../package.json" "$here/../package-lock.json" "$work/"
  (cd "$work" && npm install --no-audit --no-fund --loglevel=error)
fi
cp "$here/wat2component.mjs" "$work/"
cd "$work"
exec node wat2component.mjs wasm "$here"/wat/*.wat
