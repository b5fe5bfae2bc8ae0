#!/bin/sh
# tests/host/engine: builds the engine tests' components (ctest fixture host_engine_wasm). Each
# wat/NAME.core.wat body is wrapped into a full airssys component (prelude.wat.in, common.core.in,
# epilogue.wat.in) and converted to WORK_DIR/wasm/NAME.wasm by jco (tests/component/runtime's converter);
# a wat/NAME.wat is a complete component of its own.
# Usage: fixtures.sh WORK_DIR
set -eu
here=$(cd "$(dirname "$0")" && pwd)
runtime=$here/../../component/runtime
work=$1
mkdir -p "$work/wat"
if ! cmp -s "$runtime/../package.json" "$work/package.json" || [ ! -d "$work/node_modules/@bytecodealliance/jco" ]; then
  cp "$runtime/../package.json" "$runtime/../package-lock.json" "$work/"
  (cd "$work" && npm install --no-audit --no-fund --loglevel=error)
fi
cp "$runtime/wat2component.mjs" "$work/"
for body in "$here"/wat/*.core.wat; do
  name=$(basename "$body" .core.wat)
  { cat "$here/wat/prelude.wat.in"; echo '  (core module $M'; cat "$here/wat/common.core.in" "$body";
    echo '  )'; cat "$here/wat/epilogue.wat.in"; } > "$work/wat/$name.wat"
done
cp "$here"/wat/*.wat "$work/wat/"  # complete components, converted as they are
rm -f "$work/wat/"*.core.wat
cd "$work"
exec node wat2component.mjs wasm wat/*.wat
