#!/bin/sh
# tests/install: the installable package. Installs the build tree into a temporary prefix, builds
# examples/installed against it (find_package(airwasm), airwasm_bindgen at build time) outside the build
# tree and runs it (bindings of its own, and the plugin host airwasm::host) on the airssys echo component;
# then builds programs with the flags of the installed pkg-config file (the core; the plugin host with
# --static, for SQLite) and runs them.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR AIRSSYS_WIT_DIR [EXTRA_CXX_FLAGS]
set -eu
build=$1
src=$2
wit=$3
flags=${4:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -x "$work/prefix/bin/airwasm"
test -f "$work/prefix/include/airwasm/component/typed.hh"
test -f "$work/prefix/lib/cmake/airwasm/airwasmConfig.cmake"
test -f "$work/prefix/lib/pkgconfig/airwasm.pc"

cmake -S "$src/examples/installed" -B "$work/example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DAIRSSYS_WIT="$wit" -DCMAKE_CXX_FLAGS="$flags" > "$work/configure.log"
cmake --build "$work/example" > "$work/build.log" || { cat "$work/build.log"; exit 1; }
out=$("$work/example/airssys_host" "$src/bench/component/airssys_echo.wasm")
echo "$out"
[ "$out" = "reply: hi
component: echo 1.0.0" ]
# The plugin host (airwasm::host: the engine, its storage on SQLite) on the same component.
test -f "$work/prefix/include/airwasm/host/engine.hh"
out=$("$work/example/plugin_host" "$src/bench/component/airssys_echo.wasm")
echo "$out"
[ "$out" = "reply: hi
metadata: echo 1.0.0, healthy: yes
invalid bytes: instantiation-failed(" ]

# pkg-config: a core-module embedding compiled and linked with the installed flags only.
cat > "$work/pc.cc" <<'CC'
#include "airwasm/airwasm.hh"
int main() {
  airwasm::Engine engine;
  const uint8_t empty[] = {0, 'a', 's', 'm', 1, 0, 0, 0};
  auto module = airwasm::Module::compile(engine, std::span<const uint8_t>(empty, sizeof empty));
  return module ? 0 : 1;
}
CC
PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --exists airwasm
# shellcheck disable=SC2046
c++ $flags $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags airwasm) "$work/pc.cc" -o "$work/pc" \
    $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --libs airwasm)
"$work/pc"
cat > "$work/pc_host.cc" <<'CC'
#include "airwasm/host/engine.hh"
int main() {
  auto engine = airwasm::host::HostEngine::create();
  if (!engine) return 1;
  const uint8_t junk[] = {1, 2, 3};
  auto r = (*engine)->load_component({"pc", "junk", "1"}, std::span<const uint8_t>(junk, sizeof junk));
  return !r && r.error().kind == airwasm::host::WasmError::Case::kInstantiationFailed ? 0 : 1;
}
CC
# shellcheck disable=SC2046
c++ $flags $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --cflags airwasm) "$work/pc_host.cc" \
    -o "$work/pc_host" $(PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" pkg-config --static --libs airwasm)
"$work/pc_host"
echo "install test passed"
