#!/usr/bin/env bash
# The test command (README, .ci/run): installs dependencies, builds airwasm, runs every test (unit, the
# official core/SIMD/component suites, WASI, CLI golden files, benchmark smoke test), then builds with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs the unit and spec tests again there.
# Prints the spec totals. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${AIRWASM_JOBS:-$(nproc)}

scripts/install_deps.sh

echo "== format check"
scripts/check_format.sh

echo "== release build"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DAIRWASM_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
echo "== tests (release)"
ctest --test-dir build -j "$jobs" --output-on-failure

echo "== sanitizer build (ASan + UBSan)"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DAIRWASM_SANITIZE=ON -DAIRWASM_BENCH=OFF >/dev/null
cmake --build build-asan -j "$jobs"
echo "== unit and spec tests (ASan + UBSan)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -j "$jobs" -L 'unit|spec' --output-on-failure

echo "== spec totals (release)"
for suite in core simd; do
  printf '%s: ' "$suite"
  build/tools/airwasm wast --wasm2 build/spec/"$suite"/*.json | tail -n 1
done
echo "all tests passed"
