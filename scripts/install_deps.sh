#!/usr/bin/env bash
# Installs everything airwasm needs to build, test and benchmark on Debian 12 (bookworm), as root:
# the C++ toolchain and libraries (SQLite for the plugin host's storage), wabt (spec-test conversion), clang-19 + wasi-libc (guest programs),
# Debian's rustc 1.63 with the wasm32-wasi std (Rust guest programs; its rust-lld is a link to lld-14,
# which is only a Recommends and so must be named here),
# binutils (objdump: the independent decoder the x86-64 assembler tests compare with),
# libFuzzer's runtime, clang-format 19 (the format check), libcurl (wasi:http's client), the openssl tool (the
# HTTPS tests make a CA and a server certificate with it), Python 3 and Node.js with npm (component tooling, V8 comparison).
# Idempotent and quiet when everything is already installed.
set -euo pipefail

packages=(
  g++ cmake ninja-build ccache pkg-config
  googletest libgtest-dev libgmock-dev libbenchmark-dev nlohmann-json3-dev libsqlite3-dev
  wabt
  binutils
  clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32 libclang-rt-19-dev
  rustc libstd-rust-dev-wasm32 lld-14
  python3
  clang-format-19
  libcurl4-openssl-dev openssl
)
# Node.js: keep an existing installation (e.g. a newer one), otherwise take Debian's.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  echo "install_deps: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
