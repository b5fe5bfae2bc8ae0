#!/bin/sh
# tests/wasi/p2: runs js_command.mjs from the real-component work folder, whose node_modules holds jco,
# componentize-js and preview2-shim (fixture component_real installs them from the committed lock file).
# usage: js_command.sh JCO_WORK_DIR MODE ARGS...
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jco_dir=$1
shift
[ -d "$jco_dir/node_modules/@bytecodealliance/componentize-js" ] || { echo "FAIL: componentize-js is not installed in $jco_dir (fixture component_real)" >&2; exit 1; }
cp "$here/js_command.mjs" "$jco_dir/"
exec node "$jco_dir/js_command.mjs" "$@"
