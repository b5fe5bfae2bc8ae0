#!/usr/bin/env bash
# The demo command (README): installs dependencies, builds airwasm and its examples, then shows what it
# does: running a WASI program with a pre-opened directory, arguments and environment; the sandbox;
# stopping a runaway guest by fuel and by time; inspecting a module; a C++ host running many metered
# plugins concurrently on the slice scheduler; and the airssys plugin host: components (C and JavaScript)
# exchanging a request and its callback, storage surviving a restart of the engine, and a runaway stopped
# by its limits while the others keep answering.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${AIRWASM_JOBS:-$(nproc)}

scripts/install_deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j "$jobs" --target airwasm host_demo examples plugin_host_demo

airwasm=build/tools/airwasm
ex=build/examples
step() { printf '\n\033[1m== %s\033[0m\n$ %s\n' "$1" "$2"; }

data=$(mktemp -d)
cp examples/data/message.txt "$data/"
step "Run a WASI program (args, environment, a pre-opened directory, a sandbox escape attempt)" \
     "airwasm run --dir $data::/data --env GREETING=hi $ex/hello.wasm alpha beta"
"$airwasm" run --dir "$data::/data" --env GREETING=hi "$ex/hello.wasm" alpha beta
echo "(host side: $(cat "$data/written-by-guest.txt"))"
rm -rf "$data"

step "Stop a runaway guest with a fuel budget" "airwasm run --fuel 100000000 $ex/runaway.wasm"
"$airwasm" run --fuel 100000000 "$ex/runaway.wasm" || echo "(exit status $?)"

step "Stop a runaway guest with a time limit" "airwasm run --timeout 300ms $ex/runaway.wasm"
"$airwasm" run --timeout 300ms "$ex/runaway.wasm" || echo "(exit status $?)"

step "Inspect a module" "airwasm inspect $ex/plugin.wasm"
"$airwasm" inspect "$ex/plugin.wasm"

step "Embed: host 100 metered plugin calls and a runaway on a 2-thread scheduler" \
     "build/examples/host_demo $ex/plugin.wasm"
build/examples/host_demo "$ex/plugin.wasm"

fixtures=build/tests/host/fixtures
step "Plugin host: build the airssys test components (C: clang-19; JavaScript: componentize-js)" \
     "tests/host/fixtures/build.sh $fixtures"
tests/host/fixtures/build.sh "$fixtures" >/dev/null
echo "(built: $(cd "$fixtures" && ls ./*.wasm | tr '\n' ' '))"

step "Plugin host: one component, one line per action (WAVE)" \
     "airwasm plugin $fixtures/c_counter.wasm --send a --send b --metadata --health"
"$airwasm" plugin "$fixtures/c_counter.wasm" --send a --send b --metadata --health

db=$(mktemp -d)/demo.db
step "Plugin host: components exchanging messages, storage across a restart, a runaway stopped" \
     "build/examples/plugin_host_demo $fixtures $db   (twice: the second run sees what the first stored)"
build/examples/plugin_host_demo "$fixtures" "$db"
echo "-- the same engine started again on the same database:"
build/examples/plugin_host_demo "$fixtures" "$db"
rm -rf "$(dirname "$db")"
